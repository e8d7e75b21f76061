import { createHash } from 'node:crypto';
import { request } from 'undici';
import httpAuth from 'http-auth';
import { startBackend, deadPort, type TestBackend } from '../../utils/http-backend';
import { startTestBridge, restApi, type TestBridge } from '../../utils/bridge';

/** Groups and Digest on the relay fast path, end to end through the gateway (ClientRelay). */
let bridge: TestBridge | undefined;
const backends: TestBackend[] = [];
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  for (const b of backends.splice(0)) await b.close();
});

/** restApi with a group (no leaf url) as the production endpoint. */
function groupApi(name: string, group: Record<string, unknown>): Record<string, unknown> {
  const api = restApi(name, 'http://unused');
  return { ...api, endpoints: { production: group } };
}

async function named(name: string): Promise<TestBackend> {
  const b = await startBackend((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`${name} ${req.url} ${req.headers['authorization'] ? 'with-auth' : 'no-auth'}`);
  });
  backends.push(b);
  return b;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const res = await request(`${bridge!.url}${path}`, { headers });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

test('loadbalance with a dead member and cookie affinity: 0 failures, the bridge cookie in the head, sessions stick', async () => {
  const [a, b] = [await named('a'), await named('b')];
  const dead = `http://127.0.0.1:${await deadPort()}`;
  bridge = await startTestBridge({
    lb: groupApi('lb', {
      type: 'loadbalance',
      algorithm: 'roundRobin',
      affinity: { cookie: 'SB' },
      members: [{ type: 'http', url: a.url }, { type: 'http', url: dead }, { type: 'http', url: b.url }],
    }),
  });
  const seen = new Set<string>();
  for (let i = 0; i < 9; i++) {
    const r = await get('/lb/v1/x');
    expect(r.status).toBe(200);
    expect(r.headers['x-request-id']).toBeDefined();
    expect(String(r.headers['set-cookie'])).toMatch(/^SB=[0-9a-f-]+; Path=\/; HttpOnly; SameSite=Lax$/);
    seen.add(r.text.split(' ')[0]!);
  }
  expect([...seen].sort()).toEqual(['a', 'b']);
  const first = await get('/lb/v1/y');
  const cookie = String(first.headers['set-cookie']).split(';')[0]!;
  for (let i = 0; i < 6; i++) expect((await get('/lb/v1/y', { cookie })).text).toBe(first.text);
});

test('a failover group with every member down: 502 first, then 503 ENDPOINT_ALL_SUSPENDED problem+json at once', async () => {
  const dead = [`http://127.0.0.1:${await deadPort()}`, `http://127.0.0.1:${await deadPort()}`];
  bridge = await startTestBridge({ f: groupApi('f', { type: 'failover', members: dead.map((url) => ({ type: 'http', url })) }) });
  const first = await get('/f/v1/x');
  expect(first.status).toBe(502);
  expect(first.headers['content-type']).toMatch(/problem\+json/);
  const t0 = performance.now();
  const second = await get('/f/v1/x');
  expect(performance.now() - t0).toBeLessThan(50);
  expect(second.status).toBe(503);
  expect(JSON.parse(second.text)).toMatchObject({ code: 'ENDPOINT_ALL_SUSPENDED' });
});

test('digest through the gateway: one challenge, then one backend request per call; the client Authorization never reaches the backend', async () => {
  const realm = 'gw';
  const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
  const digest = httpAuth.digest({ realm, algorithm: 'MD5' }, (user: string, cb: (hash: string) => void) => cb(md5(`${user}:${realm}:pw`)));
  let hits = 0;
  let clientTokenSeen = false;
  const backend = await startBackend(
    digest.check((req, res) => {
      if (String(req.headers['authorization']).includes('client-token')) clientTokenSeen = true;
      res.end(`hello ${req.user ?? ''} ${req.url}`);
    }),
  );
  backends.push(backend);
  const counting = await startBackend((req, res) => {
    hits++;
    const proxied = request(`${backend.url}${req.url}`, { headers: req.headers as Record<string, string> });
    proxied.then(
      async (r) => {
        res.writeHead(r.statusCode, r.headers as Record<string, string>);
        res.end(Buffer.from(await r.body.arrayBuffer()));
      },
      () => res.destroy(),
    );
  });
  backends.push(counting);
  bridge = await startTestBridge({ d: restApi('d', counting.url, { auth: { type: 'digest', username: 'u', password: '${DIGEST_PW}' } }) }, { env: { DIGEST_PW: 'pw' } });
  expect(await get('/d/v1/a')).toMatchObject({ status: 200, text: 'hello u /a' });
  expect(hits).toBe(2);
  for (let i = 0; i < 5; i++) expect(await get(`/d/v1/b${i}`, { authorization: 'Bearer client-token' })).toMatchObject({ status: 200, text: `hello u /b${i}` });
  expect(hits).toBe(7);
  expect(clientTokenSeen).toBe(false);
});
