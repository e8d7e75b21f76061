import type { BackendRequest } from '../endpoint';
import type { DynamicRuleConfig } from '../../config/endpoint-schema';
import { firstHeader } from '../../http/headers';
import { compileJsonPath, selectJson } from './json-path';
import { compileXPath, selectXml } from './xpath';
import { parseXmlTree, type XmlNode } from './xml-tree';
import { relatedRequestInfo } from '../../soap/related-request';
import { rootPartRange } from '../../soap/root-part';

/** The request as rules see it; the body is parsed at most once, and only if a rule needs it. */
export class RuleInput {
  private json?: { value: unknown };
  private xml?: { value: XmlNode | undefined };

  constructor(readonly req: BackendRequest) {}

  jsonBody(): unknown {
    this.json ??= { value: this.parse((t) => JSON.parse(t) as unknown) };
    return this.json.value;
  }

  /** The SOAP envelope; for MTOM/SwA (multipart/related) the root part's. */
  xmlBody(): XmlNode | undefined {
    this.xml ??= { value: this.parse(parseXmlTree, true) };
    return this.xml.value;
  }

  /** Only a buffered body can be read without stealing it from the backend call. */
  private parse<T>(fn: (text: string) => T, rootPart = false): T | undefined {
    const b = this.req.body;
    if (!Buffer.isBuffer(b)) return undefined;
    try {
      const related = rootPart ? relatedRequestInfo(this.req.headers) : undefined;
      if (!related?.ok) return fn(b.toString('utf8'));
      const { from, to } = rootPartRange(b, related.request.boundary, related.request.start);
      return fn(b.toString('utf8', from, to));
    } catch {
      return undefined;
    }
  }
}

export interface CompiledRule {
  readonly needsBody: boolean;
  test(input: RuleInput): boolean;
}

/**
 * Compiles one rule. Exactly one source (header, query, uriVar, jsonPath, xpath) must be set;
 * `equals` compares the whole value, `matches` is a regular expression that must match the whole
 * value (like WSO2's Java `matches`); with neither, the rule matches when the value is present.
 */
export function compileRule(r: DynamicRuleConfig, where: string): CompiledRule {
  const sources = (['header', 'query', 'uriVar', 'jsonPath', 'xpath'] as const).filter((k) => r[k] !== undefined);
  if (sources.length !== 1) throw new Error(`${where}: a rule needs exactly one of header, query, uriVar, jsonPath, xpath`);
  const re = r.matches !== undefined ? new RegExp(`^(?:${r.matches})$`) : undefined;
  const accept = (v: string | undefined): boolean => v !== undefined && (r.equals !== undefined ? v === r.equals : re ? re.test(v) : true);
  const source = sources[0]!;
  switch (source) {
    case 'header': {
      const name = r.header!.toLowerCase();
      return { needsBody: false, test: (i) => accept(firstHeader(i.req.headers[name])) };
    }
    case 'query': {
      const name = r.query!;
      return { needsBody: false, test: (i) => accept(i.req.queryParams[name]) };
    }
    case 'uriVar': {
      const name = r.uriVar!;
      return { needsBody: false, test: (i) => accept(i.req.uriVars[name]) };
    }
    case 'jsonPath': {
      const steps = compileJsonPath(r.jsonPath!);
      return { needsBody: true, test: (i) => accept(scalar(selectJson(i.jsonBody(), steps))) };
    }
    case 'xpath': {
      const x = compileXPath(r.xpath!, r.namespaces);
      return {
        needsBody: true,
        test: (i) => {
          const root = i.xmlBody();
          return accept(root ? selectXml(root, x)?.trim() : undefined);
        },
      };
    }
  }
}

/** Objects and arrays are not routing values; strings, numbers and booleans compare as text. */
function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
