import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi } from '../../utils/bridge';
import { answering, send, startAdminBridge, type AdminBridge } from '../../utils/admin';
import { startDemoBackend, type DemoServer } from '../../../src/demo/demo-backend';
import { CALCULATOR_WSDL } from '../../../src/demo/demo-calculator';

/**
 * Lifecycle gating on the hot path: one bridge serves the same REST API and the demo SOAP
 * Calculator in every lifecycle state (one API file per state).
 */
const STATES = ['CREATED', 'PUBLISHED', 'BLOCKED', 'DEPRECATED', 'RETIRED'] as const;
const ADD = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Add xmlns="http://tempuri.org/"><intA>2</intA><intB>3</intB></Add></soap:Body></soap:Envelope>`;

let backend: TestBackend;
let demo: DemoServer;
let b: AdminBridge;

beforeAll(async () => {
  backend = await startBackend(answering('rest-backend'));
  demo = await startDemoBackend('127.0.0.1', 0);
  const apis: Record<string, Record<string, unknown>> = {};
  for (const state of STATES) {
    const s = state.toLowerCase();
    apis[`rest-${s}`] = { ...restApi(`rest-${s}`, backend.url), state };
    apis[`soap-${s}`] = {
      name: `soap-${s}`,
      context: `/soap-${s}`,
      version: 'v1',
      state,
      wsdl: CALCULATOR_WSDL,
      expose: { soap: true },
      endpoints: { production: { type: 'soap', url: `${demo.url}/calculator` } },
    };
  }
  b = await startAdminBridge(apis);
});

afterAll(async () => {
  await b.close();
  await backend.close();
  await demo.close();
});

const rest = (state: string) => send(`${b.url}/rest-${state.toLowerCase()}/v1/items`);
const soap = (state: string) =>
  send(`${b.url}/soap-${state.toLowerCase()}/v1`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/Add"' }, body: ADD });

describe('REST', () => {
  test.each(['PUBLISHED', 'DEPRECATED'])('%s is served', async (state) => {
    const res = await rest(state);
    expect(res.status).toBe(200);
    expect(res.text).toBe('rest-backend');
  });

  test('DEPRECATED says so on the response; PUBLISHED does not', async () => {
    expect((await rest('DEPRECATED')).headers['deprecation']).toBe('true');
    expect((await rest('PUBLISHED')).headers['deprecation']).toBeUndefined();
  });

  test.each(['CREATED', 'RETIRED'])('%s answers 404 API_NOT_SERVED (problem+json) without calling the backend', async (state) => {
    const before = backend.seen.length;
    const res = await rest(state);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'API_NOT_SERVED', status: 404 });
    expect(backend.seen.length).toBe(before);
  });

  test('BLOCKED answers 503 API_BLOCKED (problem+json)', async () => {
    const res = await rest('BLOCKED');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'API_BLOCKED', status: 503 });
  });
});

describe('SOAP (demo Calculator)', () => {
  test.each(['PUBLISHED', 'DEPRECATED'])('%s is served', async (state) => {
    const res = await soap(state);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<(\w+:)?AddResult>5<\/(\w+:)?AddResult>/);
    expect(res.headers['deprecation']).toBe(state === 'DEPRECATED' ? 'true' : undefined);
  });

  // SOAP 1.1 sends every Fault with HTTP 500 (to-soap-fault.ts); the stable code is in the detail.
  test('BLOCKED: a SOAP 1.1 Server Fault carrying API_BLOCKED', async () => {
    const res = await soap('BLOCKED');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toContain('<faultcode>soap:Server</faultcode>');
    expect(res.text).toContain('<sb:code>API_BLOCKED</sb:code>');
  });

  test('BLOCKED: a SOAP 1.2 caller gets 503 and a Receiver Fault', async () => {
    const res = await send(`${b.url}/soap-blocked/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/soap+xml; charset=utf-8; action="http://tempuri.org/Add"' },
      body: ADD.replace('http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'),
    });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/soap\+xml/);
    expect(res.text).toContain('<env:Value>env:Receiver</env:Value>');
    expect(res.text).toContain('<sb:code>API_BLOCKED</sb:code>');
  });

  test.each(['CREATED', 'RETIRED'])('%s: a Client Fault carrying API_NOT_SERVED', async (state) => {
    const res = await soap(state);
    expect(res.status).toBe(500);
    expect(res.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(res.text).toContain('<sb:code>API_NOT_SERVED</sb:code>');
  });

  test('?wsdl follows the lifecycle: not served while CREATED (no prototype) or once RETIRED', async () => {
    const ok = await send(`${b.url}/soap-published/v1?wsdl`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('definitions');
    for (const state of ['created', 'retired']) {
      const res = await send(`${b.url}/soap-${state}/v1?wsdl`);
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ code: 'API_NOT_SERVED' });
    }
    // Served while DEPRECATED (still callable) and BLOCKED (temporarily refused, not gone).
    expect((await send(`${b.url}/soap-deprecated/v1?wsdl`)).status).toBe(200);
    expect((await send(`${b.url}/soap-blocked/v1?wsdl`)).status).toBe(200);
  });
});
