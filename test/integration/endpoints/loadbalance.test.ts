import { LoadBalanceEndpoint } from '../../../src/endpoints/group/loadbalance';
import { HealthCheck } from '../../../src/endpoints/health-check';
import type { StateChange } from '../../../src/endpoints/suspending';
import { ctx, named, readBody, request, silentLog, startBackend, type Backend } from '../../utils/backends';
import { crashAndRestartUnderLoad, leafFor, Opened } from './setup';

const opened = new Opened();
afterEach(() => opened.closeAll());

async function backends(n: number): Promise<Backend[]> {
  return Promise.all(Array.from({ length: n }, async (_, i) => opened.add(await startBackend(`b${i}`, named(`b${i}`)))));
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('load balancing on real loopback backends', () => {
  it('kill one of three members under load and restart it: 0 client failures, traffic returns within its suspension window', async () => {
    const bs = await backends(3);
    const suspension = { initialMs: 200, progressionFactor: 2, maxMs: 800 };
    const members = bs.map((b) => leafFor(b, { suspension }));
    const lb = opened.add(new LoadBalanceEndpoint({ name: 'lb', members, maxReplayBytes: 64 * 1024 }));
    const changes: StateChange[] = [];
    members[1]!.on('stateChange', (c) => changes.push(c));
    // Eight clients under load; b1 crashes, stays down across several probes, comes back.
    const { sent, failed, backMs: back } = await crashAndRestartUnderLoad(bs[1]!, async () => readBody((await lb.send(request(), ctx())).body));
    expect(failed).toBe(0);
    expect(sent).toBeGreaterThan(100);
    expect(changes.some((c) => c.to.kind === 'SUSPENDED')).toBe(true);
    // the longest suspension it can be in is maxMs: it must be back within that (plus slack)
    expect(back).toBeLessThan(suspension.maxMs + 500);
    expect(members[1]!.state.kind).toBe('ACTIVE');
  });

  it('weighted round robin shares requests 3:1 within ±5% on real backends', async () => {
    const bs = await backends(2);
    const lb = opened.add(new LoadBalanceEndpoint({ name: 'lb', members: bs.map((b) => leafFor(b)), algorithm: 'weightedRoundRobin', weights: [3, 1], maxReplayBytes: 0 }));
    for (let i = 0; i < 1000; i++) await readBody((await lb.send(request(), ctx())).body);
    expect(Math.abs(bs[0]!.hits / 1000 - 0.75)).toBeLessThan(0.05);
  });

  it('session affinity by cookie keeps a client on one member', async () => {
    const bs = await backends(3);
    const lb = opened.add(new LoadBalanceEndpoint({ name: 'lb', members: bs.map((b) => leafFor(b)), affinity: { cookie: 'SB', timeoutMs: 60_000 }, maxReplayBytes: 0 }));
    const first = await lb.send(request(), ctx());
    const served = await readBody(first.body);
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    for (let i = 0; i < 20; i++) expect(await readBody((await lb.send(request({ headers: { cookie } }), ctx())).body)).toBe(served);
    expect(bs.find((b) => b.name === served)!.hits).toBe(21);
  });

  it('leastConnections avoids a member that is busy with slow requests', async () => {
    const bs = await backends(2);
    const pending: (() => void)[] = [];
    bs[0]!.handler = (_q, res) => void pending.push(() => res.end('b0'));
    const lb = opened.add(new LoadBalanceEndpoint({ name: 'lb', members: bs.map((b) => leafFor(b)), algorithm: 'leastConnections', maxReplayBytes: 0 }));
    const slow = lb.send(request(), ctx()); // goes to b0 (tie → first) and hangs
    await sleep(20);
    for (let i = 0; i < 5; i++) expect(await readBody((await lb.send(request(), ctx())).body)).toBe('b1');
    pending.forEach((f) => f());
    expect(await readBody((await slow).body)).toBe('b0');
  });

  it('an active health check ends a suspension as soon as the backend is back', async () => {
    const [b] = await backends(1);
    const leaf = leafFor(b!, { suspension: { initialMs: 60_000, maxMs: 60_000 } });
    opened.add(leaf);
    await b!.kill();
    await expect(leaf.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE' });
    expect(leaf.state.kind).toBe('SUSPENDED');
    const hc = new HealthCheck(leaf, { intervalMs: 30, path: '/health', kind: 'http', log: silentLog }).start();
    leaf.onClose(() => hc.close());
    await b!.restart();
    const t0 = Date.now();
    while (leaf.state.kind !== 'ACTIVE' && Date.now() - t0 < 2000) await sleep(10);
    expect(leaf.state.kind).toBe('ACTIVE');
  });
});
