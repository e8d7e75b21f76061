import { Readable } from 'node:stream';
import { FailoverEndpoint } from '../../../src/endpoints/group/failover';
import { LoadBalanceEndpoint } from '../../../src/endpoints/group/loadbalance';
import { DynamicEndpoint } from '../../../src/endpoints/dynamic/dynamic';
import { compileRule } from '../../../src/endpoints/dynamic/rules';
import type { DynamicRuleConfig } from '../../../src/config/endpoint-schema';
import type { BackendRequest, Endpoint, RelayControl, ResponseSink } from '../../../src/endpoints/endpoint';
import type { BridgeError } from '../../../src/errors/bridge-error';
import type { StateChange } from '../../../src/endpoints/suspending';
import { ctx, named, request, startBackend, type Backend } from '../../utils/backends';
import { crashAndRestartUnderLoad, leafFor, Opened, type LeafOptions } from './setup';

const opened = new Opened();
afterEach(() => opened.closeAll());

interface Relayed {
  status: number;
  headers: string[];
  text: string;
  endpoint: string;
}

/** `send` on the fast path: the head and body, or the failure before the head as a rejection. */
function relayed(ep: Endpoint, req: BackendRequest = request(), abortAfterMs?: number): Promise<Relayed> {
  expect(ep.relay).toBeDefined();
  return new Promise((resolve, reject) => {
    const out: Relayed = { status: 0, headers: [], text: '', endpoint: '' };
    const chunks: Buffer[] = [];
    let control: RelayControl | undefined;
    const sink: ResponseSink = {
      head(status, headers, endpoint) {
        Object.assign(out, { status, headers, endpoint });
      },
      data(chunk) {
        chunks.push(chunk);
        return true;
      },
      end() {
        out.text = Buffer.concat(chunks).toString('utf8');
        resolve(out);
      },
      fail(err: BridgeError, afterHead: boolean) {
        reject(Object.assign(err, { afterHead }));
      },
    };
    control = ep.relay!(req, ctx(), sink);
    if (abortAfterMs !== undefined) setTimeout(() => control?.abort(), abortAfterMs);
  });
}

async function backends(...names: string[]): Promise<Backend[]> {
  return Promise.all(names.map(async (n) => opened.add(await startBackend(n, named(n)))));
}
function lb(bs: Backend[], o: Partial<ConstructorParameters<typeof LoadBalanceEndpoint>[0]> = {}, leaf: LeafOptions = {}): LoadBalanceEndpoint {
  return opened.add(new LoadBalanceEndpoint({ name: 'lb', members: bs.map((b) => leafFor(b, leaf)), maxReplayBytes: 64 * 1024, ...o }));
}
function failover(bs: Backend[], o: LeafOptions = {}, leafOpts: (b: Backend) => LeafOptions = () => ({}), sticky = false): FailoverEndpoint {
  return opened.add(new FailoverEndpoint({ name: 'f', members: bs.map((b) => leafFor(b, { ...o, ...leafOpts(b) })), maxReplayBytes: 64 * 1024, sticky }));
}

describe('groups on the relay fast path', () => {
  it('is offered only when every member offers it (failoverOn keeps the group on send)', async () => {
    const bs = await backends('a', 'b');
    expect(lb(bs).relay).toBeDefined();
    expect(failover(bs).relay).toBeDefined();
    expect(lb(bs, {}, { failoverOn: { status: [503] } }).relay).toBeUndefined();
    expect(failover(bs, { failoverOn: { status: [503] } }).relay).toBeUndefined();
    // nested: a failover of load-balancers relays when its members do
    const nested = opened.add(new FailoverEndpoint({ name: 'outer', members: [lb(bs), lb(bs)], maxReplayBytes: 0 }));
    expect(nested.relay).toBeDefined();
    expect((await relayed(nested)).text).toMatch(/^[ab]$/);
  });

  it('round robin alternates; weighted shares stay within ±5% over 1000 relayed requests', async () => {
    const bs = await backends('b0', 'b1');
    const rr = lb(bs);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await relayed(rr)).text);
    expect(seen).toEqual(['b0', 'b1', 'b0', 'b1']);
    const w = lb(bs, { algorithm: 'weightedRoundRobin', weights: [3, 1], maxReplayBytes: 0 });
    const before = bs[0]!.hits;
    for (let i = 0; i < 1000; i++) await relayed(w);
    expect(Math.abs((bs[0]!.hits - before) / 1000 - 0.75)).toBeLessThan(0.05);
    expect(w.status()).toMatchObject({ requests: 1000, failures: 0 });
  });

  it('kill one of three members under load and restart it: 0 failures, traffic returns within its suspension window', async () => {
    const bs = await backends('b0', 'b1', 'b2');
    const suspension = { initialMs: 200, progressionFactor: 2, maxMs: 800 };
    const group = lb(bs, {}, { suspension });
    const changes: StateChange[] = [];
    (group.children()[1] as ReturnType<typeof leafFor>).on('stateChange', (c) => changes.push(c));
    const { sent, failed, backMs: back } = await crashAndRestartUnderLoad(bs[1]!, () => relayed(group));
    expect(failed).toBe(0);
    expect(sent).toBeGreaterThan(100);
    expect(changes.some((c) => c.to.kind === 'SUSPENDED')).toBe(true);
    expect(back).toBeLessThan(suspension.maxMs + 500);
  });

  it('session affinity by cookie: the bridge cookie is added to the head and keeps the client on one member', async () => {
    const bs = await backends('b0', 'b1', 'b2');
    const group = lb(bs, { affinity: { cookie: 'SB', timeoutMs: 60_000 }, maxReplayBytes: 0 });
    const first = await relayed(group);
    const i = first.headers.indexOf('set-cookie');
    expect(i).toBeGreaterThanOrEqual(0);
    const cookie = first.headers[i + 1]!.split(';')[0]!;
    expect(cookie).toMatch(/^SB=/);
    for (let k = 0; k < 20; k++) expect((await relayed(group, request({ headers: { cookie } }))).text).toBe(first.text);
    expect(bs.find((b) => b.name === first.text)!.hits).toBe(21);
  });

  it("session affinity learns the backend's own cookie and by header", async () => {
    const bs = await backends('b0', 'b1');
    for (const b of bs) {
      b.handler = (_q, res) => {
        res.setHeader('set-cookie', `JSESSIONID=${b.name}-s; Path=/`);
        res.end(b.name);
      };
    }
    const group = lb(bs, { affinity: { cookie: 'JSESSIONID' }, maxReplayBytes: 0 });
    const first = await relayed(group);
    expect(first.headers.filter((h) => h === 'set-cookie')).toHaveLength(1);
    for (let k = 0; k < 5; k++) expect((await relayed(group, request({ headers: { cookie: `JSESSIONID=${first.text}-s` } }))).text).toBe(first.text);
    const byHeader = lb(bs, { affinity: { header: 'x-client' }, maxReplayBytes: 0 });
    const a = await relayed(byHeader, request({ headers: { 'x-client': 'c1' } }));
    for (let k = 0; k < 5; k++) expect((await relayed(byHeader, request({ headers: { 'x-client': 'c1' } }))).text).toBe(a.text);
  });

  it('a slow member times out before its head and the request fails over to the next', async () => {
    const [slow, fast] = await backends('slow', 'fast');
    const timers: NodeJS.Timeout[] = [];
    slow!.handler = (_q, res) => void timers.push(setTimeout(() => res.end('late'), 4000));
    const f = failover([slow!, fast!], {}, (b) => (b === slow ? { responseTimeoutMs: 100 } : {}));
    const t0 = performance.now();
    expect((await relayed(f)).text).toBe('fast');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(f.status().members?.[0]).toMatchObject({ name: 'slow', state: 'TIMEOUT', lastError: { code: 'ENDPOINT_TIMEOUT' } });
    timers.forEach(clearTimeout);
  });

  it('all members down: the first request fails fast, the next gets ENDPOINT_ALL_SUSPENDED within 50 ms', async () => {
    const bs = await backends('a', 'b', 'c');
    await Promise.all(bs.map((b) => b.kill()));
    const f = failover(bs);
    await expect(relayed(f)).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE', afterHead: false });
    const t1 = performance.now();
    await expect(relayed(f)).rejects.toMatchObject({ code: 'ENDPOINT_ALL_SUSPENDED', status: 503, afterHead: false });
    expect(performance.now() - t1).toBeLessThan(50);
    expect(f.status()).toMatchObject({ requests: 2, failures: 2, lastError: { code: 'ENDPOINT_ALL_SUSPENDED' } });
  });

  it('a non-idempotent request that reached a backend is not re-sent; an idempotent one is', async () => {
    const [dying, spare] = await backends('dying', 'spare');
    dying!.handler = (q) => q.socket.destroy();
    const post = (idempotent: boolean): BackendRequest => request({ method: 'POST', body: Buffer.from('<order/>'), headers: { 'content-type': 'text/xml' }, idempotent });
    await expect(relayed(failover([dying!, spare!]), post(false))).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE', requestSent: true });
    expect([dying!.hits, spare!.hits]).toEqual([1, 0]);
    expect((await relayed(failover([dying!, spare!]), post(true))).text).toBe('spare');
    expect([dying!.hits, spare!.hits]).toEqual([2, 1]);
  });

  it('a streamed body is buffered before the first attempt and re-sent to the next member', async () => {
    const [dead, alive] = await backends('dead', 'alive');
    await dead!.kill();
    alive!.handler = (_q, res, body) => res.end(`got ${body.toString()}`);
    const req = request({ method: 'POST', body: Readable.from([Buffer.from('<a/>'), Buffer.from('<b/>')]), idempotent: false });
    expect((await relayed(failover([dead!, alive!]), req)).text).toBe('got <a/><b/>');
  });

  it('sticky failover keeps the member that answered; failures after the head are passed on', async () => {
    const [a, b] = await backends('a', 'b');
    await a!.kill();
    const f = failover([a!, b!], { suspension: { initialMs: 0, maxMs: 0 } }, () => ({}), true);
    expect((await relayed(f)).text).toBe('b');
    await a!.restart();
    expect((await relayed(f)).text).toBe('b');
    b!.handler = (_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('part');
      setTimeout(() => res.destroy(), 20);
    };
    await expect(relayed(f)).rejects.toMatchObject({ afterHead: true });
    expect(a!.hits).toBe(0);
  });

  it('a client that goes away before the head is not re-sent elsewhere', async () => {
    const [slow, other] = await backends('slow', 'other');
    const timers: NodeJS.Timeout[] = [];
    slow!.handler = (_q, res) => void timers.push(setTimeout(() => res.end('late'), 500));
    const f = failover([slow!, other!]);
    await expect(relayed(f, request(), 50)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(other!.hits).toBe(0);
    timers.forEach(clearTimeout);
  });
});

describe('dynamic routing on the relay fast path', () => {
  const target = { type: 'http', url: 'http://unused' } as const;
  function dynamic(bs: Backend[], rules: Omit<DynamicRuleConfig, 'endpoint'>[], fallback?: Backend, leaf: LeafOptions = {}): DynamicEndpoint {
    return opened.add(
      new DynamicEndpoint({
        name: 'd',
        routes: rules.map((r, i) => ({ rule: compileRule({ ...r, endpoint: target }, `rules[${i}]`), endpoint: leafFor(bs[i]!, leaf) })),
        fallback: fallback ? leafFor(fallback, leaf) : undefined,
        maxReplayBytes: 4096,
      }),
    );
  }

  it('routes by header and by JSONPath on a streamed body (buffered first, still sent), default otherwise', async () => {
    const [eu, big, us] = await backends('eu', 'big', 'us');
    big!.handler = (_q, res, body) => res.end(`big ${body.toString()}`);
    const d = dynamic([eu!, big!], [{ header: 'x-region', equals: 'eu' }, { jsonPath: '$.size', equals: 'L' }], us);
    expect(d.relay).toBeDefined();
    expect((await relayed(d, request({ headers: { 'x-region': 'eu' } }))).text).toBe('eu');
    const json = '{"size":"L"}';
    expect((await relayed(d, request({ method: 'POST', body: Readable.from([Buffer.from(json)]) }))).text).toBe(`big ${json}`);
    expect((await relayed(d, request())).text).toBe('us');
    expect(d.status()).toMatchObject({ requests: 3, failures: 0 });
  });

  it('no rule matches and no default: ROUTE_NOT_FOUND before the head, counted; failoverOn leaves keep it on send', async () => {
    const [a] = await backends('a');
    const d = dynamic([a!], [{ header: 'x-region', equals: 'eu' }]);
    await expect(relayed(d)).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND', afterHead: false });
    expect(d.status()).toMatchObject({ requests: 1, failures: 1, lastError: { code: 'ROUTE_NOT_FOUND' } });
    expect(dynamic([a!], [{ header: 'x', equals: 'y' }], undefined, { failoverOn: { status: [503] } }).relay).toBeUndefined();
  });
});
