import { NS } from '../wsdl/qname';
import { qnLocal, qnNs, type QName } from '../wsdl/qname';

const PREFERRED: Record<string, string> = {
  [NS.xsi]: 'xsi',
  [NS.xsd]: 'xsd',
  [NS.soapenc]: 'soapenc',
  [NS.soap12enc]: 'soapenc12',
  [NS.soapenv]: 'soap',
  [NS.soap12env]: 'soap',
};

/**
 * QNames split once: schema QNames are few and long-lived, and the namespace string kept here
 * has its hash computed once, where a fresh slice per call would be hashed again by every lookup.
 */
const splits = new Map<QName, { ns: string; local: string }>();
const MAX_SPLITS = 10_000;

function split(q: QName): { ns: string; local: string } {
  let s = splits.get(q);
  if (s === undefined) {
    s = { ns: qnNs(q), local: qnLocal(q) };
    if (splits.size < MAX_SPLITS) splits.set(q, s);
  }
  return s;
}

/**
 * Accumulates XML text and the namespaces it uses. Prefixes are declared once, on the element
 * the caller chooses (the Envelope), so writers never track scopes; unqualified names are
 * written without a prefix and no default namespace is ever declared, so they stay unqualified.
 */
export class XmlWriter {
  readonly out: string[] = [];
  private readonly prefixes = new Map<string, string>();
  private readonly taken = new Set<string>();
  private next = 1;

  prefix(ns: string): string {
    let p = this.prefixes.get(ns);
    if (p === undefined) {
      const preferred = PREFERRED[ns];
      p = preferred !== undefined && !this.taken.has(preferred) ? preferred : `ns${this.next++}`;
      this.prefixes.set(ns, p);
      this.taken.add(p);
    }
    return p;
  }

  /** `p:local`, or `local` for a QName without namespace. */
  name(q: QName): string {
    const s = split(q);
    return s.ns === '' ? s.local : `${this.prefix(s.ns)}:${s.local}`;
  }

  push(s: string): void {
    this.out.push(s);
  }

  text(): string {
    return this.out.join('');
  }

  /** ` xmlns:p="…"` for every namespace used so far. */
  declarations(): string {
    let s = '';
    for (const [ns, p] of this.prefixes) s += ` xmlns:${p}="${escapeAttr(ns)}"`;
    return s;
  }
}

/** Whether `s` holds one of `&<>\r` (or also `"\t\n` for attributes): most values hold none. */
function needsEscape(s: string, attr: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x3e) continue;
    if (c === 0x26 || c === 0x3c || c === 0x3e || c === 0x0d) return true;
    if (attr && (c === 0x22 || c === 0x09 || c === 0x0a)) return true;
  }
  return false;
}

export function escapeText(s: string): string {
  if (!needsEscape(s, false)) return s;
  return s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

export function escapeAttr(s: string): string {
  if (!needsEscape(s, true)) return s;
  return s.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c] ?? c);
}
