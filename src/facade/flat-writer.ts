import { qnNs } from '../wsdl/qname';
import type { Operation } from '../wsdl/model';
import { envelopeNs } from './envelope';
import type { MessageShape } from './message-shape';
import type { ElementInfo, SimpleInfo } from './schema-view';
import { simpleToText } from './simple-value';
import { escapeText, XmlWriter } from './xml-writer';

/**
 * The request writer of the commonest operation shape, compiled once: document/literal content
 * whose type is a plain sequence of simple-typed, single, non-fixed elements in the wrapper's
 * namespace (or unqualified), without attributes, wildcards, derived types or SOAP headers —
 * `{"intA":1,"intB":2}` for Calculator.Add. Element order, tags and the Envelope around them
 * are fixed strings; each value still goes through `simpleToText` (every facet checked).
 *
 * It returns null whenever the input is anything but a valid instance of that shape (an unknown
 * or missing member, `null`, `$type`, `$headers`, a value that does not fit): the general writer
 * then handles the call and produces the same REQUEST_INVALID it always did. So for the inputs it
 * accepts it writes exactly what the general writer writes, and for the others nothing changes.
 */
export type FlatWriter = (json: Record<string, unknown>) => string | null;

interface Member {
  key: string;
  open: string;
  close: string;
  required: boolean;
  simple: SimpleInfo;
}

/** The compiled writer for `shape`, or null when the shape is not that simple. */
export function compileFlatWriter(op: Operation, shape: MessageShape | null, maxDepth: number): FlatWriter | null {
  // Members sit at depth 1: a depth limit below that is the general writer's to report.
  if (!shape || shape.kind !== 'content' || shape.headers.length > 0 || op.use === 'encoded' || maxDepth < 1) return null;
  const wrapper = shape.element;
  const t = wrapper.type();
  if (t.kind !== 'complex') return null;
  const c = t.complex;
  if (c.abstract || c.mixed || c.simpleContent || c.arrayItem || c.attributes.length > 0 || c.anyAttribute || c.wildcard) return null;
  const particles = c.particle === null ? [] : c.particle.kind === 'sequence' && c.particle.min === 1 && c.particle.max === 1 ? c.particle.items : [c.particle];
  const els: ElementInfo[] = [];
  const required: boolean[] = [];
  for (const p of particles) {
    // A substitution group reference is a choice in the view (schema-info.ts): never flat.
    if (p.kind !== 'element' || p.min > 1 || p.max !== 1) return null;
    const slot = c.slots.get(p.el.key);
    if (!slot || slot.el !== p.el || slot.repeated) return null;
    els.push(p.el);
    required.push(p.min > 0);
  }
  if (els.length !== c.slots.size) return null;
  // A fixed set of namespaces, whatever members are present: the prefixes are then fixed too.
  const wrapperNs = qnNs(wrapper.name);
  const members: Member[] = [];
  for (const [i, el] of els.entries()) {
    const ns = qnNs(el.name);
    if (ns !== '' && ns !== wrapperNs) return null;
    const et = el.type();
    if (et.kind !== 'simple') return null;
    const s = et.simple;
    if (s.builtin.kind === 'any' || s.list || s.union || el.fixed !== null) return null;
    members.push({ key: el.key, open: '', close: '', required: required[i] as boolean, simple: s });
  }
  // The general writer names the wrapper, then the members, then the Envelope: same order here.
  const w = new XmlWriter();
  const wrapperTag = w.name(wrapper.name);
  els.forEach((el, i) => {
    const tag = w.name(el.name);
    const m = members[i] as Member;
    m.open = `<${tag}>`;
    m.close = `</${tag}>`;
  });
  const env = w.prefix(envelopeNs(op.soapVersion));
  const head = `<?xml version="1.0" encoding="utf-8"?><${env}:Envelope${w.declarations()}><${env}:Body><${wrapperTag}>`;
  const tail = `</${wrapperTag}></${env}:Body></${env}:Envelope>`;
  const byKey = new Set(members.map((m) => m.key));
  return (json) => {
    let n = 0;
    for (const k in json) {
      if (!byKey.has(k)) return null;
      n++;
    }
    let out = head;
    for (const m of members) {
      const v = json[m.key];
      if (v === undefined) {
        if (m.required) return null;
        continue;
      }
      if (v === null) return null;
      const r = simpleToText(m.simple, v);
      if ('expected' in r) return null;
      out += m.open + escapeText(r.text) + m.close;
      n--;
    }
    return n === 0 ? out + tail : null;
  };
}
