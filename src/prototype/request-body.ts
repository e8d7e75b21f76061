import type { Readable } from 'node:stream';
import { BridgeError } from '../errors/bridge-error';

/** Buffers a request body up to `limit` bytes (413 beyond): scripts see the whole body. */
export async function bufferBody(body: Readable | Buffer | null, limit: number, signal: AbortSignal): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) {
    if (body.length > limit) throw tooLarge(limit);
    return body;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (signal.aborted) throw new BridgeError('BAD_REQUEST', 'the client went away');
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > limit) {
      body.destroy();
      throw tooLarge(limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): BridgeError {
  return new BridgeError('BODY_TOO_LARGE', `a prototype implementation reads at most ${limit} bytes of request body (script.maxBodyBytes)`);
}
