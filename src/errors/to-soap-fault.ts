import type { BridgeError } from './bridge-error';
import { specOf } from './codes';

export type SoapVersion = '1.1' | '1.2';

export const SOAP11_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope';

const escapeXml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/**
 * Renders a BridgeError as a SOAP Fault of the caller's version. The stable code travels in
 * the detail (1.1) / Detail (1.2) as <sb:code>, the same string a REST caller gets.
 */
export function toSoapFault(err: BridgeError, version: SoapVersion, requestId?: string): { status: number; contentType: string; body: string } {
  const spec = specOf(err.code);
  const detail = err.code === 'INTERNAL_ERROR' ? 'see the bridge log for this request id' : err.message;
  const reason = escapeXml(`${spec.title}: ${detail}`);
  const extra = `<sb:code>${err.code}</sb:code>${requestId ? `<sb:requestId>${escapeXml(requestId)}</sb:requestId>` : ''}`;
  const sb = 'xmlns:sb="urn:soapbridge:fault"';
  if (version === '1.2') {
    const value = err.code === 'SOAP_VERSION_MISMATCH' ? 'env:VersionMismatch' : spec.side === 'client' ? 'env:Sender' : 'env:Receiver';
    return {
      status: err.code === 'SOAP_VERSION_MISMATCH' ? 500 : err.status,
      contentType: 'application/soap+xml; charset=utf-8',
      body:
        `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="${SOAP12_ENV}"><env:Body><env:Fault>` +
        `<env:Code><env:Value>${value}</env:Value></env:Code><env:Reason><env:Text xml:lang="en">${reason}</env:Text></env:Reason>` +
        `<env:Detail ${sb}>${extra}</env:Detail></env:Fault></env:Body></env:Envelope>`,
    };
  }
  const code = err.code === 'SOAP_VERSION_MISMATCH' ? 'soap:VersionMismatch' : spec.side === 'client' ? 'soap:Client' : 'soap:Server';
  return {
    // WS-I BP R1126: a Fault goes out with 500 (clients such as zeep and soap expect it); the
    // code says what happened. Refusals at the HTTP level (R1125: size, media type) keep their 4xx.
    status: err.code === 'BODY_TOO_LARGE' || err.code === 'UNSUPPORTED_MEDIA_TYPE' ? err.status : 500,
    contentType: 'text/xml; charset=utf-8',
    body:
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP11_ENV}"><soap:Body><soap:Fault>` +
      `<faultcode>${code}</faultcode><faultstring>${reason}</faultstring><detail ${sb}>${extra}</detail>` +
      `</soap:Fault></soap:Body></soap:Envelope>`,
  };
}
