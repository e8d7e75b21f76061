import { BridgeError, isBridgeError } from '../../errors/bridge-error';

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function codeOf(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

/**
 * Translates an undici/socket error into the catalogue. `requestSent` says whether bytes may
 * have reached the backend: connect-level failures never did, so a group may always re-send.
 */
export function translateUndiciError(e: unknown, target: string, timeouts: { connectMs: number; responseMs: number }): BridgeError {
  if (isBridgeError(e)) return e;
  const cause = (e as { cause?: unknown } | null)?.cause;
  if (isBridgeError(cause)) return cause;
  const code = codeOf(e) ?? codeOf(cause);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new BridgeError('ENDPOINT_TIMEOUT', `${target}: no connection within ${timeouts.connectMs} ms`, { cause: e, requestSent: false });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new BridgeError('ENDPOINT_TIMEOUT', `${target}: no response within ${timeouts.responseMs} ms`, { cause: e, requestSent: true });
  }
  if (code && NOT_SENT.has(code)) {
    return new BridgeError('ENDPOINT_UNREACHABLE', `${target}: ${code}`, { cause: e, requestSent: false });
  }
  if (code && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME/.test(code))) {
    return new BridgeError('ENDPOINT_TLS_ERROR', `${target}: ${code}`, { cause: e, requestSent: false });
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return new BridgeError('ENDPOINT_UNREACHABLE', `${target}: connection closed before a complete response`, { cause: e, requestSent: true });
  }
  if (code === 'UND_ERR_NOT_SUPPORTED') {
    // Something in the request undici will not send (a header it manages itself): the client's
    // request, not the backend, so a 400 that suspends nothing.
    return new BridgeError('BAD_REQUEST', `the request cannot be forwarded to ${target}: ${(e as Error)?.message ?? code}`, { cause: e, requestSent: false });
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'HPE_INVALID_CONSTANT') {
    return new BridgeError('BACKEND_RESPONSE_INVALID', `${target}: ${code}`, { cause: e, requestSent: true });
  }
  return new BridgeError('ENDPOINT_UNREACHABLE', `${target}: ${code ?? (e as Error)?.message ?? 'error'}`, { cause: e, requestSent: true });
}
