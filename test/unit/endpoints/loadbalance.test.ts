import { LoadBalanceEndpoint, type LoadBalanceOptions } from '../../../src/endpoints/group/loadbalance';
import { SuspendingEndpoint } from '../../../src/endpoints/suspending';
import { suspensionPolicy } from '../../../src/endpoints/state';
import { ctx, readBody, request } from '../../utils/backends';
import { FakeLeaf, refused } from './fake-leaf';

function lb(leaves: FakeLeaf[], opts: Partial<LoadBalanceOptions> = {}): LoadBalanceEndpoint {
  const members = leaves.map((l) => new SuspendingEndpoint(l, { policy: suspensionPolicy(), clock: opts.clock }));
  return new LoadBalanceEndpoint({ name: 'lb', members, maxReplayBytes: 1024, ...opts });
}
const leaves = (n: number): FakeLeaf[] => Array.from({ length: n }, (_, i) => new FakeLeaf(`m${i}`));
const who = async (e: LoadBalanceEndpoint, headers: Record<string, string> = {}): Promise<string> => (await e.send(request({ headers }), ctx())).endpoint;

describe('LoadBalanceEndpoint', () => {
  it('round-robins and retries a failing member’s request on the next one', async () => {
    const ls = leaves(3);
    ls[1]!.behave = () => refused();
    const e = lb(ls);
    const served = [];
    for (let i = 0; i < 6; i++) served.push(await who(e));
    expect(served).toEqual(['m0', 'm2', 'm0', 'm2', 'm0', 'm2']);
    expect(ls[1]!.received).toHaveLength(1); // then suspended, never tried again within its window
  });

  it('weights shares with weightedRoundRobin', async () => {
    const e = lb(leaves(2), { algorithm: 'weightedRoundRobin', weights: [3, 1] });
    const served: string[] = [];
    for (let i = 0; i < 8; i++) served.push(await who(e));
    expect(served.filter((s) => s === 'm0')).toHaveLength(6);
  });

  it('keeps a session on its member by cookie: sets the cookie, then honours it', async () => {
    const e = lb(leaves(3), { affinity: { cookie: 'SB_SESSION' } });
    const first = await e.send(request(), ctx());
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^SB_SESSION=/);
    for (let i = 0; i < 5; i++) expect(await who(e, { cookie: `a=b; ${cookie}` })).toBe(first.endpoint);
  });

  it('learns the backend’s own session cookie', async () => {
    const ls = leaves(2);
    ls.forEach((l) => (l.behave = () => ({ status: 200, headers: { 'set-cookie': `JSESSIONID=${l.name}-1; Path=/` } })));
    const e = lb(ls, { affinity: { cookie: 'JSESSIONID' } });
    const first = await e.send(request(), ctx());
    expect(first.headers['set-cookie']).toBe(`JSESSIONID=${first.endpoint}-1; Path=/`);
    for (let i = 0; i < 3; i++) expect(await who(e, { cookie: `JSESSIONID=${first.endpoint}-1` })).toBe(first.endpoint);
  });

  it('keeps a session by header until its timeout, and moves it when the member is down', async () => {
    let now = 0;
    const ls = leaves(3);
    const e = lb(ls, { affinity: { header: 'x-session', timeoutMs: 1000 }, clock: () => now });
    const pinned = await who(e, { 'x-session': 's1' });
    for (let i = 0; i < 4; i++) expect(await who(e, { 'x-session': 's1' })).toBe(pinned);
    ls.find((l) => l.name === pinned)!.available = false;
    const moved = await who(e, { 'x-session': 's1' });
    expect(moved).not.toBe(pinned);
    ls.forEach((l) => (l.available = true));
    expect(await who(e, { 'x-session': 's1' })).toBe(moved);
    now += 1001; // expired: the algorithm decides again (round robin moves on)
    const after = [await who(e, { 'x-session': 's2' }), await who(e, { 'x-session': 's1' })];
    expect(new Set(after).size).toBe(2);
  });

  it('sends to the member with fewest requests in flight', async () => {
    const ls = leaves(3);
    ls[0]!.inFlight = 4;
    ls[1]!.inFlight = 1;
    ls[2]!.inFlight = 2;
    expect(await who(lb(ls, { algorithm: 'leastConnections' }))).toBe('m1');
  });

  it('throws ENDPOINT_ALL_SUSPENDED when every member is unavailable', async () => {
    const ls = leaves(2);
    ls.forEach((l) => (l.available = false));
    await expect(lb(ls).send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_ALL_SUSPENDED' });
  });

  it('reports members and in-flight totals in status()', async () => {
    const e = lb(leaves(2));
    await readBody((await e.send(request(), ctx())).body);
    const s = e.status();
    expect(s).toMatchObject({ name: 'lb', type: 'loadbalance', state: 'ACTIVE', requests: 1, failures: 0 });
    expect(s.members?.map((m) => m.name)).toEqual(['m0', 'm1']);
  });
});
