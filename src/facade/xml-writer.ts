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
 * Accumulates XML text and the namespaces it uses. Prefixes are declared once, on the element
 * the caller chooses (the Envelope), so writers never track scopes; unqualified names are
 * written without a prefix and no default namespace is ever declared, so they stay unqualified.
 */
export class XmlWriter {
  readonly out: string[] = [];
  private readonly prefixes = new Map<string, string>();
  private next = 1;

  prefix(ns: string): string {
    let p = this.prefixes.get(ns);
    if (p === undefined) {
      const preferred = PREFERRED[ns];
      p = preferred !== undefined && ![...this.prefixes.values()].includes(preferred) ? preferred : `ns${this.next++}`;
      this.prefixes.set(ns, p);
    }
    return p;
  }

  /** `p:local`, or `local` for a QName without namespace. */
  name(q: QName): string {
    const ns = qnNs(q);
    return ns === '' ? qnLocal(q) : `${this.prefix(ns)}:${qnLocal(q)}`;
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

export function escapeText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

export function escapeAttr(s: string): string {
  return s.replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c] ?? c);
}
