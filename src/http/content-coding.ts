import { brotliDecompress, gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';
import { promisify } from 'node:util';
import { BridgeError } from '../errors/bridge-error';

/** A request body's `Content-Encoding` the bridge can read: RFC 9110 §8.4.1 codings (and `x-gzip`). */
export type ContentCoding = 'gzip' | 'deflate' | 'br';

/**
 * The coding of a request body, undefined for none (or `identity`). One coding only: a stack of
 * them (`gzip, br`) or an unknown one is refused, so the bridge never checks bytes it cannot read.
 */
export function requestCoding(header: string | string[] | undefined): ContentCoding | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim().toLowerCase();
  if (value === '' || value === 'identity') return undefined;
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate' || value === 'br') return value;
  throw new BridgeError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${value}" is not supported: send the body uncompressed or as gzip, deflate or br`);
}

type Decoder = (buf: InputType, opts: ZlibOptions) => Promise<Buffer>;
const gunzipAsync = promisify(gunzip) as Decoder;
const inflateAsync = promisify(inflate) as Decoder;
const inflateRawAsync = promisify(inflateRaw) as Decoder;
const brotliAsync = promisify(brotliDecompress) as Decoder;

/**
 * The decoded body, at most `maxBytes` (a small compressed body can expand to gigabytes: zlib
 * stops at the limit, BODY_TOO_LARGE). Corrupt data is the client's BAD_REQUEST. `deflate` is
 * the zlib format (RFC 9110), raw DEFLATE accepted too, as browsers and servers do.
 */
export async function decodeBody(buf: Buffer, coding: ContentCoding, maxBytes: number): Promise<Buffer> {
  const opts = { maxOutputLength: maxBytes };
  try {
    if (coding === 'gzip') return await gunzipAsync(buf, opts);
    if (coding === 'br') return await brotliAsync(buf, opts);
    try {
      return await inflateAsync(buf, opts);
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw e;
      return await inflateRawAsync(buf, opts);
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new BridgeError('BODY_TOO_LARGE', `the ${coding}-encoded body expands beyond ${maxBytes} bytes`);
    throw new BridgeError('BAD_REQUEST', `the body is not valid ${coding}: ${(e as Error).message}`);
  }
}
