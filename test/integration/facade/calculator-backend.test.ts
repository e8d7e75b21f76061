import path from 'node:path';
import { request } from 'undici';
import { startDemoBackend, type DemoServer } from '../../../src/demo/demo-backend';
import { buildFacade, type Facade, type FacadeOperation } from '../../../src/facade';
import { compileModel, loadBundle } from '../../../src/wsdl';

/**
 * The facade against a SOAP backend no one here wrote (the `soap` package serving the demo
 * Calculator on loopback, port 0): JSON in → envelope → backend → JSON or problem+json out.
 */
let backend: DemoServer;
let facade: Facade;

beforeAll(async () => {
  backend = await startDemoBackend('127.0.0.1', 0);
  facade = buildFacade(compileModel(await loadBundle(path.join(__dirname, '../../../wsdl/Calculator.wsdl'))));
});
afterAll(async () => backend.close());

async function call(op: FacadeOperation, json: unknown): Promise<{ status: number; body: unknown; problem: boolean }> {
  const res = await request(`${backend.url}/calculator`, { method: 'POST', headers: op.requestHeaders, body: op.toEnvelope(json) });
  return op.fromEnvelope(await res.body.text(), res.statusCode);
}

test('Add through the soap package backend returns typed JSON', async () => {
  expect(await call(facade.find('add') as FacadeOperation, { intA: 40, intB: 2 })).toEqual({ status: 200, problem: false, body: { AddResult: 42 } });
});

test('GET-style query input works the same', async () => {
  const op = facade.find('multiply') as FacadeOperation;
  expect((await call(op, op.fromQuery({ intA: '6', intB: '7' }))).body).toEqual({ MultiplyResult: 42 });
});

test('a backend Fault becomes problem+json with the client status', async () => {
  const r = await call(facade.find('divide') as FacadeOperation, { intA: 1, intB: 0 });
  expect(r.status).toBe(400);
  expect(r.problem).toBe(true);
  expect(r.body).toMatchObject({ code: 'BACKEND_CLIENT_FAULT', faultstring: 'division by zero' });
});
