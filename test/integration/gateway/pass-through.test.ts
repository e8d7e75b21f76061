import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startBackend, echoHandler, sha256, type TestBackend } from '../../utils/http-backend';
import { startTestBridge, restApi, type TestBridge } from '../../utils/bridge';

interface Echo {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  length: number;
  sha256: string;
}

const DOWNLOAD = randomBytes(1024 * 1024 + 7);

let backend: TestBackend;
let bridge: TestBridge;

beforeEach(async () => {
  backend = await startBackend((req, res) => {
    const status = /^\/base\/status\/(\d{3})$/.exec(req.url ?? '');
    if (status) {
      req.resume();
      const code = Number(status[1]);
      res.writeHead(code, { 'x-backend': 'yes' });
      res.end(code === 204 ? undefined : `status ${code}`);
    } else if (req.url === '/base/cookies') {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
      res.setHeader('x-custom-response', 'from backend');
      res.end('ok');
    } else if (req.url === '/base/download') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(DOWNLOAD);
    } else if (req.url === '/base/hop') {
      res.writeHead(200, { connection: 'x-resp-hop, keep-alive', 'x-resp-hop': 'secret', 'keep-alive': 'timeout=5', 'x-resp-kept': '1' });
      res.end('hop');
    } else {
      echoHandler(req, res);
    }
  });
  bridge = await startTestBridge({ shop: restApi('shop', `${backend.url}/base`) });
});

afterEach(async () => {
  await bridge.close();
  await backend.close();
});

async function echo(path: string, init: Parameters<typeof request>[1] = {}): Promise<Echo> {
  const res = await request(`${bridge.url}${path}`, init);
  expect(res.statusCode).toBe(200);
  return (await res.body.json()) as Echo;
}

describe('REST pass-through keeps the request', () => {
  test.each(['GET', 'DELETE'] as const)('%s without a body', async (method) => {
    const e = await echo('/shop/v1/things/1', { method });
    expect(e).toMatchObject({ method, url: '/base/things/1', length: 0 });
  });

  test.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)('%s with a random binary body, byte for byte', async (method) => {
    const body = randomBytes(256 * 1024 + 13);
    const e = await echo('/shop/v1/upload', { method, body, headers: { 'content-type': 'application/octet-stream' } });
    expect(e).toMatchObject({ method, length: body.length, sha256: sha256(body) });
    expect(e.headers['content-length']).toBe(String(body.length));
  });

  test('a chunked body (no content-length) streams through unchanged', async () => {
    const parts = [randomBytes(70_000), randomBytes(1), randomBytes(200_000)];
    const e = await echo('/shop/v1/upload', { method: 'POST', body: Readable.from(parts) });
    expect(e).toMatchObject({ length: 270_001, sha256: sha256(Buffer.concat(parts)) });
  });

  test('query strings stay raw: encoded characters and repeated keys', async () => {
    const q = '?a=1&a=2&b=%20x%2Fy%3D&c&d=%C3%A9&e=+plus';
    expect((await echo(`/shop/v1/search${q}`)).url).toBe(`/base/search${q}`);
  });

  test('custom request headers pass, hop-by-hop ones and those named in Connection do not', async () => {
    // http.request, because undici refuses to send some of these headers on purpose.
    const e = await new Promise<Echo>((resolve, reject) => {
      const req = http.request(`${bridge.url}/shop/v1/hdr`, {
        agent: false,
        headers: {
          'x-custom': 'one',
          'x-multi': ['a', 'b'],
          connection: 'x-foo, keep-alive',
          'x-foo': 'must not pass',
          'keep-alive': 'timeout=5',
          te: 'trailers',
          upgrade: 'example/1',
          'proxy-connection': 'keep-alive',
          'proxy-authorization': 'Basic Zm9v',
          authorization: 'Bearer end-to-end',
        },
      });
      req.on('response', (res) => {
        let s = '';
        res.setEncoding('utf8').on('data', (c: string) => (s += c)).on('end', () => resolve(JSON.parse(s) as Echo));
      });
      req.on('error', reject);
      req.end();
    });
    expect(e.headers).toMatchObject({ 'x-custom': 'one', 'x-multi': 'a, b', authorization: 'Bearer end-to-end' });
    for (const h of ['x-foo', 'keep-alive', 'te', 'upgrade', 'proxy-connection', 'proxy-authorization']) expect(e.headers).not.toHaveProperty(h);
    expect(e.headers['connection']).not.toMatch(/x-foo/);
  });

  test('Expect: 100-continue (.NET clients, curl with larger bodies): the client gets its 100, the backend the request, nothing is suspended', async () => {
    const body = randomBytes(4096);
    const send = (): Promise<{ status: number; continued: boolean; echo: Echo }> =>
      new Promise((resolve, reject) => {
        // http.request, because undici does not send Expect; the body waits for the 100 as a client should.
        const req = http.request(`${bridge.url}/shop/v1/upload`, { method: 'POST', agent: false, headers: { expect: '100-continue', 'content-length': String(body.length) } });
        let continued = false;
        req.on('continue', () => {
          continued = true;
          req.end(body);
        });
        req.on('response', (res) => {
          let s = '';
          res.setEncoding('utf8').on('data', (c: string) => (s += c)).on('end', () => resolve({ status: res.statusCode ?? 0, continued, echo: JSON.parse(s) as Echo }));
        });
        req.on('error', reject);
      });
    for (let i = 0; i < 3; i++) {
      const r = await send();
      expect({ status: r.status, continued: r.continued, length: r.echo.length, sha256: r.echo.sha256 }).toEqual({ status: 200, continued: true, length: body.length, sha256: sha256(body) });
      expect(r.echo.headers).not.toHaveProperty('expect');
    }
  });

  test('X-Forwarded-For/-Proto/-Host are set (an existing X-Forwarded-For is extended)', async () => {
    const host = new URL(bridge.url).host;
    expect((await echo('/shop/v1/x')).headers).toMatchObject({ 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-host': host });
    const e = await echo('/shop/v1/x', { headers: { 'x-forwarded-for': '10.0.0.1' } });
    expect(e.headers['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
  });

  test('X-Request-Id is taken from the client, passed to the backend and returned', async () => {
    const res = await request(`${bridge.url}/shop/v1/x`, { headers: { 'x-request-id': 'client-id-42' } });
    const e = (await res.body.json()) as Echo;
    expect(e.headers['x-request-id']).toBe('client-id-42');
    expect(res.headers['x-request-id']).toBe('client-id-42');
  });

  test('X-Request-Id is generated when absent (or unusable), and is the same on both sides', async () => {
    for (const headers of [{}, { 'x-request-id': 'has space' }]) {
      const res = await request(`${bridge.url}/shop/v1/x`, { headers });
      const e = (await res.body.json()) as Echo;
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.headers['x-request-id']).toBe(res.headers['x-request-id']);
    }
  });
});

describe('REST pass-through keeps the response', () => {
  test.each([201, 204, 404, 500])('status %i and its body', async (code) => {
    const res = await request(`${bridge.url}/shop/v1/status/${code}`, { method: 'POST', body: 'x' });
    expect(res.statusCode).toBe(code);
    expect(res.headers['x-backend']).toBe('yes');
    expect(await res.body.text()).toBe(code === 204 ? '' : `status ${code}`);
  });

  test('custom headers and several Set-Cookie headers', async () => {
    const res = await request(`${bridge.url}/shop/v1/cookies`);
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(res.headers['x-custom-response']).toBe('from backend');
    await res.body.dump();
  });

  test('hop-by-hop response headers are dropped', async () => {
    const res = await request(`${bridge.url}/shop/v1/hop`);
    expect(res.headers['x-resp-kept']).toBe('1');
    expect(res.headers).not.toHaveProperty('x-resp-hop');
    expect(await res.body.text()).toBe('hop');
  });

  test('a binary download arrives byte for byte', async () => {
    const res = await request(`${bridge.url}/shop/v1/download`);
    const got = Buffer.from(await res.body.arrayBuffer());
    expect(got.length).toBe(DOWNLOAD.length);
    expect(sha256(got)).toBe(sha256(DOWNLOAD));
  });
});
