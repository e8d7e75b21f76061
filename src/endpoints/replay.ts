import { Readable } from 'node:stream';
import type { BackendRequest } from './endpoint';
import { BridgeError } from '../errors/bridge-error';

/** A stream read up to a limit: all of it as one Buffer, or the prefix glued back onto the rest. */
export type Captured = { readonly complete: true; readonly buf: Buffer } | { readonly complete: false; readonly stream: Readable };

/**
 * Reads `body` until it ends or grows past `limit`. Past the limit nothing is lost: the chunks
 * read so far are replayed in front of the unread rest, and destroying the returned stream
 * destroys the source (so the client connection and the leaf's counters are released).
 */
export async function readUpTo(body: Readable, limit: number): Promise<Captured> {
  const it = body[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const r = await it.next();
    if (r.done) return { complete: true, buf: Buffer.concat(chunks, total) };
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
    chunks.push(chunk);
    total += chunk.length;
    if (total > limit) return { complete: false, stream: Readable.from(replayThenRest(chunks, it), { objectMode: false }) };
  }
}

async function* replayThenRest(head: Buffer[], it: AsyncIterator<unknown>): AsyncGenerator<Buffer> {
  try {
    yield* head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
    }
  } finally {
    await it.return?.();
  }
}

/**
 * Makes a request re-sendable before the first attempt when its body allows it: bodies up to
 * `maxBytes` (declared, or discovered while reading when the length is unknown) become a Buffer
 * that every attempt can send again. Larger bodies stay a stream, which one attempt consumes, so
 * `mayResend` then allows a second member only if the first never touched the stream.
 */
export async function bufferForReplay(req: BackendRequest, maxBytes: number): Promise<BackendRequest> {
  const body = req.body;
  if (body === null || Buffer.isBuffer(body) || maxBytes <= 0) return req;
  if (req.bodyLength !== undefined && req.bodyLength > maxBytes) return req;
  let captured: Captured;
  try {
    captured = await readUpTo(body, maxBytes);
  } catch (e) {
    throw new BridgeError('BAD_REQUEST', 'the request body could not be read (client closed the connection?)', { cause: e, retryable: false });
  }
  if (captured.complete) return { ...req, body: captured.buf, bodyLength: captured.buf.length };
  return { ...req, body: captured.stream };
}

/**
 * May the same request go to another member after `err`? Only failures marked retryable; a
 * request that may have reached a backend only when it is idempotent; and a streamed body only
 * when no byte of it was read (a consumed stream cannot be sent twice).
 */
export function mayResend(req: BackendRequest, err: BridgeError): boolean {
  if (!err.retryable) return false;
  if (err.requestSent && !req.idempotent) return false;
  const body = req.body;
  if (body !== null && !Buffer.isBuffer(body)) {
    return !err.requestSent && !body.destroyed && !Readable.isDisturbed(body);
  }
  return true;
}
