/** JSON as the facade reads and writes it (already parsed by the caller). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `$.order.items[2].qty`: a JSONPath a caller can find in the body they sent. */
export function childPath(path: string, key: string): string {
  return /^[A-Za-z_$@][A-Za-z0-9_$@-]*$/.test(key) && !key.includes('-') ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function itemPath(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** A short, safe rendering of a value for error messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
