import { Registry } from 'prom-client';
import { buildEndpoint, type EndpointDeps } from '../../../src/endpoints/factory';
import { createEndpointMetrics } from '../../../src/endpoints/metrics';
import type { EndpointConfig } from '../../../src/config/endpoint-schema';
import type { Endpoint } from '../../../src/endpoints/endpoint';
import { ctx, named, readBody, request, silentLog, startBackend, type Backend } from '../../utils/backends';
import { Opened } from './setup';

const opened = new Opened();
afterEach(() => opened.closeAll());

function deps(registry: Registry): EndpointDeps {
  return {
    log: silentLog,
    resolvePath: (p) => p,
    connections: 4,
    defaultConnectTimeoutMs: 1000,
    defaultResponseTimeoutMs: 5000,
    maxReplayBytes: 64 * 1024,
    metrics: createEndpointMetrics(registry),
  };
}
const build = (cfg: EndpointConfig, d: EndpointDeps): Endpoint => opened.add(buildEndpoint(cfg, d, 'api.production'));
const soapOk = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><r/></s:Body></s:Envelope>`;

describe('buildEndpoint', () => {
  let bs: Backend[];
  beforeEach(async () => {
    bs = await Promise.all(['eu', 'us', 'dr'].map(async (n) => opened.add(await startBackend(n, named(n)))));
  });

  it('builds a dynamic route to a failover of load-balancers, with metrics per leaf', async () => {
    const registry = new Registry();
    const [eu, us, dr] = bs as [Backend, Backend, Backend];
    await us.kill();
    const e = build(
      {
        type: 'dynamic',
        rules: [{ header: 'x-region', equals: 'eu', endpoint: { type: 'http', url: eu.url, name: 'eu' } }],
        default: {
          type: 'failover',
          name: 'us-group',
          members: [
            { type: 'loadbalance', members: [{ type: 'http', url: us.url, name: 'us' }] },
            { type: 'http', url: dr.url, name: 'dr' },
          ],
        },
      },
      deps(registry),
    );
    expect(await readBody((await e.send(request({ headers: { 'x-region': 'eu' } }), ctx())).body)).toBe('eu');
    expect(await readBody((await e.send(request(), ctx())).body)).toBe('dr');
    const status = e.status();
    expect(status.members?.map((m) => m.name)).toEqual(['eu', 'us-group']);
    expect(status.members?.[1]?.members?.[0]?.members?.[0]).toMatchObject({ name: 'us', state: 'SUSPENDED' });
    const text = await registry.metrics();
    expect(text).toContain('soapbridge_endpoint_requests_total{endpoint="dr"} 1');
    expect(text).toContain('soapbridge_endpoint_failures_total{endpoint="us",code="ENDPOINT_UNREACHABLE"} 1');
    expect(text).toContain('soapbridge_endpoint_state{endpoint="us"} 2');
    expect(text).toMatch(/soapbridge_endpoint_state_changes_total\{endpoint="us",from="ACTIVE",to="SUSPENDED"\} 1/);
    createEndpointMetrics(registry); // a reload with the same registry must not throw
  });

  it('passes failoverOn from the group down to its leaves and honours per-leaf suspension', async () => {
    const [a, b] = bs as [Backend, Backend];
    a.handler = (_q, res) => {
      res.statusCode = 503;
      res.end();
    };
    const e = build(
      {
        type: 'failover',
        failoverOn: { status: [503] },
        members: [
          { type: 'http', url: a.url, name: 'a', suspension: { initialMs: 0, maxMs: 0 } },
          { type: 'http', url: b.url, name: 'b' },
        ],
      },
      deps(new Registry()),
    );
    for (let i = 0; i < 3; i++) expect(await readBody((await e.send(request(), ctx())).body)).toBe('us');
    expect(a.hits).toBe(3); // suspension disabled: still tried every time
  });

  it('runs SOAP health checks where a Fault is unhealthy, and stops them on close()', async () => {
    const [a] = bs as [Backend];
    let fault = true;
    a.handler = (_q, res) => {
      res.writeHead(fault ? 500 : 200, { 'content-type': 'text/xml' });
      res.end(fault ? soapOk.replace('<r/>', '<s:Fault><faultcode>s:Server</faultcode></s:Fault>') : soapOk);
    };
    const e = build({ type: 'soap', url: a.url, name: 's', healthCheck: { intervalMs: 20, soapEnvelope: soapOk }, suspension: { retriesBeforeSuspension: 0 } }, deps(new Registry()));
    const t0 = Date.now();
    while (e.status().state !== 'SUSPENDED' && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
    expect(e.status().state).toBe('SUSPENDED');
    fault = false;
    while (e.status().state !== 'ACTIVE' && Date.now() - t0 < 4000) await new Promise((r) => setTimeout(r, 10));
    expect(e.status().state).toBe('ACTIVE');
    await e.close();
    const hits = a.hits;
    await new Promise((r) => setTimeout(r, 80));
    expect(a.hits).toBe(hits);
  });

  it('members inherit auth from their group unless they set their own', async () => {
    const [a, b] = bs as [Backend, Backend];
    const seen: string[] = [];
    for (const x of [a, b]) x.handler = (q, res) => res.end(String(q.headers['x-auth']));
    const d: EndpointDeps = {
      ...deps(new Registry()),
      backendAuth: (cfg, leaf) => ({
        type: cfg.type,
        execute: (req, _t, dispatch) => {
          seen.push(leaf.name);
          return dispatch({ ...req, headers: { ...req.headers, 'x-auth': cfg.type === 'basic' ? cfg.username : '?' } });
        },
      }),
    };
    const e = build(
      {
        type: 'loadbalance',
        auth: { type: 'basic', username: 'group', password: 'p' },
        members: [
          { type: 'http', url: a.url, name: 'a' },
          { type: 'http', url: b.url, name: 'b', auth: { type: 'basic', username: 'own', password: 'p' } },
        ],
      },
      d,
    );
    const got = [await readBody((await e.send(request(), ctx())).body), await readBody((await e.send(request(), ctx())).body)];
    expect(got).toEqual(['group', 'own']);
    expect(seen).toEqual(['a', 'b']);
  });

  it('builds prototype endpoints (served only in CREATED/PROTOTYPED: see gateway/access.ts)', async () => {
    const e = buildEndpoint({ type: 'prototype', responses: { 'GET /x': { status: 200, body: { ok: true } } } }, deps(new Registry()), 'p');
    expect(e.type).toBe('prototype');
    await e.close();
  });
});
