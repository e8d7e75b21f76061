import { Readable } from 'node:stream';
import { request } from 'undici';
import { startBackend, deadPort, echoHandler, type TestBackend } from '../../utils/http-backend';
import { startTestBridge, restApi, type TestBridge } from '../../utils/bridge';
import type { Problem } from '../../../src/errors/to-problem';

let backend: TestBackend | undefined;
let bridge: TestBridge | undefined;

afterEach(async () => {
  await bridge?.close();
  await backend?.close();
  bridge = undefined;
  backend = undefined;
});


async function problem(path: string, init: Parameters<typeof request>[1] = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Problem }> {
  const res = await request(`${bridge!.url}${path}`, init);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json(; charset=utf-8)?$/);
  const body = (await res.body.json()) as Problem;
  expect(body.status).toBe(res.statusCode);
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return { status: res.statusCode, headers: res.headers, body };
}

test('backend down -> 502 ENDPOINT_UNREACHABLE', async () => {
  bridge = await startTestBridge({ a: restApi('a', `http://127.0.0.1:${await deadPort()}`) });
  const p = await problem('/a/v1/x');
  expect(p.status).toBe(502);
  expect(p.body).toMatchObject({ code: 'ENDPOINT_UNREACHABLE', type: 'https://soapbridge.dev/errors/endpoint-unreachable', instance: '/a/v1/x' });
  expect(p.body.detail).toMatch(/ECONNREFUSED/);
});

test('backend slower than the endpoint timeout -> 504 ENDPOINT_TIMEOUT', async () => {
  const timers: NodeJS.Timeout[] = [];
  backend = await startBackend((_req, res) => void timers.push(setTimeout(() => res.end('late'), 3000)));
  bridge = await startTestBridge({ a: restApi('a', backend.url, { timeout: { ms: 200 } }) });
  const started = Date.now();
  const p = await problem('/a/v1/slow');
  expect(p.status).toBe(504);
  expect(p.body.code).toBe('ENDPOINT_TIMEOUT');
  expect(p.body.detail).toMatch(/no response within 200 ms/);
  expect(Date.now() - started).toBeLessThan(2500);
  timers.forEach(clearTimeout);
});

describe('request bodies over limits.maxBodyBytes -> 413 BODY_TOO_LARGE', () => {
  beforeEach(async () => {
    backend = await startBackend(echoHandler);
    bridge = await startTestBridge({ a: restApi('a', backend.url) }, { yaml: { server: { http: { host: '127.0.0.1', port: 0 }, limits: { maxBodyBytes: 1000 } } } });
  });

  test('declared by content-length: refused before anything reaches the backend', async () => {
    const p = await problem('/a/v1/up', { method: 'POST', body: Buffer.alloc(1001) });
    expect(p.status).toBe(413);
    expect(p.body.code).toBe('BODY_TOO_LARGE');
    expect(backend!.seen).toHaveLength(0);
  });

  test('chunked: refused at the first byte past the limit', async () => {
    const p = await problem('/a/v1/up', { method: 'POST', body: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]) });
    expect(p.status).toBe(413);
    expect(p.body.code).toBe('BODY_TOO_LARGE');
  });

  test('a body at the limit passes', async () => {
    const res = await request(`${bridge!.url}/a/v1/up`, { method: 'POST', body: Buffer.alloc(1000) });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { length: number }).length).toBe(1000);
  });
});

describe('routing errors are problem+json', () => {
  beforeEach(async () => {
    backend = await startBackend(echoHandler);
    bridge = await startTestBridge({
      a: { name: 'a', context: '/a', version: 'v1', resources: [{ path: '/items/{id}', methods: ['GET', 'PUT'] }], endpoints: { production: { type: 'http', url: backend.url } } },
    });
  });

  test('an unknown API path -> 404 ROUTE_NOT_FOUND', async () => {
    const p = await problem('/nowhere/v1/x', { headers: { 'x-request-id': 'rid-404' } });
    expect(p.status).toBe(404);
    expect(p.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: 'rid-404', instance: '/nowhere/v1/x' });
  });

  test('an unknown resource of a mounted API -> 404 ROUTE_NOT_FOUND', async () => {
    const p = await problem('/a/v1/other');
    expect(p.status).toBe(404);
    expect(p.body.code).toBe('ROUTE_NOT_FOUND');
    expect(backend!.seen).toHaveLength(0);
  });

  test('a method the resource does not accept -> 405 with Allow', async () => {
    const p = await problem('/a/v1/items/1', { method: 'DELETE' });
    expect(p.status).toBe(405);
    expect(p.body.code).toBe('METHOD_NOT_ALLOWED');
    expect(String(p.headers['allow']).split(', ').sort()).toEqual(['GET', 'PUT']);
  });
});

test('a backend that closes mid-response: the client sees an aborted response, the bridge keeps serving', async () => {
  backend = await startBackend((req, res) => {
    req.resume();
    if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000));
      setTimeout(() => res.socket?.destroy(), 50);
    } else {
      res.end('fine');
    }
  });
  bridge = await startTestBridge({ a: restApi('a', backend.url) });
  const res = await request(`${bridge.url}/a/v1/cut`);
  expect(res.statusCode).toBe(200);
  await expect(res.body.arrayBuffer()).rejects.toThrow();
  const next = await request(`${bridge.url}/a/v1/ok`);
  expect(next.statusCode).toBe(200);
  expect(await next.body.text()).toBe('fine');
});

test('a backend that closes before answering -> 502, the bridge keeps serving', async () => {
  backend = await startBackend((req, res) => {
    if (req.url === '/drop') req.socket.destroy();
    else res.end('fine');
  });
  // Suspension off: this is about the bridge surviving, not about endpoint state (a dropped
  // connection would otherwise suspend the only member for a second).
  bridge = await startTestBridge({ a: restApi('a', backend.url, { suspension: { initialMs: 0 } }) });
  const p = await problem('/a/v1/drop');
  expect(p.status).toBe(502);
  expect(p.body.code).toBe('ENDPOINT_UNREACHABLE');
  expect(await (await request(`${bridge.url}/a/v1/ok`)).body.text()).toBe('fine');
});
