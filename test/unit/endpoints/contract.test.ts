import type { Endpoint } from '../../../src/endpoints/endpoint';
import { SuspendingEndpoint } from '../../../src/endpoints/suspending';
import { suspensionPolicy } from '../../../src/endpoints/state';
import { FailoverEndpoint } from '../../../src/endpoints/group/failover';
import { LoadBalanceEndpoint } from '../../../src/endpoints/group/loadbalance';
import { DynamicEndpoint } from '../../../src/endpoints/dynamic/dynamic';
import { compileRule } from '../../../src/endpoints/dynamic/rules';
import { ctx, readBody, request } from '../../utils/backends';
import { FakeLeaf, refused } from './fake-leaf';

/**
 * The contract every Endpoint kind passes (like hono's common.case.test.ts): each case builds a
 * fresh endpoint over fake leaves whose first healthy leaf answers "ok", and whose leaves can all
 * be made unavailable.
 */
interface Built {
  readonly endpoint: Endpoint;
  readonly leaves: FakeLeaf[];
}
const ok = (): FakeLeaf => new FakeLeaf('ok', () => ({ status: 200, body: 'ok' }));
const suspending = (l: FakeLeaf): SuspendingEndpoint => new SuspendingEndpoint(l, { policy: suspensionPolicy() });

const kinds: Record<string, () => Built> = {
  suspending: () => {
    const l = ok();
    return { endpoint: suspending(l), leaves: [l] };
  },
  failover: () => {
    const l = [ok(), ok()];
    return { endpoint: new FailoverEndpoint({ name: 'f', members: l.map(suspending), maxReplayBytes: 1024 }), leaves: l };
  },
  loadbalance: () => {
    const l = [ok(), ok(), ok()];
    return { endpoint: new LoadBalanceEndpoint({ name: 'lb', members: l.map(suspending), algorithm: 'weightedRoundRobin', maxReplayBytes: 1024 }), leaves: l };
  },
  dynamic: () => {
    const l = [ok(), ok()];
    const [a, b] = l.map(suspending);
    return { endpoint: new DynamicEndpoint({ name: 'd', routes: [{ rule: compileRule({ header: 'x-r', equals: 'a', endpoint: { type: 'http', url: 'x' } }, 'r'), endpoint: a! }], fallback: b!, maxReplayBytes: 1024 }), leaves: l };
  },
  'failover of load-balancers': () => {
    const l = [ok(), ok(), ok(), ok()];
    const s = l.map(suspending);
    const lb = (i: number): Endpoint => new LoadBalanceEndpoint({ name: `lb${i}`, members: s.slice(i, i + 2), maxReplayBytes: 1024 });
    return { endpoint: new FailoverEndpoint({ name: 'f', members: [lb(0), lb(2)], maxReplayBytes: 1024 }), leaves: l };
  },
};

describe.each(Object.entries(kinds))('Endpoint contract: %s', (_kind, build) => {
  it('delivers a request and returns the backend answer with the answering leaf named', async () => {
    const { endpoint } = build();
    const res = await endpoint.send(request(), ctx());
    expect(res.status).toBe(200);
    expect(await readBody(res.body)).toBe('ok');
    expect(res.endpoint).toBe('ok');
  });

  it('isAvailable is a pure query: asking does not change what it says or the status', () => {
    const { endpoint } = build();
    const before = JSON.stringify(endpoint.status());
    for (let i = 0; i < 5; i++) expect(endpoint.isAvailable(Date.now())).toBe(true);
    expect(JSON.stringify(endpoint.status())).toBe(before);
  });

  it('status names the endpoint, counts requests and nests members for groups', async () => {
    const { endpoint } = build();
    await readBody((await endpoint.send(request(), ctx())).body);
    const s = endpoint.status();
    expect(s.name).toBe(endpoint.name);
    expect(s.state).toBe('ACTIVE');
    expect(s.requests).toBe(1);
    expect((s.members?.length ?? 0) > 0).toBe(endpoint.children().length > 0);
  });

  it('throws a BridgeError (never hangs) when every leaf fails', async () => {
    const { endpoint, leaves } = build();
    for (const l of leaves) l.behave = () => refused(l.name);
    // 1. one request per leaf, so even a dynamic endpoint (one leaf per route) reaches them all
    for (let i = 0; i < leaves.length; i++) {
      const req = request({ headers: { 'x-r': i === 0 ? 'a' : 'b' } });
      await expect(endpoint.send(req, ctx())).rejects.toMatchObject({ name: 'BridgeError' });
    }
    // 2. every leaf is now suspended: the endpoint says so and refuses at once
    expect(endpoint.isAvailable(Date.now())).toBe(false);
    const t0 = performance.now();
    await expect(endpoint.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_ALL_SUSPENDED' });
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('close() closes every leaf', async () => {
    const { endpoint, leaves } = build();
    await endpoint.close();
    expect(leaves.every((l) => l.closed)).toBe(true);
  });
});
