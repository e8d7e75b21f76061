import { BridgeError } from '../errors/bridge-error';
import { MultipartScanner } from './multipart-related';
import { contentId } from './related-request';

/**
 * Where the root part's body lies in a whole (buffered) multipart/related body: `body[from, to)`
 * are the envelope's bytes, so an auth step can rewrite the envelope and splice it back between
 * the untouched bytes around it (attachments stay byte for byte).
 *
 * @example const { from, to } = rootPartRange(body, 'b1', 'root@x');
 *          const out = Buffer.concat([body.subarray(0, from), rewritten, body.subarray(to)]);
 */
export function rootPartRange(body: Buffer, boundary: string, start: string | undefined): { from: number; to: number } {
  let parts = 0;
  let inRoot = false;
  let from = -1;
  let to = -1;
  let contiguous = true;
  let ended = false;
  const scanner = new MultipartScanner(boundary, {
    part: (headers) => {
      parts++;
      const cid = headers.get('content-id');
      inRoot = from < 0 && (start === undefined ? parts === 1 : cid !== undefined && contentId(cid) === start);
    },
    data: (bytes) => {
      if (!inRoot) return;
      // One write of the whole body: the scanner hands out views into it, in order.
      const at = bytes.buffer === body.buffer ? bytes.byteOffset - body.byteOffset : -1;
      if (at < 0 || (to >= 0 && at !== to)) contiguous = false;
      if (from < 0) from = at;
      to = at + bytes.length;
    },
    partEnd: () => {
      if (!inRoot) return;
      inRoot = false;
      ended = true;
      if (from < 0) from = to = -2; // an empty root part
      scanner.stop();
    },
    close: () => undefined,
  });
  scanner.write(body);
  if (!ended && from >= 0) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the body ended before the closing boundary of the root part');
  if (from === -1) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', `no root part: no part has Content-ID <${start ?? ''}> (the start parameter)`);
  if (from === -2) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the root part is empty');
  if (!contiguous) throw new BridgeError('SOAP_MALFORMED_ENVELOPE', 'the root part could not be located in the body');
  return { from, to };
}
