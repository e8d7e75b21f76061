import { startBackend, type TestBackend } from '../../utils/http-backend';
import { answering, keyHash, send, startAdminBridge, type AdminBridge } from '../../utils/admin';

/** Consumer API keys: the key's type picks production or sandbox; keys are stored hashed. */
const PROD_KEY = 'prod-key-1';
const SANDBOX_KEY = 'sandbox-key-1';

let production: TestBackend;
let sandbox: TestBackend;
let b: AdminBridge;

const keyed = (name: string, endpoints: Record<string, unknown>, header?: string): Record<string, unknown> => ({
  name,
  context: `/${name}`,
  version: 'v1',
  resources: [{ path: '/*', methods: ['GET', 'POST'] }],
  endpoints,
  apiKeys: {
    ...(header ? { header } : {}),
    keys: [
      { sha256: keyHash(PROD_KEY), type: 'production' },
      { sha256: keyHash(SANDBOX_KEY), type: 'sandbox' },
    ],
  },
});

beforeAll(async () => {
  production = await startBackend(answering('production'));
  sandbox = await startBackend(answering('sandbox'));
  b = await startAdminBridge({
    both: keyed('both', { production: { type: 'http', url: production.url }, sandbox: { type: 'http', url: sandbox.url } }),
    'sandbox-only': keyed('sandbox-only', { sandbox: { type: 'http', url: sandbox.url } }),
    'custom-header': keyed('custom-header', { production: { type: 'http', url: production.url } }, 'X-Api-Key'),
  });
});

afterAll(async () => {
  await b.close();
  await production.close();
  await sandbox.close();
});

const get = (api: string, headers: Record<string, string> = {}) => send(`${b.url}/${api}/v1/things`, { headers });

test('a missing key answers 401 UNAUTHORIZED and reaches no backend', async () => {
  const before = production.seen.length + sandbox.seen.length;
  const res = await get('both');
  expect(res.status).toBe(401);
  expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  expect(res.json<{ detail: string }>().detail).toMatch(/missing API key/);
  expect(production.seen.length + sandbox.seen.length).toBe(before);
});

test('an unknown key answers 401', async () => {
  const res = await get('both', { apikey: 'not-a-key' });
  expect(res.status).toBe(401);
  expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED', detail: 'unknown API key' });
});

test('the stored hash is not accepted as a key', async () => {
  expect((await get('both', { apikey: keyHash(PROD_KEY) })).status).toBe(401);
});

test('a production key reaches the production backend, a sandbox key the sandbox backend', async () => {
  const p = await get('both', { apikey: PROD_KEY });
  const s = await get('both', { apikey: SANDBOX_KEY });
  expect([p.status, p.text]).toEqual([200, 'production']);
  expect([s.status, s.text]).toEqual([200, 'sandbox']);
});

test('the key header is not forwarded to either backend', async () => {
  await get('both', { apikey: SANDBOX_KEY });
  const last = sandbox.seen[sandbox.seen.length - 1]!;
  // A consumer credential for the bridge, not for the backend.
  expect(last.headers['apikey']).toBeUndefined();
});

test('a production key on an API with only sandbox endpoints answers 403 FORBIDDEN', async () => {
  const res = await get('sandbox-only', { apikey: PROD_KEY });
  expect(res.status).toBe(403);
  expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
  expect((await get('sandbox-only', { apikey: SANDBOX_KEY })).text).toBe('sandbox');
});

test('a configured header name is used instead of apikey (case-insensitive)', async () => {
  expect((await get('custom-header', { apikey: PROD_KEY })).status).toBe(401);
  const res = await get('custom-header', { 'x-api-key': PROD_KEY });
  expect([res.status, res.text]).toEqual([200, 'production']);
});
