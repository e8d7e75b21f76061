/**
 * QNames are Clark-notation strings, `{namespace}local` (`{}local` when there is no namespace),
 * so they work as JSON object keys and compare with `===`. Namespace URIs may themselves contain
 * `}` (real WSDLs ship `http://{{url}}/…` placeholders), but local names never can, so we split
 * at the LAST `}`.
 */
export type QName = string;

export function qn(ns: string, local: string): QName {
  return `{${ns}}${local}`;
}

export function qnNs(q: QName): string {
  return q.slice(1, q.lastIndexOf('}'));
}

export function qnLocal(q: QName): string {
  return q.slice(q.lastIndexOf('}') + 1);
}

export const NS = {
  xsd: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  wsdl20: 'http://www.w3.org/ns/wsdl',
  soap11: 'http://schemas.xmlsoap.org/wsdl/soap/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  http: 'http://schemas.xmlsoap.org/wsdl/http/',
  mime: 'http://schemas.xmlsoap.org/wsdl/mime/',
  soapenc: 'http://schemas.xmlsoap.org/soap/encoding/',
  soap12enc: 'http://www.w3.org/2003/05/soap-encoding',
  soapenv: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12env: 'http://www.w3.org/2003/05/soap-envelope',
  mex: 'http://schemas.xmlsoap.org/ws/2004/09/mex',
  catalog: 'urn:oasis:names:tc:entity:xmlns:xml:catalog',
  wsoap: 'http://www.w3.org/ns/wsdl/soap',
  whttp: 'http://www.w3.org/ns/wsdl/http',
  wsdlx: 'http://www.w3.org/ns/wsdl-extensions',
  wsaw: 'http://www.w3.org/2006/05/addressing/wsdl',
} as const;
