/**
 * The one error catalogue. Every error a caller can see has a stable `code` here, an HTTP
 * status, the SOAP fault side it maps to (Client/Server in SOAP 1.1, Sender/Receiver in 1.2)
 * and a short title. Renderers (to-problem.ts, to-soap-fault.ts) read only this table, so a
 * SOAP caller and a REST caller always see the same code for the same failure.
 *
 * `retryable` marks failures a group endpoint may retry on another member: the request never
 * produced a usable answer from that member.
 */
export type FaultSide = 'client' | 'server';

export interface ErrorSpec {
  readonly status: number;
  readonly side: FaultSide;
  readonly title: string;
  readonly retryable: boolean;
}

export const ERROR_CODES = {
  ROUTE_NOT_FOUND: { status: 404, side: 'client', title: 'No API or resource matches this path', retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, side: 'client', title: 'The resource does not accept this method', retryable: false },
  BODY_TOO_LARGE: { status: 413, side: 'client', title: 'Request body exceeds limits.maxBodyBytes', retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, side: 'client', title: 'Content type not accepted here', retryable: false },
  UNAUTHORIZED: { status: 401, side: 'client', title: 'Missing or invalid credentials', retryable: false },
  FORBIDDEN: { status: 403, side: 'client', title: 'Credentials do not allow this', retryable: false },
  BAD_REQUEST: { status: 400, side: 'client', title: 'The request is malformed', retryable: false },
  REQUEST_INVALID: { status: 400, side: 'client', title: 'The request does not match the operation\'s schema', retryable: false },
  SOAP_VERSION_MISMATCH: { status: 500, side: 'client', title: 'SOAP version mismatch', retryable: false },
  SOAP_MALFORMED_ENVELOPE: { status: 400, side: 'client', title: 'The SOAP envelope is not well-formed', retryable: false },
  SOAP_UNKNOWN_OPERATION: { status: 400, side: 'client', title: 'The operation is not in the API\'s WSDL', retryable: false },
  ENDPOINT_UNREACHABLE: { status: 502, side: 'server', title: 'The backend could not be reached', retryable: true },
  ENDPOINT_TIMEOUT: { status: 504, side: 'server', title: 'The backend did not answer in time', retryable: true },
  ENDPOINT_ALL_SUSPENDED: { status: 503, side: 'server', title: 'No endpoint member is available', retryable: false },
  ENDPOINT_TLS_ERROR: { status: 502, side: 'server', title: 'TLS handshake with the backend failed', retryable: true },
  BACKEND_RESPONSE_INVALID: { status: 502, side: 'server', title: 'The backend answered with an invalid response', retryable: true },
  BACKEND_SERVER_FAULT: { status: 502, side: 'server', title: 'The backend answered with a server fault', retryable: true },
  BACKEND_AUTH_FAILED: { status: 502, side: 'server', title: 'The backend refused the bridge\'s credentials', retryable: false },
  AUTH_TOKEN_UNAVAILABLE: { status: 502, side: 'server', title: 'No access token could be obtained for the backend', retryable: false },
  BACKEND_CLIENT_FAULT: { status: 400, side: 'client', title: 'The backend rejected the request', retryable: false },
  API_NOT_SERVED: { status: 404, side: 'client', title: 'The API is not served in its lifecycle state', retryable: false },
  API_BLOCKED: { status: 503, side: 'server', title: 'The API is blocked', retryable: false },
  CONFIG_INVALID: { status: 422, side: 'client', title: 'The API definition is invalid', retryable: false },
  WSDL_INVALID: { status: 422, side: 'client', title: 'The WSDL could not be imported', retryable: false },
  PROTOTYPE_NOT_IMPLEMENTED: { status: 501, side: 'server', title: 'The prototype has no response or implementation for this resource', retryable: false },
  PROTOTYPE_SCRIPT_ERROR: { status: 500, side: 'server', title: 'The prototype implementation script failed', retryable: false },
  INTERNAL_ERROR: { status: 500, side: 'server', title: 'Internal bridge error', retryable: false },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function specOf(code: ErrorCode): ErrorSpec {
  return ERROR_CODES[code];
}
