import { Writable } from 'node:stream';
import { request } from 'undici';
import { startBackend, deadPort, type TestBackend } from '../../utils/http-backend';
import { startTestBridge, restApi, type TestBridge } from '../../utils/bridge';

let backend: TestBackend;
let bridge: TestBridge | undefined;
let logLines: Record<string, unknown>[];

beforeEach(async () => {
  backend = await startBackend((req, res) => {
    req.resume();
    res.end('ok');
  });
  logLines = [];
  const logTo = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  bridge = await startTestBridge({ orders: restApi('orders', backend.url), down: restApi('down', `http://127.0.0.1:${await deadPort()}`) }, { logTo });
});

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  await backend.close();
});

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await request(url);
  return { status: res.statusCode, body: await res.body.json() };
}

test('/healthz and /readyz on the API listener, /healthz on the admin listener', async () => {
  expect(await getJson(`${bridge!.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
  expect(await getJson(`${bridge!.url}/readyz`)).toEqual({ status: 200, body: { status: 'ready' } });
  expect(await getJson(`${bridge!.adminUrl}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
});

test('/readyz turns 503 while draining', async () => {
  bridge!.bridge.gateway.startDraining();
  expect(await getJson(`${bridge!.url}/readyz`)).toEqual({ status: 503, body: { status: 'draining' } });
});

test('/metrics on the admin listener counts requests and backend errors by API', async () => {
  for (let i = 0; i < 3; i++) await (await request(`${bridge!.url}/orders/v1/x`)).body.dump();
  await (await request(`${bridge!.url}/down/v1/x`)).body.dump();
  const res = await request(`${bridge!.adminUrl}/metrics`);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  const text = await res.body.text();
  expect(text).toMatch(/^soapbridge_requests_total\{api="orders",method="GET",status="200"\} 3$/m);
  expect(text).toMatch(/^soapbridge_requests_total\{api="down",method="GET",status="502"\} 1$/m);
  expect(text).toMatch(/^soapbridge_request_duration_seconds_count\{api="orders"\} 3$/m);
  expect(text).toMatch(/^soapbridge_backend_errors_total\{api="down",code="ENDPOINT_UNREACHABLE"\} 1$/m);
  // defaultMetrics: false keeps process metrics out (they belong to the real process only).
  expect(text).not.toMatch(/soapbridge_process_/);
});

test('each request is logged with its request id, API, status and duration', async () => {
  await (await request(`${bridge!.url}/orders/v1/items?x=1`, { headers: { 'x-request-id': 'log-me-1' } })).body.dump();
  await (await request(`${bridge!.url}/down/v1/y`, { headers: { 'x-request-id': 'log-me-2' } })).body.dump();
  const ok = logLines.find((l) => l['reqId'] === 'log-me-1');
  expect(ok).toMatchObject({ msg: 'request', api: 'orders', method: 'GET', url: '/orders/v1/items?x=1', status: 200, level: 30 });
  expect(typeof ok!['ms']).toBe('number');
  const failed = logLines.find((l) => l['reqId'] === 'log-me-2' && l['msg'] === 'request failed');
  expect(failed).toMatchObject({ api: 'down', status: 502, code: 'ENDPOINT_UNREACHABLE', level: 40 });
});

test('the request id reaches the log when the bridge generated it', async () => {
  const res = await request(`${bridge!.url}/orders/v1/z`);
  await res.body.dump();
  const id = res.headers['x-request-id'];
  expect(logLines.some((l) => l['reqId'] === id && l['msg'] === 'request')).toBe(true);
});
