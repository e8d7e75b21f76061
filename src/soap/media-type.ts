/** A parsed media type: lower-case `type/subtype`, parameters by lower-case name. */
export interface MediaType {
  readonly essence: string;
  readonly params: ReadonlyMap<string, string>;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const OWS = /[ \t]*/y;
/** Visible ASCII but the separators that would make the parameter list ambiguous. */
const BARE_VALUE = /[!#-+\--:<-[\]-~]+/y;

/**
 * Parses a media type per RFC 9110 §8.3.1 (`type "/" subtype *( OWS ";" OWS [ parameter ] )`,
 * values a quoted-string with `\` escapes or unquoted: a token, leniently also with '/', ':', '@'
 * and the like, but never white space, '"', ';', ',' or '\'). Answers undefined for anything else,
 * including a parameter given twice: a gateway and its backend must never disagree about which
 * `boundary` or `start` counts.
 *
 * @example parseMediaType('multipart/related; type="application/xop+xml"; boundary=b1')
 *   // { essence: 'multipart/related', params: Map { 'type' => 'application/xop+xml', 'boundary' => 'b1' } }
 */
export function parseMediaType(value: string): MediaType | undefined {
  let i = skip(OWS, value, 0);
  const type = match(TOKEN, value, i);
  if (type === undefined || value[i + type.length] !== '/') return undefined;
  i += type.length + 1;
  const subtype = match(TOKEN, value, i);
  if (subtype === undefined) return undefined;
  i += subtype.length;
  const params = new Map<string, string>();
  for (;;) {
    i = skip(OWS, value, i);
    if (i === value.length) break;
    if (value[i] !== ';') return undefined;
    i = skip(OWS, value, i + 1);
    if (i === value.length || value[i] === ';') continue;
    const name = match(TOKEN, value, i);
    if (name === undefined || value[i + name.length] !== '=') return undefined;
    i += name.length + 1;
    let v: string;
    if (value[i] === '"') {
      const q = quoted(value, i);
      if (!q) return undefined;
      [v, i] = q;
    } else {
      // Lenient like WHATWG MIME sniffing: `type=text/xml` and `action=urn:x` are common
      // unquoted, though '/' and ':' are not token characters.
      const t = match(BARE_VALUE, value, i);
      if (t === undefined) return undefined;
      v = t;
      i += t.length;
    }
    const key = name.toLowerCase();
    if (params.has(key)) return undefined;
    params.set(key, v);
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), params };
}

function match(re: RegExp, s: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(s)?.[0];
}

function skip(re: RegExp, s: string, at: number): number {
  re.lastIndex = at;
  // `[ \t]*` always matches (maybe empty), so lastIndex lands after it.
  re.exec(s);
  return re.lastIndex;
}

/** A quoted-string starting at `at` (the opening quote): its unescaped value and the index after it. */
function quoted(s: string, at: number): [string, number] | undefined {
  let out = '';
  for (let i = at + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return [out, i + 1];
    if (c === 0x5c) {
      if (++i === s.length) return undefined;
      out += s[i];
      continue;
    }
    // qdtext: HTAB, SP, visible ASCII but '"' and '\', obs-text.
    if (c !== 0x09 && (c < 0x20 || c === 0x7f || c > 0xff)) return undefined;
    out += s[i];
  }
  return undefined;
}
