import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { createPrototypeEndpoint } from '../../../src/prototype';
import type { Endpoint } from '../../../src/endpoints/endpoint';
import { BridgeError } from '../../../src/errors/bridge-error';
import { importCompiled } from '../../../src/wsdl';
import { callContext, readBody, request, silentLog } from '../../unit/prototype/helpers';

/**
 * The prototype endpoint end to end: real QuickJS sandboxes on worker threads, static
 * responses, generated SOAP answers. Escapes must fail as 500 PROTOTYPE_SCRIPT_ERROR (or leak
 * nothing) while other requests keep being answered.
 */
const LIMIT_MS = 100;

const implementations: Record<string, string> = {
  'POST /echo': "var p = mc.getPayloadJSON(); p.city = mc.getProperty('uri.var.city'); p.units = mc.getProperty('query.param.units'); p.agent = mc.getHeader('User-Agent'); mc.setPayloadJSON(p);",
  'GET /status/{code}': "mc.setProperty('HTTP_SC', mc.getProperty('uri.var.code')); mc.setProperty('CONTENT_TYPE', 'text/csv'); mc.setPayloadXML('a,b'); mc.setHeader('X-Mock', 'yes');",
  'GET /xml': "mc.setPayloadXML('<city name=\"' + mc.getProperty('query.param.name') + '\"/>');",
  'GET /escape/constructor': "mc.setPayloadJSON({ p: String(this.constructor.constructor('return process')()) })",
  'GET /escape/import': "import('fs').then(function (fs) { mc.setPayloadJSON({ leaked: String(fs.readFileSync('/etc/passwd')) }) }, function (e) { mc.setPayloadJSON({ error: String(e) }) })",
  'GET /escape/require': "mc.setPayloadJSON({ fs: String(require('fs')) })",
  'GET /escape/global': "mc.setPayloadJSON({ process: typeof globalThis.process, fetch: typeof fetch, xhr: typeof XMLHttpRequest, require: typeof require, std: typeof std, os: typeof os })",
  'GET /escape/fetch': "fetch('http://127.0.0.1')",
  'GET /loop': 'while (true) {}',
  'GET /loop-catch': 'while (true) { try { while (true) {} } catch (e) {} }',
  'GET /bomb': 'let a = []; while (true) a.push(new Array(1e6).fill(1))',
  'GET /bomb-small': "let a = []; while (true) a.push('x'.repeat(1e4) + a.length)",
  'GET /recursion': 'function f(n) { return f(n + 1) + 1 } f(0)',
  'GET /throws': "throw new TypeError('nope')",
  'GET /fast': "mc.setPayloadJSON({ ok: true })",
  Add: "var x = mc.getPayloadXML(); var a = +/intA>(\\d+)</.exec(x)[1], b = +/intB>(\\d+)</.exec(x)[1]; mc.setPayloadXML('<AddResponse xmlns=\"http://tempuri.org/\"><AddResult>' + (a + b) + '</AddResult></AddResponse>')",
};

let ep: Endpoint;
let soap: Endpoint;

beforeAll(async () => {
  ep = createPrototypeEndpoint(
    {
      type: 'prototype',
      responses: {
        'GET /cities/{city}': { status: 200, headers: { 'X-Source': 'static' }, body: { city: 'Oslo', temp: 21 } },
        'GET /plain': { status: 202, body: 'accepted' },
        'DELETE /cities/{city}': { status: 204 },
      },
      implementations,
      script: { timeoutMs: LIMIT_MS },
    },
    { name: 'proto', log: silentLog },
  );
  const model = await importCompiled(path.join(__dirname, '../../../wsdl/Calculator.wsdl'));
  soap = createPrototypeEndpoint(
    { type: 'prototype', implementations: { Add: implementations['Add'] as string }, responses: { Divide: { body: '<x/>' } } },
    { name: 'calc-proto', model, log: silentLog },
  );
  // Workers load QuickJS in the background; the first answer waits for one.
  await ep.send(request({ path: '/fast' }), callContext());
}, 60_000);

afterAll(async () => {
  await ep.close();
  await soap.close();
});

async function get(p: string, over: Parameters<typeof request>[0] = {}): Promise<{ status: number; headers: Record<string, string | string[]>; body: string }> {
  const res = await ep.send(request({ path: p, ...over }), callContext());
  return { status: res.status, headers: { ...res.headers }, body: await readBody(res) };
}

async function failure(p: string): Promise<BridgeError> {
  try {
    await get(p);
  } catch (e) {
    if (e instanceof BridgeError) return e;
    throw e;
  }
  throw new Error(`${p} answered`);
}

describe('static responses', () => {
  test('a resource template with JSON body and headers', async () => {
    const r = await get('/cities/Paris');
    expect(r.status).toBe(200);
    expect(r.headers['x-source']).toBe('static');
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ city: 'Oslo', temp: 21 });
  });

  test('a string body and a status; the method is part of the key', async () => {
    expect(await get('/plain')).toMatchObject({ status: 202, body: 'accepted' });
    expect((await get('/cities/x', { method: 'DELETE' })).status).toBe(204);
  });

  test('no response and no implementation → 501 PROTOTYPE_NOT_IMPLEMENTED', async () => {
    const e = await failure('/nowhere');
    expect(e.code).toBe('PROTOTYPE_NOT_IMPLEMENTED');
    expect(e.status).toBe(501);
    await expect(ep.send(request({ method: 'PUT', path: '/cities/x' }), callContext())).rejects.toMatchObject({ status: 501 });
  });
});

describe('mc API round trips', () => {
  test('JSON in → JSON out with uri.var, query.param and a header', async () => {
    const r = await get('/echo/Oslo'.replace('/Oslo', ''), {
      method: 'POST',
      path: '/echo',
      uriVars: { city: 'Oslo' },
      query: 'units=metric',
      headers: { 'content-type': 'application/json', 'user-agent': 'jest' },
      text: JSON.stringify({ hello: 'world' }),
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ hello: 'world', city: 'Oslo', units: 'metric', agent: 'jest' });
  });

  test('HTTP_SC, CONTENT_TYPE and mc.setHeader shape the response', async () => {
    const r = await get('/status/418');
    expect(r.status).toBe(418);
    expect(r.headers['content-type']).toBe('text/csv');
    expect(r.headers['x-mock']).toBe('yes');
    expect(r.body).toBe('a,b');
  });

  test('setPayloadXML answers application/xml', async () => {
    const r = await get('/xml', { query: 'name=Oslo' });
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.body).toBe('<city name="Oslo"/>');
  });

  test('a thrown error → 500 PROTOTYPE_SCRIPT_ERROR naming it', async () => {
    const e = await failure('/throws');
    expect(e).toMatchObject({ code: 'PROTOTYPE_SCRIPT_ERROR', status: 500 });
    expect(e.message).toContain('TypeError: nope');
  });

  test('SOAP: getPayloadXML is the Body content; setPayloadXML is wrapped in an envelope of the caller version', async () => {
    const env = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:t="http://tempuri.org/"><s:Body><t:Add><t:intA>2</t:intA><t:intB>3</t:intB></t:Add></s:Body></s:Envelope>';
    const res = await soap.send(request({ method: 'POST', operation: 'Add', headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, text: env }), callContext());
    const body = await readBody(res);
    expect(res.headers['content-type']).toContain('application/soap+xml');
    expect(body).toContain('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><AddResponse xmlns="http://tempuri.org/"><AddResult>5</AddResult>');
  });
});

describe('generated SOAP responses', () => {
  test('an operation without response or implementation answers a generated envelope; ?responseCode=500 a Fault', async () => {
    const ok = await soap.send(request({ method: 'POST', operation: 'Multiply', headers: { 'content-type': 'text/xml' } }), callContext());
    expect(ok.status).toBe(200);
    expect(await readBody(ok)).toContain('<ns1:MultiplyResponse xmlns:ns1="http://tempuri.org/"><ns1:MultiplyResult>1</ns1:MultiplyResult>');
    const fault = await soap.send(request({ method: 'POST', operation: 'Multiply', query: 'responseCode=500', headers: { 'content-type': 'text/xml' } }), callContext());
    expect(fault.status).toBe(500);
    expect(await readBody(fault)).toContain('<faultcode>soap:Server</faultcode>');
    // A static response of Body content goes out in an Envelope of the caller's version (a bare
    // fragment, as sent before, is no answer a SOAP client can read); an Envelope goes as written.
    const fixed = await soap.send(request({ method: 'POST', operation: 'Divide', headers: { 'content-type': 'text/xml' } }), callContext());
    expect(await readBody(fixed)).toBe('<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x/></soap:Body></soap:Envelope>');
    expect(fixed.headers['content-type']).toContain('text/xml');
    const fixed12 = await soap.send(request({ method: 'POST', operation: 'Divide', headers: { 'content-type': 'application/soap+xml' } }), callContext());
    expect(await readBody(fixed12)).toContain('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><x/></soap:Body>');
  });

  test('an operation the WSDL does not have → 501', async () => {
    await expect(soap.send(request({ method: 'POST', operation: 'Nope', headers: { 'content-type': 'text/xml' } }), callContext())).rejects.toMatchObject({ code: 'PROTOTYPE_NOT_IMPLEMENTED' });
  });
});

describe('sandbox escapes fail safely and the endpoint keeps serving', () => {
  test('this.constructor.constructor("return process")() → 500, nothing leaks', async () => {
    const e = await failure('/escape/constructor');
    expect(e.code).toBe('PROTOTYPE_SCRIPT_ERROR');
    expect(e.message).toMatch(/process/);
  });

  test('import("fs") rejects inside the sandbox', async () => {
    const r = await get('/escape/import');
    expect(r.body).not.toContain('root:');
    expect(JSON.parse(r.body).error).toMatch(/could not load module/);
  });

  test('require, fetch → 500; no host globals exist', async () => {
    expect((await failure('/escape/require')).message).toMatch(/require/);
    expect((await failure('/escape/fetch')).message).toMatch(/fetch/);
    expect(JSON.parse((await get('/escape/global')).body)).toEqual({ process: 'undefined', fetch: 'undefined', xhr: 'undefined', require: 'undefined', std: 'undefined', os: 'undefined' });
  });

  test.each([['/loop'], ['/loop-catch']])('%s → 500 within a generous bound of the limit', async (p) => {
    const t = Date.now();
    const e = await failure(p);
    expect(e.code).toBe('PROTOTYPE_SCRIPT_ERROR');
    expect(e.extensions).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - t).toBeLessThan(LIMIT_MS + 1500);
  });

  test.each([['/bomb'], ['/bomb-small']])('memory bomb %s → 500', async (p) => {
    const t = Date.now();
    const e = await failure(p);
    expect(e.code).toBe('PROTOTYPE_SCRIPT_ERROR');
    expect(Date.now() - t).toBeLessThan(5000);
  });

  test('deep recursion → 500 (stack limit)', async () => {
    const e = await failure('/recursion');
    expect(e.code).toBe('PROTOTYPE_SCRIPT_ERROR');
  });

  test('a normal request during an endless loop is answered, and the event loop is never blocked for the limit', async () => {
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    // Workers killed by the memory bombs above come back in the background (slowly under
    // ts-jest, which transpiles them): try a few times until a spare worker takes the request.
    let fastMs = Infinity;
    for (let attempt = 0; attempt < 20 && fastMs >= LIMIT_MS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 250));
      const loop = failure('/loop');
      const started = Date.now();
      const fast = await get('/fast');
      fastMs = Date.now() - started;
      expect(JSON.parse(fast.body)).toEqual({ ok: true });
      expect((await get('/cities/Rome')).status).toBe(200);
      expect((await loop).code).toBe('PROTOTYPE_SCRIPT_ERROR');
    }
    h.disable();
    expect(fastMs).toBeLessThan(LIMIT_MS);
    expect(h.max / 1e6).toBeLessThan(LIMIT_MS);
  });

  test('after every escape attempt the endpoint still answers scripts', async () => {
    for (let i = 0; i < 5; i++) expect(JSON.parse((await get('/fast')).body)).toEqual({ ok: true });
  });
});
