/**
 * A parser for `WWW-Authenticate` (RFC 9110 §11.6.1): one header may carry several challenges,
 * separated by commas that also separate their parameters, with quoted strings that may hold
 * commas and escaped quotes. Parameter names are lower-cased; values are unquoted.
 *
 * @example
 * parseChallenges('Basic realm="a", Digest realm="x, y", nonce="n", qop="auth,auth-int"')
 * // [{ scheme: 'basic', params: { realm: 'a' } }, { scheme: 'digest', params: { realm: 'x, y', nonce: 'n', qop: 'auth,auth-int' } }]
 */
export interface Challenge {
  /** Lower-cased scheme name: 'digest', 'basic', 'ntlm', 'bearer', ... */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
  /** The token68 form (NTLM/Negotiate blobs) instead of parameters. */
  readonly token68?: string;
}

export class ChallengeParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChallengeParseError';
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** Parses one or more header values (repeated headers are joined with ', ' per RFC 9110 §5.3). */
export function parseChallenges(header: string | readonly string[]): Challenge[] {
  const text = typeof header === 'string' ? header : header.join(', ');
  const out: Challenge[] = [];
  let i = 0;
  const ows = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const fail = (what: string): never => {
    throw new ChallengeParseError(`malformed WWW-Authenticate at offset ${i}: ${what}`);
  };
  /** Skips list separators: empty list elements are allowed (RFC 9110 §5.6.1). */
  const commas = (): void => {
    for (;;) {
      ows();
      if (text[i] !== ',') return;
      i++;
    }
  };
  const quoted = (): string => {
    i++; // opening quote
    let v = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return v;
      }
      if (c === '\\') {
        if (i + 1 >= text.length) break;
        v += text[i + 1];
        i += 2;
        continue;
      }
      v += c;
      i++;
    }
    return fail('unterminated quoted string');
  };

  commas();
  while (i < text.length) {
    const scheme = TOKEN.exec(text.slice(i))?.[0] ?? fail('expected an auth scheme');
    i += scheme.length;
    const params: Record<string, string> = {};
    let token68: string | undefined;
    const afterScheme = i;
    ows();
    if (i > afterScheme && i < text.length && text[i] !== ',') {
      // token68 when what follows is not `name=` of a parameter
      const t68 = TOKEN68.exec(text.slice(i))?.[0];
      const rest = t68 ? text.slice(i + t68.length).trimStart() : '';
      if (t68 && (rest === '' || rest.startsWith(','))) {
        token68 = t68;
        i += t68.length;
      } else {
        // auth-params until the next `token` that is not followed by `=` (the next scheme)
        for (;;) {
          ows();
          const name = TOKEN.exec(text.slice(i))?.[0];
          if (!name) fail('expected a parameter name');
          const save = i;
          i += name!.length;
          ows();
          if (text[i] !== '=') {
            i = save; // a new challenge starts here
            break;
          }
          i++;
          ows();
          let value: string;
          if (text[i] === '"') value = quoted();
          else {
            value = TOKEN.exec(text.slice(i))?.[0] ?? fail(`expected a value for ${name}`);
            i += value.length;
          }
          params[name!.toLowerCase()] = value;
          ows();
          if (i >= text.length) break;
          if (text[i] !== ',') fail('expected a comma');
          commas();
          if (i >= text.length) break;
        }
      }
    }
    out.push(token68 === undefined ? { scheme: scheme.toLowerCase(), params } : { scheme: scheme.toLowerCase(), params, token68 });
    commas();
  }
  if (out.length === 0) fail('no challenge');
  return out;
}
