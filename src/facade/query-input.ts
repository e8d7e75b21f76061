import { childPath, type JsonObject, type JsonValue } from './json';
import { invalid } from './json-to-xml';
import type { MessageShape, PartSlot } from './message-shape';
import { textToSimple } from './simple-value';

/** The input members when all are simple (GET-able), else null. */
export function simpleMembers(shape: MessageShape | null): Map<string, { el: PartSlot['el']; repeated: boolean }> | null {
  if (!shape || shape.headers.some((h) => h.el.min > 0)) return null;
  const out = new Map<string, { el: PartSlot['el']; repeated: boolean }>();
  if (shape.kind === 'content') {
    const t = shape.element.type();
    if (t.kind !== 'complex') return null;
    const c = t.complex;
    if (c.abstract || c.simpleContent || c.arrayItem || c.attributes.some((a) => a.required) || (c.wildcard !== null && c.particle !== null && requiresAny(c))) return null;
    for (const s of c.slots.values()) {
      const st = s.el.type();
      if (st.kind !== 'simple' || st.simple.builtin.kind === 'any') return null;
      out.set(s.key, { el: s.el, repeated: s.repeated });
    }
    return out;
  }
  for (const p of shape.parts) {
    const st = p.el.type();
    if (st.kind !== 'simple' || st.simple.builtin.kind === 'any') return null;
    out.set(p.key, { el: p.el, repeated: false });
  }
  return out;
}

function requiresAny(c: { particle: unknown }): boolean {
  return JSON.stringify(c.particle, (k, v: unknown) => (k === 'el' ? undefined : v)).includes('"kind":"any","min":1');
}
/** Query parameters → the input object of `shape`, each value typed from its member's schema type. */
export function fromQuery(shape: MessageShape | null, q: Record<string, string | string[]>): unknown {
  const members = simpleMembers(shape);
  // No prototype, so `__proto__` from a query string is an ordinary (unknown) member.
  const out = Object.create(null) as JsonObject;
  for (const [k, raw] of Object.entries(q)) {
    const m = members?.get(k);
    const values = Array.isArray(raw) ? raw : [raw];
    if (!m) {
      // Unknown names stay in, so toEnvelope rejects them by name.
      out[k] = values.length === 1 ? (values[0] as string) : values;
      continue;
    }
    const t = m.el.type();
    const conv = (s: string): JsonValue => (t.kind === 'simple' ? (t.simple.list ? textToSimple(t.simple, s.replace(/,/g, ' ')) : textToSimple(t.simple, s)) : s);
    if (!m.repeated && values.length > 1) throw invalid(childPath('$', k), 'a single value (the member does not repeat)', values);
    out[k] = m.repeated ? values.map(conv) : conv(values[0] as string);
  }
  return out;
}
