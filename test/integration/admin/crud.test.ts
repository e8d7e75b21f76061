import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi } from '../../utils/bridge';
import { adminCall, answering, send, startAdminBridge, type AdminBridge } from '../../utils/admin';

/** CRUD of API definitions through the admin API: validated, written atomically, applied at once. */
let one: TestBackend;
let two: TestBackend;
let b: AdminBridge;

beforeAll(async () => {
  one = await startBackend(answering('one'));
  two = await startBackend(answering('two'));
});

beforeEach(async () => {
  b = await startAdminBridge({ orders: restApi('orders', one.url) });
});

afterEach(async () => {
  await b.close();
});

afterAll(async () => {
  await one.close();
  await two.close();
});

const served = (api: string) => send(`${b.url}/${api}/v1/x`);
const onDisk = (name: string): unknown => parse(readFileSync(b.tree.apiFile(name), 'utf8'));

test('POST creates an API that is served at once; PUT switches its backend; DELETE stops it at once', async () => {
  // 1. Create.
  const created = await adminCall(b.adminUrl, 'POST', '/apis', restApi('invoices', one.url));
  expect(created.status).toBe(201);
  expect(created.headers['location']).toBe('/apis/invoices');
  expect(created.json()).toEqual(restApi('invoices', one.url));
  expect(onDisk('invoices')).toEqual(restApi('invoices', one.url));
  expect(await served('invoices')).toMatchObject({ status: 200, text: 'one' });
  // 2. Read back, list.
  expect((await adminCall(b.adminUrl, 'GET', '/apis/invoices')).json()).toEqual(restApi('invoices', one.url));
  expect((await adminCall(b.adminUrl, 'GET', '/apis')).json<{ name: string }[]>().map((a) => a.name)).toEqual(['invoices', 'orders']);
  // 3. Replace: the very next request goes to the new backend.
  const replaced = await adminCall(b.adminUrl, 'PUT', '/apis/invoices', restApi('invoices', two.url));
  expect(replaced.status).toBe(200);
  expect(await served('invoices')).toMatchObject({ status: 200, text: 'two' });
  // 4. Delete: the very next request is a 404.
  const deleted = await adminCall(b.adminUrl, 'DELETE', '/apis/invoices');
  expect(deleted.status).toBe(204);
  expect(existsSync(b.tree.apiFile('invoices'))).toBe(false);
  expect((await served('invoices')).json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  expect(await served('orders')).toMatchObject({ status: 200, text: 'one' });
});

test('an invalid definition answers 422 CONFIG_INVALID with its problems and leaves the file untouched', async () => {
  const before = readFileSync(b.tree.apiFile('orders'));
  const bad = { ...restApi('orders', two.url), endpoints: { production: { type: 'carrier-pigeon', url: two.url } }, surprise: true };
  const res = await adminCall(b.adminUrl, 'PUT', '/apis/orders', bad);
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = res.json<{ code: string; problems: string[] }>();
  expect(problem.code).toBe('CONFIG_INVALID');
  expect(problem.problems.length).toBeGreaterThanOrEqual(1);
  expect(problem.problems.join('\n')).toMatch(/surprise|endpoints\.production/);
  expect(readFileSync(b.tree.apiFile('orders')).equals(before)).toBe(true);
  // Nothing else was left in the folder (validation probe, temp files).
  expect(readdirSync(b.tree.apisDir)).toEqual(['orders.yaml']);
  expect(await served('orders')).toMatchObject({ status: 200, text: 'one' });
});

test('a change only building the config refuses (operations: the API does not have) is undone on disk, so the files still start', async () => {
  const before = readFileSync(b.tree.apiFile('orders'));
  // Valid YAML and schema; refused when built (a REST API has no operations).
  const res = await adminCall(b.adminUrl, 'PUT', '/apis/orders', { ...restApi('orders', two.url), operations: { Add: { idempotent: true } } });
  expect(res.status).toBe(422);
  const problem = res.json<{ code: string; problems: string[] }>();
  expect(problem.code).toBe('CONFIG_INVALID');
  expect(problem.problems).toEqual([expect.stringMatching(/orders\.yaml: operations\.Add: only an API with a "wsdl" has operations/)]);
  expect(readFileSync(b.tree.apiFile('orders')).equals(before)).toBe(true);
  expect(await served('orders')).toMatchObject({ status: 200, text: 'one' });
  // Created the same way: refused, and no file is left.
  const created = await adminCall(b.adminUrl, 'POST', '/apis', { ...restApi('invoices', two.url), operations: { Add: {} } });
  expect(created.status).toBe(422);
  expect(readdirSync(b.tree.apisDir)).toEqual(['orders.yaml']);
  // What is on disk is what serves: a reload (and so a restart) takes it.
  expect(await b.bridge.reload('test')).toBe(true);
  expect(await served('orders')).toMatchObject({ status: 200, text: 'one' });
});

test('a wsdl endpoint whose WSDL has no callable port is refused the same way, naming the ports', async () => {
  const calc = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'wsdl', 'calculator', 'Calculator.wsdl'), 'utf8');
  mkdirSync(path.join(b.tree.root, 'wsdl'), { recursive: true });
  writeFileSync(path.join(b.tree.root, 'wsdl', 'calc.wsdl'), calc.replace(/location="http:\/\/www\.dneonline\.com[^"]*"/g, 'location="REPLACE_WITH_ACTUAL_URL"'));
  const api = { name: 'calc', context: '/calc', version: 'v1', wsdl: '../../wsdl/calc.wsdl', expose: { soap: true }, endpoints: { production: { type: 'wsdl' } } };
  const res = await adminCall(b.adminUrl, 'POST', '/apis', api);
  expect(res.status).toBe(422);
  expect(res.json<{ code: string; detail: string }>()).toMatchObject({ code: 'CONFIG_INVALID', detail: expect.stringMatching(/not applied: .*no SOAP port .* with an http\(s\) address the bridge can call .*REPLACE_WITH_ACTUAL_URL/) });
  expect(readdirSync(b.tree.apisDir)).toEqual(['orders.yaml']);
});

test('an invalid new API is refused and no file is created', async () => {
  const res = await adminCall(b.adminUrl, 'POST', '/apis', { name: 'broken', context: 'no-slash', version: 'v1', endpoints: {} });
  expect(res.status).toBe(422);
  expect(res.json<{ problems: string[] }>().problems.join('\n')).toMatch(/context/);
  expect(readdirSync(b.tree.apisDir)).toEqual(['orders.yaml']);
});

test('a second API on a mount already served is refused', async () => {
  const clash = { ...restApi('orders2', two.url), context: '/orders' };
  const res = await adminCall(b.adminUrl, 'POST', '/apis', clash);
  expect(res.status).toBe(422);
  expect(res.json<{ problems: string[] }>().problems.join('\n')).toMatch(/\/orders\/v1 is already served by orders/);
  expect(existsSync(b.tree.apiFile('orders2'))).toBe(false);
  expect(await served('orders')).toMatchObject({ status: 200, text: 'one' });
});

test('create refuses an existing name (409), replace and delete an unknown one (404)', async () => {
  expect((await adminCall(b.adminUrl, 'POST', '/apis', restApi('orders', two.url))).status).toBe(409);
  expect((await adminCall(b.adminUrl, 'PUT', '/apis/nope', restApi('nope', two.url))).status).toBe(404);
  expect((await adminCall(b.adminUrl, 'DELETE', '/apis/nope')).status).toBe(404);
  expect((await adminCall(b.adminUrl, 'GET', '/apis/nope')).status).toBe(404);
});

test('names are checked: body and path must agree, no path tricks', async () => {
  expect((await adminCall(b.adminUrl, 'PUT', '/apis/orders', restApi('other', two.url))).status).toBe(400);
  expect((await adminCall(b.adminUrl, 'GET', '/apis/..%2Fsoapbridge')).status).toBe(400);
  expect((await adminCall(b.adminUrl, 'POST', '/apis', '[1,2]')).status).toBe(400);
  expect((await adminCall(b.adminUrl, 'POST', '/apis', '{not json')).status).toBe(400);
});

test('lifecycle actions through the admin API change what is served', async () => {
  const act = (action: string) => adminCall(b.adminUrl, 'POST', '/apis/orders/lifecycle', { action });
  expect((await act('Block')).json()).toEqual({ name: 'orders', action: 'Block', from: 'PUBLISHED', to: 'BLOCKED' });
  expect((await served('orders')).status).toBe(503);
  expect((await act('Re-Publish')).status).toBe(200);
  expect(await served('orders')).toMatchObject({ status: 200, text: 'one' });
  await act('Deprecate');
  const deprecated = await served('orders');
  expect([deprecated.status, deprecated.headers['deprecation']]).toEqual([200, 'true']);
  expect((onDisk('orders') as { state: string }).state).toBe('DEPRECATED');
  await act('Retire');
  expect((await served('orders')).json()).toMatchObject({ status: 404, code: 'API_NOT_SERVED' });
  // 409 names what is allowed (nothing: RETIRED is final).
  const refused = await act('Publish');
  expect(refused.status).toBe(409);
  expect(refused.json()).toMatchObject({ allowed: [] });
  expect((await act('constructor')).status).toBe(409);
  expect((await adminCall(b.adminUrl, 'POST', '/apis/orders/lifecycle', { nope: 1 })).status).toBe(400);
});

test('a refused action lists the allowed ones and changes nothing', async () => {
  const before = readFileSync(b.tree.apiFile('orders'));
  const res = await adminCall(b.adminUrl, 'POST', '/apis/orders/lifecycle', { action: 'Retire' });
  expect(res.status).toBe(409);
  expect(res.json<{ allowed: string[] }>().allowed.sort()).toEqual(['Block', 'Demote to Created', 'Deploy as Prototype', 'Deprecate', 'Publish']);
  expect(readFileSync(b.tree.apiFile('orders')).equals(before)).toBe(true);
});

test('GET /endpoints shows each API endpoint tree with its state', async () => {
  await adminCall(b.adminUrl, 'POST', '/apis', { ...restApi('both', one.url), endpoints: { production: { type: 'http', url: one.url }, sandbox: { type: 'failover', members: [{ type: 'http', url: one.url }, { type: 'http', url: two.url }] } } });
  const res = await adminCall(b.adminUrl, 'GET', '/endpoints');
  expect(res.status).toBe(200);
  const body = res.json<Record<string, { production?: Record<string, unknown>; sandbox?: Record<string, unknown> }>>();
  expect(Object.keys(body).sort()).toEqual(['both', 'orders']);
  const leaf = { name: expect.any(String), type: 'http', state: 'ACTIVE', requests: expect.any(Number), failures: 0, inFlight: 0 };
  expect(body['orders']!.production).toMatchObject(leaf);
  expect(body['orders']!.sandbox).toBeUndefined();
  expect(body['both']!.sandbox).toMatchObject({ type: 'failover', state: 'ACTIVE', members: [leaf, leaf] });
});
