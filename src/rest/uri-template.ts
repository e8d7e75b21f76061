/**
 * RFC 6570 URI templates (level 4: all operators, prefix and explode modifiers), compiled once
 * per endpoint. Variable names may contain dots, which is how WSO2's `{uri.var.city}` and
 * `{query.param.units}` are plain RFC 6570 names.
 *
 * @example
 *   const t = compileTemplate('http://b1:9000/api/{uri.var.city}{?units}');
 *   t.expand({ 'uri.var.city': 'São Paulo', units: 'metric' })
 *   // 'http://b1:9000/api/S%C3%A3o%20Paulo?units=metric'
 */
export type TemplateValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>> | undefined | null;
export type TemplateVars = Readonly<Record<string, TemplateValue>>;

interface VarSpec {
  readonly name: string;
  readonly explode: boolean;
  readonly prefix?: number;
}
interface Expression {
  readonly op: Operator;
  readonly vars: readonly VarSpec[];
}
type Part = string | Expression;

interface Operator {
  readonly first: string;
  readonly sep: string;
  readonly named: boolean;
  readonly ifEmpty: string;
  readonly allowReserved: boolean;
}

const OPS: Record<string, Operator> = {
  '': { first: '', sep: ',', named: false, ifEmpty: '', allowReserved: false },
  '+': { first: '', sep: ',', named: false, ifEmpty: '', allowReserved: true },
  '#': { first: '#', sep: ',', named: false, ifEmpty: '', allowReserved: true },
  '.': { first: '.', sep: '.', named: false, ifEmpty: '', allowReserved: false },
  '/': { first: '/', sep: '/', named: false, ifEmpty: '', allowReserved: false },
  ';': { first: ';', sep: ';', named: true, ifEmpty: '', allowReserved: false },
  '?': { first: '?', sep: '&', named: true, ifEmpty: '=', allowReserved: false },
  '&': { first: '&', sep: '&', named: true, ifEmpty: '=', allowReserved: false },
};

const VARNAME = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*$/;

export class UriTemplateError extends Error {
  constructor(template: string, reason: string) {
    super(`invalid URI template "${template}": ${reason}`);
    this.name = 'UriTemplateError';
  }
}

export interface UriTemplate {
  readonly source: string;
  /** True when the template has at least one {expression}. */
  readonly hasExpressions: boolean;
  readonly variables: readonly string[];
  expand(vars: TemplateVars): string;
}

export function compileTemplate(source: string): UriTemplate {
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{', i);
    const close = source.indexOf('}', i);
    if (close !== -1 && (open === -1 || close < open)) throw new UriTemplateError(source, `unmatched "}" at ${close}`);
    if (open === -1) {
      parts.push(source.slice(i));
      break;
    }
    if (open > i) parts.push(source.slice(i, open));
    const end = source.indexOf('}', open);
    if (end === -1) throw new UriTemplateError(source, `unclosed "{" at ${open}`);
    parts.push(parseExpression(source, source.slice(open + 1, end)));
    i = end + 1;
  }
  const exprs = parts.filter((p): p is Expression => typeof p !== 'string');
  return {
    source,
    hasExpressions: exprs.length > 0,
    variables: exprs.flatMap((e) => e.vars.map((v) => v.name)),
    expand: (vars) => parts.map((p) => (typeof p === 'string' ? encodeLiteral(p) : expandExpression(p, vars))).join(''),
  };
}

function parseExpression(source: string, body: string): Expression {
  if (body === '') throw new UriTemplateError(source, 'empty expression {}');
  const opChar = '+#./;?&'.includes(body[0]!) ? body[0]! : '';
  if ('=,!@|'.includes(body[0]!)) throw new UriTemplateError(source, `reserved operator "${body[0]}"`);
  const vars = body
    .slice(opChar.length)
    .split(',')
    .map((spec): VarSpec => {
      let name = spec;
      let explode = false;
      let prefix: number | undefined;
      if (name.endsWith('*')) {
        explode = true;
        name = name.slice(0, -1);
      }
      const colon = name.indexOf(':');
      if (colon !== -1) {
        const n = name.slice(colon + 1);
        if (!/^[1-9][0-9]{0,3}$/.test(n)) throw new UriTemplateError(source, `bad prefix length "${n}" in {${body}}`);
        prefix = Number(n);
        name = name.slice(0, colon);
      }
      if (!VARNAME.test(name)) throw new UriTemplateError(source, `bad variable name "${name}" in {${body}}`);
      return { name, explode, prefix };
    });
  return { op: OPS[opChar]!, vars };
}

// Literals keep reserved and unreserved characters and existing %XX; anything else is encoded.
function encodeLiteral(s: string): string {
  return s.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => pctEncode(c));
}

function pctEncode(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

function encodeValue(s: string, allowReserved: boolean): string {
  if (!allowReserved) return encodeURIComponent(s).replace(/[!'()*]/g, (c) => pctEncode(c));
  // Reserved expansion keeps reserved characters and already-encoded triplets.
  return s.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => pctEncode(c));
}

function expandExpression(e: Expression, vars: TemplateVars): string {
  const { op } = e;
  const out: string[] = [];
  for (const spec of e.vars) {
    const value = vars[spec.name];
    if (value === undefined || value === null) continue;
    const enc = (s: string): string => encodeValue(s, op.allowReserved);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      let s = String(value);
      if (spec.prefix !== undefined) s = Array.from(s).slice(0, spec.prefix).join('');
      out.push(op.named ? named(spec.name, enc(s), op) : enc(s));
      continue;
    }
    const pairs: [string, string][] = Array.isArray(value)
      ? (value as readonly string[]).map((v) => ['', v])
      : Object.entries(value as Record<string, string>);
    if (pairs.length === 0) continue;
    const isList = Array.isArray(value);
    if (spec.explode) {
      out.push(
        pairs
          .map(([k, v]) => (isList ? (op.named ? named(spec.name, enc(v), op) : enc(v)) : op.named || !isList ? `${enc(k)}=${enc(v)}` : enc(v)))
          .join(op.sep),
      );
    } else {
      const joined = pairs.map(([k, v]) => (isList ? enc(v) : `${enc(k)},${enc(v)}`)).join(',');
      out.push(op.named ? named(spec.name, joined, op) : joined);
    }
  }
  return out.length === 0 ? '' : op.first + out.join(op.sep);
}

function named(name: string, encoded: string, op: Operator): string {
  return encoded === '' ? name + op.ifEmpty : `${name}=${encoded}`;
}
