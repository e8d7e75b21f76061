import type { IncomingHttpHeaders } from 'node:http';
import type { SoapVersion } from '../errors/to-soap-fault';
import { firstHeader } from '../http/headers';

/**
 * What the HTTP layer says about a SOAP request: the version its content type implies and the
 * action (SOAP 1.1 `SOAPAction` header, SOAP 1.2 `action` parameter of the media type).
 * The envelope namespace is checked against this version while the body streams.
 */
export interface SoapRequestInfo {
  readonly version: SoapVersion;
  readonly action: string;
}

export function soapRequestInfo(headers: IncomingHttpHeaders): SoapRequestInfo | undefined {
  const ct = (firstHeader(headers['content-type']) ?? '').toLowerCase();
  if (ct.startsWith('application/soap+xml')) {
    const m = /;\s*action\s*=\s*("([^"]*)"|[^;\s]*)/i.exec(firstHeader(headers['content-type']) ?? '');
    return { version: '1.2', action: m ? (m[2] ?? m[1] ?? '') : '' };
  }
  if (ct.startsWith('text/xml')) return { version: '1.1', action: soap11Action(headers) };
  return undefined;
}

/** The SOAP 1.1 `SOAPAction` header without its quotes; '' when absent. */
export function soap11Action(headers: IncomingHttpHeaders): string {
  return (firstHeader(headers['soapaction']) ?? '').trim().replace(/^"(.*)"$/, '$1');
}
