import type { Readable } from 'node:stream';
import type { BackendRequest, BackendResponse } from '../endpoints/endpoint';
import { bufferForReplay } from '../endpoints/replay';
import { BridgeError } from '../errors/bridge-error';

/**
 * Challenge-response schemes may need to send a request twice. Bodies up to `maxBytes` become a
 * Buffer (see endpoints/replay.ts); larger ones stay a stream that only one attempt can send.
 */
export async function makeReplayable(req: BackendRequest, maxBytes: number): Promise<BackendRequest> {
  return bufferForReplay(req, maxBytes);
}

export function canReplay(req: BackendRequest): boolean {
  return req.body === null || Buffer.isBuffer(req.body);
}

/** Reads and discards a response body we will not pass on (frees the connection for reuse). */
export async function discard(res: BackendResponse): Promise<void> {
  await drain(res.body);
}

async function drain(body: Readable): Promise<void> {
  try {
    for await (const chunk of body) void chunk;
  } catch {
    // A body that breaks while being discarded changes nothing for the caller.
  }
}

export function withHeader(req: BackendRequest, name: string, value: string): BackendRequest {
  return { ...req, headers: { ...req.headers, [name]: value } };
}

/** The client may have sent its own Authorization for the bridge; the backend gets ours only. */
export function withoutAuthorization(req: BackendRequest): BackendRequest {
  if (!('authorization' in req.headers)) return req;
  const headers = { ...req.headers };
  delete headers['authorization'];
  return { ...req, headers };
}

/** A 401 after we authenticated: our configured credentials are wrong. Never the backend's body. */
export function refused(scheme: string, res: BackendResponse, why: string): BridgeError {
  return new BridgeError('BACKEND_AUTH_FAILED', `${scheme}: the backend ${res.endpoint} answered ${res.status} ${why}`, {
    requestSent: true,
    extensions: { backendStatus: res.status },
  });
}
