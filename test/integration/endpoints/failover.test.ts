import { FailoverEndpoint } from '../../../src/endpoints/group/failover';
import { ctx, named, readBody, request, startBackend, type Backend } from '../../utils/backends';
import { leafFor, Opened, type LeafOptions } from './setup';

const opened = new Opened();
afterEach(() => opened.closeAll());

async function backends(...names: string[]): Promise<Backend[]> {
  return Promise.all(names.map(async (n) => opened.add(await startBackend(n, named(n)))));
}
function failover(bs: Backend[], o: LeafOptions = {}, leafOpts: (b: Backend) => LeafOptions = () => ({})): FailoverEndpoint {
  return opened.add(new FailoverEndpoint({ name: 'f', members: bs.map((b) => leafFor(b, { ...o, ...leafOpts(b) })), maxReplayBytes: 64 * 1024 }));
}
const soapFault = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>db down</faultstring></s:Fault></s:Body></s:Envelope>`;

describe('failover on real loopback backends', () => {
  it('a slow member times out and the request fails over to the next', async () => {
    const [slow, fast] = await backends('slow', 'fast');
    const timer: NodeJS.Timeout[] = [];
    slow!.handler = (_q, res) => void timer.push(setTimeout(() => res.end('late'), 4000));
    const f = failover([slow!, fast!], {}, (b) => (b === slow ? { responseTimeoutMs: 100 } : {}));
    const t0 = performance.now();
    const res = await f.send(request(), ctx());
    expect(await readBody(res.body)).toBe('fast');
    // undici checks headersTimeout with its ~1 s-resolution fast timers, so 100 ms fires within
    // about 1-2 s; what matters is that it fires well before the backend would answer (4 s).
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(f.status().members?.[0]).toMatchObject({ name: 'slow', state: 'TIMEOUT', lastError: { code: 'ENDPOINT_TIMEOUT' } });
    timer.forEach(clearTimeout);
  });

  it('all members down: the first request fails fast, the next gets ENDPOINT_ALL_SUSPENDED within 50 ms', async () => {
    const bs = await backends('a', 'b', 'c');
    await Promise.all(bs.map((b) => b.kill()));
    const f = failover(bs);
    const t0 = performance.now();
    await expect(f.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE' });
    const t1 = performance.now();
    await expect(f.send(request(), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_ALL_SUSPENDED', status: 503 });
    const t2 = performance.now();
    // measured: a few ms for the first (three refused connects), well under 1 ms for the second;
    // the bounds are generous so a loaded CI machine does not flake.
    expect(t1 - t0).toBeLessThan(500);
    expect(t2 - t1).toBeLessThan(50);
  });

  it('a non-idempotent request that reached a backend is not re-sent; an idempotent one is', async () => {
    const [dying, spare] = await backends('dying', 'spare');
    dying!.handler = (q) => q.socket.destroy(); // read the whole request, then crash
    const post = (idempotent: boolean) => request({ method: 'POST', body: Buffer.from('<order/>'), headers: { 'content-type': 'text/xml' }, idempotent });
    await expect(failover([dying!, spare!]).send(post(false), ctx())).rejects.toMatchObject({ code: 'ENDPOINT_UNREACHABLE', requestSent: true });
    expect([dying!.hits, spare!.hits]).toEqual([1, 0]);
    const res = await failover([dying!, spare!]).send(post(true), ctx());
    expect(await readBody(res.body)).toBe('spare');
    expect([dying!.hits, spare!.hits]).toEqual([2, 1]);
  });

  it('status-based failover only when configured; the last answer is returned when all fail', async () => {
    const [busy, ok] = await backends('busy', 'ok');
    busy!.handler = (_q, res) => {
      res.statusCode = 503;
      res.end('busy');
    };
    const plain = await failover([busy!, ok!]).send(request(), ctx());
    expect([plain.status, await readBody(plain.body)]).toEqual([503, 'busy']);
    const configured = await failover([busy!, ok!], { failoverOn: { status: [503] } }).send(request(), ctx());
    expect([configured.status, await readBody(configured.body)]).toEqual([200, 'ok']);
    const allBusy = await failover([busy!, busy!], { failoverOn: { status: [503] } }).send(request(), ctx());
    expect([allBusy.status, await readBody(allBusy.body)]).toEqual([503, 'busy']);
  });

  it('a SOAP fault fails over only when its code is configured', async () => {
    const [faulty, ok] = await backends('faulty', 'ok');
    faulty!.handler = (_q, res) => {
      res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(soapFault);
    };
    const soap = { type: 'soap' } as const;
    const passed = await failover([faulty!, ok!], soap).send(request({ method: 'POST' }), ctx());
    expect([passed.status, await readBody(passed.body)]).toEqual([500, soapFault]);
    const other = await failover([faulty!, ok!], { ...soap, failoverOn: { soapFault: ['Client'] } }).send(request({ method: 'POST' }), ctx());
    expect(other.status).toBe(500);
    await readBody(other.body);
    const moved = await failover([faulty!, ok!], { ...soap, failoverOn: { soapFault: ['Server'] } }).send(request({ method: 'POST' }), ctx());
    expect([moved.status, await readBody(moved.body)]).toEqual([200, 'ok']);
  });
});
