import { PassThrough, type Readable } from 'node:stream';
import { BridgeError } from '../errors/bridge-error';
import { MultipartScanner, type PartHeaders } from './multipart-related';
import { contentId } from './related-request';

/** The root part of a multipart/related body: its headers and its body bytes. */
export interface RootPart {
  readonly headers: PartHeaders;
  readonly body: Buffer;
}

/**
 * Passes a multipart/related body through unchanged once its root part is known good. Every
 * byte is held until the root part (the one whose Content-ID is `start`, else the first) has
 * ended, then `check` looks at it; on success the held bytes and the rest of the body go on as
 * they came, the rest streaming with backpressure and unparsed. What is held is bounded by the
 * body limit the caller applied (`requestBody`): attachments before the root part count too.
 *
 * As with inspectEnvelope, a body that has wholly arrived by then is returned as a Buffer (the
 * backend request needs no stream and can be re-sent), else a stream that replays the held
 * chunks in front of the rest. Nothing reaches the backend before `check` passed.
 *
 * @example
 * const { decision, body } = await inspectRelated(req, 'b1', 'root@x', async (root) => opOf(root), length);
 */
export function inspectRelated<T>(source: Readable, boundary: string, start: string | undefined, check: (root: RootPart) => Promise<T>, length?: number): Promise<{ decision: T; body: Readable | Buffer }> {
  return new Promise((resolve, reject) => {
    const held: Buffer[] = [];
    let heldBytes = 0;
    let mode: 'scan' | 'check' | 'stream' | 'done' = 'scan';
    let ended = false;
    let out: PassThrough | undefined;
    let parts = 0;
    let root: { headers: PartHeaders; chunks: Buffer[]; done: boolean } | undefined;
    const scanner = new MultipartScanner(boundary, {
      part: (headers) => {
        parts++;
        const cid = headers.get('content-id');
        const isRoot = start === undefined ? parts === 1 : cid !== undefined && contentId(cid) === start;
        if (isRoot) root = { headers, chunks: [], done: false };
      },
      data: (bytes) => {
        if (root && !root.done) root.chunks.push(bytes);
      },
      partEnd: () => {
        if (!root || root.done) return;
        root.done = true;
        scanner.stop();
      },
      close: () => undefined,
    });

    const fail = (e: unknown): void => {
      if (mode === 'done') return;
      mode = 'done';
      source.off('data', onData);
      source.resume(); // drain what is left so the connection can answer
      reject(e);
    };

    const release = (decision: T): void => {
      if (mode === 'done') return;
      if (ended || heldBytes === length) {
        mode = 'done';
        source.off('data', onData);
        source.resume();
        resolve({ decision, body: held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes) });
        return;
      }
      mode = 'stream';
      const o = (out = new PassThrough());
      o.once('close', () => {
        // The backend side went away (error/abort): stop holding the client's bytes back.
        if (!source.readableEnded) source.resume();
      });
      for (const c of held) o.write(c);
      held.length = 0;
      source.resume();
      resolve({ decision, body: o });
    };

    const onData = (chunk: Buffer): void => {
      if (mode === 'stream') {
        const o = out!;
        if (o.destroyed) return;
        if (!o.write(chunk)) {
          source.pause();
          o.once('drain', () => source.resume());
        }
        return;
      }
      held.push(chunk);
      heldBytes += chunk.length;
      if (mode !== 'scan') return;
      try {
        scanner.write(chunk);
      } catch (e) {
        return fail(e);
      }
      if (!root && scanner.closed) {
        return fail(new BridgeError('SOAP_MALFORMED_ENVELOPE', `no root part: no part has Content-ID <${start ?? ''}> (the start parameter)`));
      }
      if (root?.done) {
        mode = 'check';
        source.pause();
        const r = root;
        check({ headers: r.headers, body: r.chunks.length === 1 ? r.chunks[0]! : Buffer.concat(r.chunks) }).then(release, fail);
      }
    };

    source.on('data', onData);
    source.once('end', () => {
      ended = true;
      if (mode === 'stream') out!.end();
      if (mode !== 'scan') return;
      fail(
        root
          ? new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the body ended before the closing boundary of the root part')
          : scanner.closed
            ? new BridgeError('SOAP_MALFORMED_ENVELOPE', `no root part: no part has Content-ID <${start ?? ''}> (the start parameter)`)
            : endError(scanner),
      );
    });
    source.once('error', (e) => {
      if (mode === 'stream') out!.destroy(e);
      else fail(e);
    });
  });
}

function endError(scanner: MultipartScanner): unknown {
  try {
    scanner.end();
  } catch (e) {
    return e;
  }
  return new BridgeError('SOAP_MALFORMED_ENVELOPE', 'no root part in the multipart body');
}
