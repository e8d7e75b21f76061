import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { BackendResponse } from '../endpoints/endpoint';
import { type BridgeError, toBridgeError } from '../errors/bridge-error';
import { toProblem, PROBLEM_CONTENT_TYPE } from '../errors/to-problem';
import { toSoapFault, type SoapVersion } from '../errors/to-soap-fault';

/** How the caller wants errors: problem+json for REST callers, a Fault of their SOAP version. */
export type ErrorStyle = { kind: 'problem' } | { kind: 'soap'; version: SoapVersion };

export const PROBLEM: ErrorStyle = { kind: 'problem' };

/** Renders an error in the caller's style. No-op when headers already went out. */
export function sendError(req: IncomingMessage, res: ServerResponse, e: unknown, style: ErrorStyle, requestId: string, extraHeaders: Record<string, string> = {}): BridgeError {
  const err = toBridgeError(e);
  if (res.headersSent) {
    // The status line already left: all we can do is abort so the client sees a broken response.
    res.destroy(err);
    return err;
  }
  let status: number;
  let contentType: string;
  let body: string;
  if (style.kind === 'soap') {
    ({ status, contentType, body } = toSoapFault(err, style.version, requestId));
  } else {
    status = err.status;
    contentType = PROBLEM_CONTENT_TYPE;
    body = JSON.stringify(toProblem(err, { instance: req.url, requestId }));
  }
  // If the request body was not read (e.g. 413 before streaming), close the connection rather
  // than read megabytes we are going to refuse anyway.
  const unread = !req.complete && req.readable;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    ...(unread ? { connection: 'close' } : {}),
    ...extraHeaders,
  });
  res.end(body);
  if (unread) req.resume();
  return err;
}

/**
 * Streams a backend response to the client. A backend that dies mid-body makes pipeline
 * destroy the client socket, so the client sees an aborted response instead of a truncated
 * one that looks complete.
 */
export function relayResponse(res: ServerResponse, backend: BackendResponse, requestId: string, extraHeaders?: Record<string, string>, onDone?: (err?: Error) => void): void {
  const headers: Record<string, string | string[]> = { ...backend.headers, 'x-request-id': requestId, ...extraHeaders };
  res.writeHead(backend.status, headers);
  pipeline(backend.body, res, (err) => onDone?.(err ?? undefined));
}
