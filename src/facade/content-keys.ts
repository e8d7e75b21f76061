import { childPath } from './json';
import type { ComplexInfo, NParticle } from './schema-view';
import { invalid, unknownField } from './write-context';

// Which JSON keys a complex value's content uses: the unknown-field check, and the presence and
// repetition questions the particle walk asks of a group.

/** Keys an object of this type may have, for the unknown-field check and its message. */
export function allowedKeys(info: ComplexInfo): string[] {
  const keys = [...info.slots.keys(), ...info.attributes.map((a) => a.key)];
  if (info.simpleContent || info.mixed) keys.push('$value');
  if (info.wildcard) keys.push('$any');
  return keys;
}

export function checkKeys(info: ComplexInfo, v: Record<string, unknown>, path: string): void {
  for (const k of Object.keys(v)) {
    if (info.slots.has(k) || k === '$type') continue;
    if (k.startsWith('@') && (info.anyAttribute || info.attributes.some((a) => a.key === k))) continue;
    if (k === '$value' && (info.simpleContent || info.mixed)) continue;
    if (k === '$any' && info.wildcard) continue;
    const members = info.abstractHeads.get(k);
    if (members) {
      const list = members.length > 0 ? `one of ${members.join(', ')}` : 'nothing (no element may stand in for it)';
      throw invalid(childPath(path, k), `${list} in place of ${k} (an abstract substitution group head)`);
    }
    throw unknownField(childPath(path, k), k, allowedKeys(info));
  }
}

/** Whether the JSON holds any member of the particle. */
export function present(p: NParticle, v: Record<string, unknown>): boolean {
  if (p.kind === 'element') return v[p.el.key] !== undefined;
  if (p.kind === 'any') return v.$any !== undefined;
  return p.items.some((c) => present(c, v));
}

/** The particle may be left out: minOccurs 0, or every part it requires may be. */
export function emptiable(p: NParticle): boolean {
  if (p.min === 0) return true;
  if (p.kind === 'element' || p.kind === 'any') return false;
  return p.kind === 'choice' ? p.items.some(emptiable) : p.items.every(emptiable);
}

/** The JSON keys of the particle's elements (`$any` for a wildcard). */
export function keysOf(p: NParticle): string[] {
  if (p.kind === 'element') return [p.el.key];
  if (p.kind === 'any') return ['$any'];
  return p.items.flatMap(keysOf);
}

/** How many repetitions of a repeated group the JSON holds (longest array among its keys). */
export function repetitions(p: NParticle, v: Record<string, unknown>): number {
  let n = 0;
  for (const k of keysOf(p)) {
    const val = v[k];
    if (Array.isArray(val)) n = Math.max(n, val.length);
    else if (val !== undefined) n = Math.max(n, 1);
  }
  return n;
}

