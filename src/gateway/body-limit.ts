import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { BridgeError } from '../errors/bridge-error';

export interface RequestBody {
  readonly body: Readable | null;
  readonly length?: number;
}

/**
 * Decides how a request body travels on: not at all, as the request stream itself (declared
 * length within the limit: Node enforces the length), or through a counting Transform for
 * chunked bodies, which fails with BODY_TOO_LARGE at the first byte past the limit.
 */
export function requestBody(req: IncomingMessage, maxBytes: number): RequestBody {
  const te = req.headers['transfer-encoding'];
  const cl = req.headers['content-length'];
  if (cl !== undefined && te === undefined) {
    const length = Number(cl);
    if (!Number.isSafeInteger(length) || length < 0) throw new BridgeError('BAD_REQUEST', 'invalid content-length');
    if (length > maxBytes) throw new BridgeError('BODY_TOO_LARGE', `content-length ${length} exceeds ${maxBytes} bytes`);
    return length === 0 ? { body: null, length: 0 } : { body: req, length };
  }
  if (te === undefined) return { body: null };
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > maxBytes) cb(new BridgeError('BODY_TOO_LARGE', `body exceeds ${maxBytes} bytes`, { requestSent: true }));
      else cb(null, chunk);
    },
  });
  req.on('error', (e) => limiter.destroy(e));
  req.pipe(limiter);
  return { body: limiter };
}

const EMPTY = Buffer.alloc(0);

/**
 * The whole request body, from 'data' events (no async iterator per request). Past `max` the
 * stream is paused and left unread, so the error response closes the connection.
 */
export function readBody(req: Readable, max: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let first: Buffer | null = null;
    let more: Buffer[] | null = null;
    let total = 0;
    const done = (): void => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > max) {
        done();
        req.pause();
        reject(new BridgeError('BODY_TOO_LARGE', `body exceeds ${max} bytes`));
        return;
      }
      if (first === null) first = chunk;
      else (more ??= [first]).push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(more ? Buffer.concat(more, total) : (first ?? EMPTY));
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    const onClose = (): void => {
      done();
      reject(new BridgeError('BAD_REQUEST', 'the request body could not be read (client closed the connection?)'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
