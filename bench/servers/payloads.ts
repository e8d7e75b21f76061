/** Response and request bodies of the bench, built once (exactly 1 KiB each). */
export const KIB = 1024;

function pad(prefix: string, suffix: string, size: number, fill = 'x'): string {
  const n = size - Buffer.byteLength(prefix) - Buffer.byteLength(suffix);
  if (n < 0) throw new Error('payload frame larger than its size');
  return prefix + fill.repeat(n) + suffix;
}

/** 1 KiB JSON document the backend answers to GET. */
export const JSON_1K = pad('{"id":42,"name":"soapbridge bench","items":[1,2,3],"padding":"', '"}', KIB);

/** 1 KiB SOAP 1.1 envelope clients POST. */
export const SOAP_REQUEST_1K = pad(
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Add xmlns="http://tempuri.org/"><intA>1</intA><intB>2</intB><note>',
  '</note></Add></soap:Body></soap:Envelope>',
  KIB,
);

/** 1 KiB SOAP 1.1 response envelope the backend answers to POST. */
export const SOAP_RESPONSE_1K = pad(
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddResponse xmlns="http://tempuri.org/"><AddResult>3</AddResult><note>',
  '</note></AddResponse></soap:Body></soap:Envelope>',
  KIB,
);

/** The Calculator backend's answer to Add (the `calculator` backend mode, the REST facade scenario). */
export const CALC_ADD_RESPONSE =
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddResponse xmlns="http://tempuri.org/"><AddResult>3</AddResult></AddResponse></soap:Body></soap:Envelope>';

/** JSON the REST facade clients POST to `/add`. */
export const CALC_ADD_JSON = '{"intA":1,"intB":2}';

/** Credentials of the `digest` backend mode (and of the bridge API that calls it). */
export const DIGEST_USER = 'bench';
export const DIGEST_PASSWORD = 'secret';
