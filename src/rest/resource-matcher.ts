/**
 * Matches a request path (below /{context}/{version}) against an API's resource templates.
 * Supported forms, as in WSO2 resource definitions: literal segments, `{name}` (one segment),
 * `{+name}` (the rest of the path, slashes included) and a trailing `/*` (any suffix).
 * The most specific template wins (more literal characters, fewer wildcards), so `/cities/all`
 * is preferred over `/cities/{city}` whatever the order in the file.
 */
export interface CompiledResource<T> {
  readonly template: string;
  readonly methods: ReadonlySet<string>;
  readonly regex: RegExp;
  readonly names: readonly string[];
  readonly specificity: number;
  readonly data: T;
}

export type ResourceMatch<T> =
  | { readonly kind: 'match'; readonly resource: CompiledResource<T>; readonly uriVars: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileResource<T>(template: string, methods: readonly string[], data: T): CompiledResource<T> {
  const names: string[] = [];
  let re = '';
  let literal = 0;
  let wild = 0;
  let rest = template;
  if (rest.endsWith('/*')) {
    rest = rest.slice(0, -2);
    wild += 2;
  }
  for (const piece of rest.split(/(\{[^}]*\})/)) {
    if (piece.startsWith('{')) {
      const reserved = piece.startsWith('{+');
      const name = piece.slice(reserved ? 2 : 1, -1);
      if (!/^[A-Za-z0-9_.]+$/.test(name)) throw new Error(`invalid resource variable ${piece} in ${template}`);
      names.push(name);
      re += reserved ? '(.+)' : '([^/]+)';
      wild += reserved ? 2 : 1;
    } else {
      re += escapeRe(piece);
      literal += piece.length;
    }
  }
  if (template.endsWith('/*')) re += '(?:/.*)?';
  return {
    template,
    methods: new Set(methods.map((m) => m.toUpperCase())),
    regex: new RegExp(`^${re}/?$`),
    names,
    specificity: literal * 10 - wild,
    data,
  };
}

export class ResourceTable<T> {
  private readonly resources: readonly CompiledResource<T>[];

  constructor(resources: readonly CompiledResource<T>[]) {
    this.resources = [...resources].sort((a, b) => b.specificity - a.specificity);
  }

  match(method: string, path: string): ResourceMatch<T> {
    const allowed = new Set<string>();
    for (const r of this.resources) {
      const m = r.regex.exec(path === '' ? '/' : path);
      if (!m) continue;
      if (!r.methods.has(method) && !(method === 'HEAD' && r.methods.has('GET'))) {
        for (const x of r.methods) allowed.add(x);
        continue;
      }
      const uriVars: Record<string, string> = {};
      r.names.forEach((n, i) => {
        uriVars[n] = safeDecode(m[i + 1] ?? '');
      });
      return { kind: 'match', resource: r, uriVars };
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
