import type { IncomingMessage, ServerResponse } from 'node:http';
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
 * Streams a backend response to the client. A backend that dies mid-body destroys the client
 * socket, so the client sees an aborted response instead of a truncated one that looks complete;
 * a client that goes away stops the backend read (undici frees the connection).
 *
 * `pipe()` plus these two paths rather than `stream.pipeline()`: on Node 20 pipeline creates an
 * AbortController per call and aborts it on completion, constructing a DOMException with a stack
 * for every request — a third of the bridge's CPU per request in the profile (bench/PROFILE.md).
 */
export function relayResponse(res: ServerResponse, backend: BackendResponse, requestId: string, extraHeaders?: Record<string, string>, onDone?: (err?: Error) => void): void {
  res.writeHead(backend.status, { ...backend.headers, 'x-request-id': requestId, ...extraHeaders });
  const body = backend.body;
  let done = false;
  const finish = (err?: Error): void => {
    if (!done) {
      done = true;
      onDone?.(err);
    }
  };
  body.once('error', (err) => {
    res.destroy(err);
    finish(err);
  });
  res.once('close', () => {
    if (res.writableFinished) finish();
    else {
      body.destroy();
      finish(new Error('client closed the connection'));
    }
  });
  body.pipe(res);
}
