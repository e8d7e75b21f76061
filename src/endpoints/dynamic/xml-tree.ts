import { SaxesParser } from 'saxes';

/** A namespace-resolved element with its own text, enough for XPath rules and fault codes. */
export interface XmlNode {
  readonly ns: string;
  readonly local: string;
  readonly children: XmlNode[];
  /** Concatenated character data directly inside this element. */
  text: string;
  /** In-scope prefix → namespace (QName values like `soap:Server` are resolved with it). */
  readonly scope: Readonly<Record<string, string>>;
}

const MAX_DEPTH = 128;

/**
 * Parses a SOAP/XML body for routing rules and fault detection. saxes (not fast-xml-parser)
 * because XPath steps and fault codes must be compared by namespace, not by the prefix a client
 * happened to use, and saxes resolves prefixes in the same pass. DOCTYPE is refused, so no entity
 * is ever expanded. Returns undefined for anything that is not well-formed XML.
 */
export function parseXmlTree(text: string): XmlNode | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', (tag) => {
    if (failed) return;
    if (stack.length >= MAX_DEPTH) {
      failed = true;
      return;
    }
    const parent = stack[stack.length - 1];
    const scope = Object.keys(tag.ns ?? {}).length > 0 ? { ...(parent?.scope ?? {}), ...tag.ns } : (parent?.scope ?? {});
    const node: XmlNode = { ns: tag.uri ?? '', local: tag.local ?? tag.name, children: [], text: '', scope };
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top && !failed) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (!failed) stack.pop();
  });
  try {
    parser.write(text).close();
  } catch {
    return undefined;
  }
  return failed ? undefined : root;
}

/** Local part of a QName value (`soap:Server` → `Server`). */
export function localPart(qname: string): string {
  const t = qname.trim();
  const i = t.indexOf(':');
  return i === -1 ? t : t.slice(i + 1);
}
