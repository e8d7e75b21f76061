import type { IncomingHttpHeaders } from 'node:http';
import { BridgeError } from '../errors/bridge-error';
import type { SoapVersion } from '../errors/to-soap-fault';
import { firstHeader } from '../http/headers';
import { parseMediaType, type MediaType } from './media-type';
import { isValidBoundary, type PartHeaders } from './multipart-related';
import { soap11Action } from './request-info';

type EnvelopeType = 'text/xml' | 'application/soap+xml';

/**
 * A SOAP message with attachments as the HTTP headers describe it: MTOM/XOP
 * (`type="application/xop+xml"`, the envelope's own type in `start-info`) or SwA
 * (`type="text/xml"` / `type="application/soap+xml"`).
 */
export interface RelatedSoapRequest {
  readonly version: SoapVersion;
  readonly mtom: boolean;
  readonly boundary: string;
  /** Content-ID of the root part without angle brackets; undefined: the first part is the root. */
  readonly start: string | undefined;
  /** What the envelope is (text/xml: SOAP 1.1, application/soap+xml: SOAP 1.2). */
  readonly envelopeType: EnvelopeType;
  /** SOAP 1.1: SOAPAction. SOAP 1.2: `action` of start-info, else of the multipart type (the root part's comes in between). */
  readonly soapAction: string;
  readonly startInfoAction: string | undefined;
  readonly multipartAction: string | undefined;
}

/** The request, or why not with the SOAP version its Fault should have (1.1 when unknown). */
export type RelatedRequestInfo = { readonly ok: true; readonly request: RelatedSoapRequest } | { readonly ok: false; readonly version: SoapVersion; readonly error: BridgeError };

/**
 * Reads `Content-Type: multipart/related; ...` of a SOAP POST. Answers undefined for other
 * content types.
 *
 * @example relatedRequestInfo({ 'content-type': 'multipart/related; type="application/xop+xml"; start="<r>"; start-info="application/soap+xml"; boundary=b1' })
 *   // { ok: true, request: { version: '1.2', mtom: true, boundary: 'b1', start: 'r', ... } }
 */
export function relatedRequestInfo(headers: IncomingHttpHeaders): RelatedRequestInfo | undefined {
  const raw = firstHeader(headers['content-type']) ?? '';
  if (!/^[ \t]*multipart\/related[ \t]*(;|$)/i.test(raw)) return undefined;
  const unsupported = (version: SoapVersion, detail: string): RelatedRequestInfo => ({ ok: false, version, error: new BridgeError('UNSUPPORTED_MEDIA_TYPE', detail) });
  const mt = parseMediaType(raw);
  if (!mt) return unsupported('1.1', 'malformed multipart/related content type');
  const type = mt.params.get('type');
  const typeEssence = type === undefined ? undefined : parseMediaType(type)?.essence;
  let startInfo: MediaType | undefined;
  let envelopeType: EnvelopeType;
  if (typeEssence === 'application/xop+xml') {
    const si = mt.params.get('start-info');
    startInfo = si === undefined ? undefined : parseMediaType(si);
    const e = startInfo?.essence;
    if (e !== 'text/xml' && e !== 'application/soap+xml') {
      return unsupported('1.1', `MTOM (type="application/xop+xml") needs start-info naming the envelope's content type, text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2); got ${si === undefined ? 'none' : `"${si}"`}`);
    }
    envelopeType = e;
  } else if (typeEssence === 'text/xml' || typeEssence === 'application/soap+xml') {
    envelopeType = typeEssence;
  } else {
    return unsupported('1.1', `multipart/related type ${type === undefined ? 'missing' : `"${type}"`}: expected application/xop+xml (MTOM), text/xml or application/soap+xml (SOAP with attachments)`);
  }
  const version: SoapVersion = envelopeType === 'text/xml' ? '1.1' : '1.2';
  const boundary = mt.params.get('boundary');
  if (boundary === undefined) return unsupported(version, 'multipart/related without a boundary parameter');
  if (!isValidBoundary(boundary)) return unsupported(version, `invalid multipart boundary "${boundary}" (RFC 2046: 1-70 characters from a restricted set)`);
  const start = mt.params.get('start');
  return {
    ok: true,
    request: {
      version,
      mtom: startInfo !== undefined,
      boundary,
      start: start === undefined ? undefined : contentId(start),
      envelopeType,
      soapAction: version === '1.1' ? soap11Action(headers) : '',
      startInfoAction: startInfo?.params.get('action'),
      multipartAction: mt.params.get('action'),
    },
  };
}

/** A Content-ID (or `start`) without white space and angle brackets: `<a@b>` and `a@b` name the same part. */
export function contentId(value: string): string {
  const v = value.trim();
  return v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1).trim() : v;
}

/**
 * Checks the root part's headers against the request and answers the SOAP action: the root must
 * be the declared envelope type (under MTOM, `application/xop+xml` whose `type` is it) in an
 * identity transfer encoding, so its bytes are the envelope the backend will read.
 */
export function checkRootPart(req: RelatedSoapRequest, headers: PartHeaders): { action: string } {
  const raw = headers.get('content-type');
  if (raw === undefined) throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', 'the root part has no Content-Type (text/plain by default), not a SOAP envelope');
  const mt = parseMediaType(raw);
  if (!mt) throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', `malformed Content-Type of the root part: "${raw.slice(0, 200)}"`);
  let inner: MediaType | undefined;
  if (req.mtom) {
    const t = mt.params.get('type');
    inner = t === undefined ? undefined : parseMediaType(t);
    if (mt.essence !== 'application/xop+xml' || inner?.essence !== req.envelopeType) {
      throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', `the MTOM root part must be application/xop+xml; type="${req.envelopeType}" (as start-info says), not "${raw.slice(0, 200)}"`);
    }
  } else if (mt.essence !== req.envelopeType) {
    throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', `the root part must be ${req.envelopeType} (the multipart type), not "${raw.slice(0, 200)}"`);
  }
  const cte = headers.get('content-transfer-encoding')?.toLowerCase();
  if (cte !== undefined && cte !== '7bit' && cte !== '8bit' && cte !== 'binary') {
    throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', `the root part's Content-Transfer-Encoding "${cte}" is not supported (7bit, 8bit or binary)`);
  }
  if (req.version === '1.1') return { action: req.soapAction };
  return { action: req.startInfoAction ?? mt.params.get('action') ?? inner?.params.get('action') ?? req.multipartAction ?? '' };
}
