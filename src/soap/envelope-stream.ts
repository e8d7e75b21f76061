import { PassThrough, type Readable } from 'node:stream';
import { BridgeError } from '../errors/bridge-error';
import type { SoapVersion } from '../errors/to-soap-fault';
import { EnvelopeInspector, type EnvelopeStart } from './envelope-inspector';
import { quickEnvelope } from './quick-envelope';

/** Bytes held back while looking for the first Body child (SOAP headers rarely exceed a few KiB). */
export const MAX_HEAD_BYTES = 1024 * 1024;

/**
 * Streams an envelope through the inspector. Chunks are held only until the operation is known
 * (first Body child); then they are released to the returned stream and the rest flows through
 * with backpressure while the inspector keeps checking well-formedness. A problem found after
 * release destroys the outgoing stream, which aborts the backend request.
 *
 * When the declared `length` has all arrived by then (the common small envelope), the document
 * is checked to its end at once and the body is returned as a Buffer: nothing is sent before
 * the whole envelope is known good, and the backend request needs no stream.
 */
export function inspectEnvelope<T>(source: Readable, version: SoapVersion, decide: (start: EnvelopeStart) => T, length?: number): Promise<{ decision: T; body: Readable | Buffer }> {
  return new Promise((resolve, reject) => {
    let out: PassThrough | undefined;
    let held: Buffer[] | null = [];
    let heldBytes = 0;
    let decision: { value: T } | undefined;
    let settled = false;
    let failed = false;
    let whole = false;
    const failEarly = (e: unknown): void => {
      if (settled) return;
      settled = true;
      failed = true;
      source.off('data', onData);
      source.resume(); // drain what is left so the connection can answer
      reject(e);
    };
    let full: EnvelopeInspector | undefined;
    const inspector = (): EnvelopeInspector =>
      (full ??= new EnvelopeInspector(version, (start) => {
        decision = { value: decide(start) }; // may throw: unknown operation
      }));
    const onData = (chunk: Buffer): void => {
      try {
        // The whole envelope in one UTF-8 chunk (the usual small request): the quick subset
        // check; anything it does not vouch for goes through saxes below.
        if (heldBytes === 0 && chunk.length === length && length >= 2 && chunk[0] === 0x3c && chunk[1] !== 0x00) {
          const start = quickEnvelope(chunk.toString('utf8'), version);
          if (start) {
            const value = decide(start);
            held = null;
            settled = true;
            whole = true;
            source.off('data', onData);
            resolve({ decision: value, body: chunk });
            return;
          }
        }
        if (held) {
          held.push(chunk);
          heldBytes += chunk.length;
          inspector().write(chunk);
          if (decision && heldBytes === length) {
            inspector().end();
            const body = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
            held = null;
            settled = true;
            whole = true;
            source.off('data', onData);
            resolve({ decision: decision.value, body });
          } else if (decision) {
            const release = held;
            held = null;
            settled = true;
            out = new PassThrough();
            out.once('close', () => {
              // The backend side went away (error/abort): stop reading the client.
              if (!source.readableEnded) source.resume();
            });
            for (const c of release) out.write(c);
            resolve({ decision: decision.value, body: out });
          } else if (heldBytes > MAX_HEAD_BYTES) {
            throw new BridgeError('SOAP_MALFORMED_ENVELOPE', `no Body element within the first ${MAX_HEAD_BYTES} bytes`);
          }
          return;
        }
        inspector().write(chunk);
        const o = out!;
        if (!o.write(chunk)) {
          source.pause();
          o.once('drain', () => source.resume());
        }
      } catch (e) {
        if (!settled) failEarly(e);
        else if (!failed) out?.destroy(e as Error);
      }
    };
    source.on('data', onData);
    // Once a whole envelope was handed over as a Buffer, the request stream has nothing left to
    // say: its 'end' (and a late error, e.g. the client going away) is the response's business.
    source.once('end', () => {
      if (failed || whole) return;
      try {
        inspector().end();
        if (!settled) failEarly(new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the envelope has no Body'));
        else out?.end();
      } catch (e) {
        if (!settled) failEarly(e);
        else out?.destroy(e as Error);
      }
    });
    source.once('error', (e) => {
      if (whole) return;
      if (!settled) failEarly(e);
      else if (!failed) out?.destroy(e);
    });
  });
}
