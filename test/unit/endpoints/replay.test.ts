import { Readable } from 'node:stream';
import { bufferForReplay, mayResend, readUpTo } from '../../../src/endpoints/replay';
import { BridgeError } from '../../../src/errors/bridge-error';
import { readBody, request } from '../../utils/backends';

const stream = (...parts: string[]): Readable => Readable.from(parts.map((p) => Buffer.from(p)));

describe('replay buffering', () => {
  it('buffers a body up to the limit, declared or discovered', async () => {
    const known = await bufferForReplay(request({ body: stream('ab', 'cd'), bodyLength: 4 }), 4);
    expect(known.body).toEqual(Buffer.from('abcd'));
    const unknown = await bufferForReplay(request({ body: stream('ab', 'cd') }), 10);
    expect(unknown).toMatchObject({ body: Buffer.from('abcd'), bodyLength: 4 });
  });

  it('streams a larger body without losing the bytes read while discovering its size', async () => {
    const r = await bufferForReplay(request({ body: stream('abc', 'def', 'ghi') }), 4);
    expect(Buffer.isBuffer(r.body)).toBe(false);
    expect(await readBody(r.body as Readable)).toBe('abcdefghi');
    const declared = request({ body: stream('x'), bodyLength: 100 });
    expect(await bufferForReplay(declared, 10)).toBe(declared);
  });

  it('readUpTo reports a complete read', async () => {
    const c = await readUpTo(stream('a', 'b'), 2);
    expect(c).toEqual({ complete: true, buf: Buffer.from('ab') });
  });

  it('mayResend: only retryable; sent bytes need idempotent; a read stream never', () => {
    const notSent = new BridgeError('ENDPOINT_UNREACHABLE', 'refused', { requestSent: false });
    const sent = new BridgeError('ENDPOINT_TIMEOUT', 'slow', { requestSent: true });
    expect(mayResend(request({ idempotent: false, body: Buffer.from('x') }), notSent)).toBe(true);
    expect(mayResend(request({ idempotent: false }), sent)).toBe(false);
    expect(mayResend(request({ idempotent: true }), sent)).toBe(true);
    expect(mayResend(request(), new BridgeError('BACKEND_CLIENT_FAULT', 'no'))).toBe(false);
    const untouched = stream('x');
    expect(mayResend(request({ body: untouched }), notSent)).toBe(true);
    untouched.read();
    expect(mayResend(request({ body: untouched }), notSent)).toBe(false);
    expect(mayResend(request({ body: stream('y') }), sent)).toBe(false);
  });
});
