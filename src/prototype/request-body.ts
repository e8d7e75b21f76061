import type { Readable } from 'node:stream';
import { BridgeError } from '../errors/bridge-error';
import { readUpTo } from '../endpoints/replay';

/** Buffers a request body up to `limit` bytes (413 beyond): scripts see the whole body. */
export async function bufferBody(body: Readable | Buffer | null, limit: number, signal: AbortSignal): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) {
    if (body.length > limit) throw tooLarge(limit);
    return body;
  }
  const read = await readUpTo(body, limit);
  if (signal.aborted) throw new BridgeError('BAD_REQUEST', 'the client went away');
  if (!read.complete) {
    read.stream.destroy();
    throw tooLarge(limit);
  }
  return read.buf;
}

function tooLarge(limit: number): BridgeError {
  return new BridgeError('BODY_TOO_LARGE', `a prototype implementation reads at most ${limit} bytes of request body (script.maxBodyBytes)`);
}
