import { createHash } from 'node:crypto';
import { CALCULATOR_WSDL, startCalculatorBackend, startSoapBridge, type SoapBackend, type SoapTestBridge } from '../../utils/soap-bridge';
import { expectProblem, getJson, postJson } from './rest';

/** The lifecycle state and the API keys of an API govern its REST facade as they do its SOAP side. */
const PROD_KEY = 'prod-key-0123456789';
const SANDBOX_KEY = 'sandbox-key-0123456789';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

let backend: SoapBackend;
let blocked: SoapTestBridge;
let keyed: SoapTestBridge;

beforeAll(async () => {
  backend = await startCalculatorBackend();
  [blocked, keyed] = await Promise.all([
    startSoapBridge({ wsdl: CALCULATOR_WSDL, backendUrl: backend.url, name: 'blocked', expose: { soap: true, rest: true }, api: { state: 'BLOCKED' } }),
    startSoapBridge({
      wsdl: CALCULATOR_WSDL,
      backendUrl: backend.url,
      name: 'keyed',
      expose: { rest: true },
      api: { apiKeys: { header: 'x-api-key', keys: [{ sha256: sha(PROD_KEY), type: 'production' }, { sha256: sha(SANDBOX_KEY), type: 'sandbox' }] } },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([blocked?.close(), keyed?.close()]);
  await backend?.close();
});

describe('a BLOCKED API', () => {
  test('answers 503 API_BLOCKED problem+json on POST /add and GET /add, reaching no backend', async () => {
    const before = backend.hits();
    expectProblem(await postJson(`${blocked.apiUrl}/add`, { intA: 1, intB: 2 }), 503, 'API_BLOCKED');
    expectProblem(await getJson(`${blocked.apiUrl}/add?intA=1&intB=2`), 503, 'API_BLOCKED');
    expect(backend.hits()).toBe(before);
  });

  test('still describes itself (openapi.json)', async () => {
    const r = await getJson(`${blocked.apiUrl}/openapi.json`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body['paths'] as object)).toContain('/add');
  });

  // Regression: the lifecycle is checked before the body (a BLOCKED API once answered 400).
  test('a body that does not fit the schema still gets 503, not 400', async () => {
    expectProblem(await postJson(`${blocked.apiUrl}/add`, { intA: 'x' }), 503, 'API_BLOCKED');
  });
});

describe('API keys', () => {
  test('no key or an unknown key → 401 UNAUTHORIZED problem+json, reaching no backend', async () => {
    const before = backend.hits();
    const p = expectProblem(await postJson(`${keyed.apiUrl}/add`, { intA: 1, intB: 2 }), 401, 'UNAUTHORIZED');
    expect(String(p['detail'])).toContain('x-api-key');
    expectProblem(await postJson(`${keyed.apiUrl}/add`, { intA: 1, intB: 2 }, { 'x-api-key': 'wrong-key-0123456789' }), 401, 'UNAUTHORIZED');
    expectProblem(await getJson(`${keyed.apiUrl}/add?intA=1&intB=2`), 401, 'UNAUTHORIZED');
    expect(backend.hits()).toBe(before);
  });

  test('a production key calls the backend; the key is not passed on', async () => {
    const before = backend.hits();
    const r = await postJson(`${keyed.apiUrl}/add`, { intA: 40, intB: 2 }, { 'x-api-key': PROD_KEY });
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { AddResult: 42 } });
    const g = await getJson(`${keyed.apiUrl}/multiply?intA=6&intB=7`, { 'x-api-key': PROD_KEY });
    expect({ status: g.status, body: g.body }).toEqual({ status: 200, body: { MultiplyResult: 42 } });
    const seen = backend.seen.slice(before);
    expect(seen).toHaveLength(2);
    for (const h of seen) expect(h['x-api-key']).toBeUndefined();
  });

  test('a sandbox key on an API without sandbox endpoints → 403 FORBIDDEN', async () => {
    expectProblem(await postJson(`${keyed.apiUrl}/add`, { intA: 1, intB: 2 }, { 'x-api-key': SANDBOX_KEY }), 403, 'FORBIDDEN');
  });

  // Regression: the key is checked before content type, size and schema (as on the SOAP side).
  test.each([
    ['a body that does not fit the schema', { 'content-type': 'application/json' }, '{"intA":"x"}'],
    ['invalid JSON', { 'content-type': 'application/json' }, '{'],
    ['a wrong content type', { 'content-type': 'text/plain' }, '{}'],
  ])('no key and %s → 401 first', async (_label, headers, body) => {
    expectProblem(await postJson(`${keyed.apiUrl}/add`, body, headers), 401, 'UNAUTHORIZED');
  });
});
