import type { SoapVersion } from '../../wsdl/model';

/**
 * WSO2's `mc.getPayloadXML()` on a SOAP request is the Body's content, not the Envelope. This
 * cuts it out of the envelope text and copies the namespace declarations in scope on Envelope and
 * Body onto its first element, so the string stands alone. A lexical cut is enough here: the
 * gateway has already checked the envelope is well-formed before a prototype sees it.
 */
export function bodyPayload(envelope: string): string | null {
  const env = /<([A-Za-z_][\w.-]*:)?Envelope\b([^>]*)>/.exec(envelope);
  if (!env) return null;
  const prefix = env[1] ?? '';
  const open = new RegExp(`<${prefix.replace('.', '\\.')}Body\\b([^>]*)>`).exec(envelope);
  const close = envelope.lastIndexOf(`</${prefix}Body>`);
  if (!open || close < open.index) return null;
  const inner = envelope.slice(open.index + open[0].length, close).trim();
  const first = /^<([^\s>/!?]+)([^>]*?)(\/?)>/.exec(inner);
  if (!first) return inner;
  const own = first[2] ?? '';
  let added = '';
  for (const d of `${env[2] ?? ''} ${open[1] ?? ''}`.matchAll(/\sxmlns(?::([\w.-]+))?\s*=\s*("[^"]*"|'[^']*')/g)) {
    const name = d[1] === undefined ? 'xmlns' : `xmlns:${d[1]}`;
    if (new RegExp(`\\s${name.replace('.', '\\.')}\\s*=`).test(own) || added.includes(` ${name}=`)) continue;
    added += ` ${name}=${d[2]}`;
  }
  return `<${first[1]}${added}${own}${first[3]}>${inner.slice(first[0].length)}`;
}

export function isEnvelope(xml: string): boolean {
  return /^\s*(<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*:)?Envelope\b/.test(xml);
}

export function soapContentType(v: SoapVersion): string {
  return v === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
}

/** The caller's SOAP version from its content type, null when it is not a SOAP content type. */
export function soapVersionOf(contentType: string | undefined): SoapVersion | null {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/soap+xml')) return '1.2';
  if (ct.startsWith('text/xml')) return '1.1';
  return null;
}
