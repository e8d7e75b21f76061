/**
 * The one place query strings become objects. Both results have no prototype, so a parameter
 * named `__proto__` or `constructor` is an ordinary key, never a setter or an inherited value.
 */
const EMPTY: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

/** `{query.param.x}` semantics: the first value of each parameter. */
export function firstQueryValues(query: string): Readonly<Record<string, string>> {
  if (query === '') return EMPTY;
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(query)) if (!(k in out)) out[k] = v;
  return out;
}

/** Every value: a string for a parameter given once, an array for a repeated one. */
export function queryValueLists(query: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
