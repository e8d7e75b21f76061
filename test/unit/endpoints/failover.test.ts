import { Readable } from 'node:stream';
import { FailoverEndpoint } from '../../../src/endpoints/group/failover';
import { SuspendingEndpoint } from '../../../src/endpoints/suspending';
import { suspensionPolicy } from '../../../src/endpoints/state';
import { compileFailoverOn } from '../../../src/endpoints/group/failover-on';
import { ctx, readBody, request } from '../../utils/backends';
import { FakeLeaf, refused, reset, timedOut } from './fake-leaf';

function group(leaves: FakeLeaf[], opts: { sticky?: boolean; status?: number[]; clock?: () => number } = {}): FailoverEndpoint {
  const failoverOn = compileFailoverOn(opts.status ? { status: opts.status } : undefined);
  const members = leaves.map((l) => new SuspendingEndpoint(l, { policy: suspensionPolicy(), failoverOn, clock: opts.clock }));
  return new FailoverEndpoint({ name: 'f', members, sticky: opts.sticky, maxReplayBytes: 1024, clock: opts.clock });
}

describe('FailoverEndpoint', () => {
  it('sends to the first member and fails over to the next on a connect error', async () => {
    const [a, b] = [new FakeLeaf('a', () => refused()), new FakeLeaf('b')];
    const res = await group([a!, b!]).send(request({ method: 'POST', body: Buffer.from('x'), idempotent: false }), ctx());
    expect(await readBody(res.body)).toBe('b');
    expect(b!.received[0]!.body).toBe('x');
  });

  it('returns to the primary once it recovers; sticky keeps the member that worked', async () => {
    let now = 0;
    const clock = (): number => now;
    for (const sticky of [false, true]) {
      let down = true;
      const a = new FakeLeaf('a', () => (down ? refused() : { status: 200, body: 'a' }));
      const f = group([a, new FakeLeaf('b')], { sticky, clock });
      expect(await readBody((await f.send(request(), ctx())).body)).toBe('b');
      down = false;
      now += 1000; // a's suspension is over
      expect(await readBody((await f.send(request(), ctx())).body)).toBe(sticky ? 'b' : 'a');
    }
  });

  it('does not re-send a non-idempotent request that may have reached the backend', async () => {
    const [a, b] = [new FakeLeaf('a', () => reset()), new FakeLeaf('b')];
    await expect(group([a!, b!]).send(request({ method: 'POST', idempotent: false }), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE' });
    expect(b!.received).toHaveLength(0);
  });

  it('re-sends an idempotent request after a timeout', async () => {
    const [a, b] = [new FakeLeaf('a', () => timedOut()), new FakeLeaf('b')];
    expect((await group([a!, b!]).send(request(), ctx())).endpoint).toBe('b');
  });

  it('buffers a small streamed body once and re-sends it; a large stream is not re-sent once read', async () => {
    const small = await group([new FakeLeaf('a', () => refused()), new FakeLeaf('b')]).send(
      request({ method: 'PUT', body: Readable.from([Buffer.from('he'), Buffer.from('llo')]) }),
      ctx(),
    );
    expect(small.endpoint).toBe('b');
    const big = Buffer.alloc(4096, 'z');
    const [a, b] = [new FakeLeaf('a', () => refused()), new FakeLeaf('b')];
    await expect(group([a!, b!]).send(request({ method: 'PUT', body: Readable.from([big]), bodyLength: big.length }), ctx())).rejects.toMatchObject({
      code: 'ENDPOINT_UNREACHABLE',
    });
    expect(a!.received[0]!.body).toHaveLength(4096);
    expect(b!.received).toHaveLength(0);
  });

  it('fails over on a configured status and returns the last answer when every member gave it', async () => {
    const a = new FakeLeaf('a', () => ({ status: 503, body: 'busy a' }));
    const b = new FakeLeaf('b', () => ({ status: 503, body: 'busy b' }));
    const res = await group([a, b], { status: [503] }).send(request(), ctx());
    expect(res.status).toBe(503);
    expect(await readBody(res.body)).toBe('busy b');
    expect(a.received).toHaveLength(1);
  });

  it('passes a non-configured 5xx straight through', async () => {
    const b = new FakeLeaf('b');
    const res = await group([new FakeLeaf('a', () => ({ status: 500, body: 'boom' })), b], { status: [503] }).send(request(), ctx());
    expect(res.status).toBe(500);
    expect(b.received).toHaveLength(0);
  });

  it('throws ENDPOINT_ALL_SUSPENDED at once when no member is available', async () => {
    const leaves = [new FakeLeaf('a'), new FakeLeaf('b')];
    leaves.forEach((l) => (l.available = false));
    await expect(group(leaves).send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_ALL_SUSPENDED', status: 503 });
    expect(leaves.every((l) => l.received.length === 0)).toBe(true);
  });

  it('does not retry non-retryable errors', async () => {
    const { BridgeError } = await import('../../../src/errors/bridge-error');
    const b = new FakeLeaf('b');
    const a = new FakeLeaf('a', () => new BridgeError('BACKEND_CLIENT_FAULT', 'no'));
    await expect(group([a, b]).send(request(), ctx())).rejects.toMatchObject({ code: 'BACKEND_CLIENT_FAULT' });
    expect(b.received).toHaveLength(0);
  });
});

describe('nested groups and status-based failover', () => {
  it('an inner group whose members all answered a configured status does not stop the outer failover', async () => {
    const busy = (n: string): FakeLeaf => new FakeLeaf(n, () => ({ status: 503, body: `busy ${n}` }));
    const inner = group([busy('a'), busy('b')], { status: [503] });
    const spare = new FakeLeaf('spare');
    const outer = new FailoverEndpoint({ name: 'outer', members: [inner, new SuspendingEndpoint(spare, { policy: suspensionPolicy() })], maxReplayBytes: 1024 });
    const res = await outer.send(request(), ctx());
    expect([res.status, await readBody(res.body)]).toEqual([200, 'spare']);
    // and with nothing behind it, the outer group still returns the last real answer
    const alone = new FailoverEndpoint({ name: 'outer', members: [group([busy('c')], { status: [503] })], maxReplayBytes: 1024 });
    const last = await alone.send(request(), ctx());
    expect([last.status, await readBody(last.body)]).toEqual([503, 'busy c']);
  });
});
