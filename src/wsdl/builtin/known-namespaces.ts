import { NS } from '../qname';

/**
 * Schemas every SOAP stack knows. WSDLs reference them by namespace or by absolute URL; we never
 * fetch them (DESIGN.md: "built in and never fetched"). Instead, any reference into one of these
 * namespaces resolves: XSD built-ins to themselves, everything else to an opaque `anyType`-like
 * leaf. A bundle that ships its own copy of one of these schemas still has it parsed and used.
 */
export const KNOWN_NAMESPACES: ReadonlySet<string> = new Set([
  NS.xsd,
  NS.xsi,
  NS.soapenc,
  NS.soap12enc,
  NS.soapenv,
  NS.soap12env,
  NS.wsdl,
  NS.soap11,
  NS.soap12,
  NS.http,
  NS.mime,
  'http://www.w3.org/XML/1998/namespace',
  'http://www.w3.org/2005/05/xmlmime',
  'http://www.w3.org/2004/11/xmlmime',
  'http://www.w3.org/2004/08/xop/include',
  'http://www.w3.org/2005/08/addressing',
  'http://www.w3.org/2006/05/addressing/wsdl',
  'http://www.w3.org/2007/05/addressing/metadata',
  'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  'http://schemas.xmlsoap.org/ws/2003/03/addressing',
  'http://schemas.xmlsoap.org/ws/2004/09/mex',
]);

/** Absolute schemaLocations of the same schemas (compared without scheme and trailing slash). */
const KNOWN_LOCATIONS = [
  'www.w3.org/2001/xml.xsd',
  'www.w3.org/xml/1998/namespace',
  'www.w3.org/2001/03/xml.xsd',
  'www.w3.org/2005/05/xmlmime',
  'www.w3.org/2004/11/xmlmime',
  'www.w3.org/2004/08/xop/include',
  'www.w3.org/2003/05/soap-envelope',
  'www.w3.org/2003/05/soap-encoding',
  'schemas.xmlsoap.org/soap/encoding',
  'schemas.xmlsoap.org/soap/envelope',
  'schemas.xmlsoap.org/wsdl',
  'schemas.xmlsoap.org/wsdl/soap',
  'schemas.xmlsoap.org/wsdl/soap12',
  'www.w3.org/2005/08/addressing',
  'www.w3.org/2006/03/addressing/ws-addr.xsd',
  'www.w3.org/2001/xmlschema.xsd',
  'www.w3.org/2001/xmlschema',
  'schemas.xmlsoap.org/ws/2004/08/addressing',
];

function normalizeLocation(loc: string): string {
  return loc.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

export function isKnownLocation(location: string): boolean {
  const n = normalizeLocation(location);
  return KNOWN_LOCATIONS.some((k) => n === k || n === `${k}.xsd` || n.startsWith(`${k}/`) && n.endsWith('.xsd') && k !== 'schemas.xmlsoap.org/wsdl');
}

export function isKnownNamespace(ns: string): boolean {
  return KNOWN_NAMESPACES.has(ns);
}

const XSD_BUILTIN_TYPES = new Set(
  ('anyType anySimpleType string normalizedString token language Name NCName ID IDREF IDREFS ENTITY ENTITIES ' +
    'NMTOKEN NMTOKENS boolean base64Binary hexBinary float double decimal integer nonPositiveInteger ' +
    'negativeInteger long int short byte nonNegativeInteger unsignedLong unsignedInt unsignedShort ' +
    'unsignedByte positiveInteger duration dateTime time date gYearMonth gYear gMonthDay gDay gMonth ' +
    'anyURI QName NOTATION dateTimeStamp').split(' '),
);

export function isXsdBuiltinType(local: string): boolean {
  return XSD_BUILTIN_TYPES.has(local);
}
