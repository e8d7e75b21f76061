import { XmlSyntaxError } from './xml-syntax-error';

/**
 * `text[from, to)` with its entity and character references replaced. `refEnd` is the scanner's
 * validator: it throws on a malformed reference and returns the index after its `;`.
 */
export function decodeRefs(text: string, from: number, to: number, refEnd: (a: number) => number): string {
  let out = '';
  let last = from;
  let a = text.indexOf('&', from);
  while (a >= 0 && a < to) {
    const end = refEnd(a);
    if (end > to) throw new XmlSyntaxError('malformed reference in attribute value', a);
    out += text.slice(last, a) + decodeEntity(text.slice(a + 1, end - 1));
    last = end;
    a = text.indexOf('&', end);
  }
  return out + text.slice(last, to);
}

function decodeEntity(e: string): string {
  switch (e) {
    case 'amp':
      return '&';
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
    default:
      return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10));
  }
}
