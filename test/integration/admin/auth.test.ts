import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi } from '../../utils/bridge';
import { ADMIN_TOKEN, adminCall, answering, startAdminBridge, type AdminBridge } from '../../utils/admin';

/** The admin API's bearer token: only /healthz and /metrics are open. */
let backend: TestBackend;
let b: AdminBridge | undefined;

beforeAll(async () => {
  backend = await startBackend(answering('a'));
});

afterEach(async () => {
  await b?.close();
  b = undefined;
});

afterAll(async () => {
  await backend.close();
});

const PROTECTED: [string, string][] = [
  ['GET', '/apis'],
  ['GET', '/apis/orders'],
  ['POST', '/apis'],
  ['PUT', '/apis/orders'],
  ['DELETE', '/apis/orders'],
  ['POST', '/apis/orders/lifecycle'],
  ['POST', '/import'],
  ['GET', '/endpoints'],
  ['GET', '/no-such-route'],
];

function expectUnauthorized(res: { status: number; headers: Record<string, unknown>; json(): Record<string, unknown> }): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer realm="soapbridge-admin"');
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
}

describe('with admin.token configured', () => {
  beforeEach(async () => {
    b = await startAdminBridge({ orders: restApi('orders', backend.url) });
  });

  test.each(PROTECTED)('%s %s without a token answers 401', async (method, p) => {
    expectUnauthorized(await adminCall(b!.adminUrl, method, p, method === 'GET' || method === 'DELETE' ? undefined : {}, { token: null }));
  });

  test.each([
    ['a wrong token', `${ADMIN_TOKEN}x`],
    ['a prefix of the token', ADMIN_TOKEN.slice(0, 10)],
    ['an empty token', ''],
  ])('%s answers 401', async (_what, token) => {
    expectUnauthorized(await adminCall(b!.adminUrl, 'GET', '/apis', undefined, { token }));
  });

  test('another scheme (Basic) answers 401', async () => {
    const basic = await fetch(`${b!.adminUrl}/apis`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
  });

  test('a refused write changes nothing on disk', async () => {
    await adminCall(b!.adminUrl, 'DELETE', '/apis/orders', undefined, { token: 'wrong-token-wrong-token' });
    expect((await adminCall(b!.adminUrl, 'GET', '/apis/orders')).status).toBe(200);
  });

  test('the right token is accepted, "bearer" in any case', async () => {
    const res = await fetch(`${b!.adminUrl}/apis`, { headers: { authorization: `bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ name: 'orders', context: '/orders', version: 'v1', state: 'PUBLISHED', loaded: true }]);
  });

  test('/healthz and /metrics stay open', async () => {
    expect((await adminCall(b!.adminUrl, 'GET', '/healthz', undefined, { token: null })).status).toBe(200);
    expect((await adminCall(b!.adminUrl, 'GET', '/metrics', undefined, { token: null })).status).toBe(200);
  });
});

test('without admin.token every protected route answers 401, even with some bearer token', async () => {
  b = await startAdminBridge({ orders: restApi('orders', backend.url) }, { token: null });
  const none = await adminCall(b.adminUrl, 'GET', '/apis', undefined, { token: null });
  expectUnauthorized(none);
  expect(none.json()).toMatchObject({ detail: expect.stringMatching(/admin\.token is not configured/) });
  expectUnauthorized(await adminCall(b.adminUrl, 'GET', '/apis', undefined, { token: ADMIN_TOKEN }));
  expectUnauthorized(await adminCall(b.adminUrl, 'GET', '/apis', undefined, { token: '' }));
  expect((await adminCall(b.adminUrl, 'GET', '/healthz', undefined, { token: null })).status).toBe(200);
});
