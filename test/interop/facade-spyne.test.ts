import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { describeWithPython, PYTHON, startSpyne } from './python';
import { startSoapBridge, type SoapTestBridge } from '../utils/soap-bridge';

/**
 * The REST facade in front of a python spyne service (Debian python3-spyne): spyne's own `?wsdl`
 * is the API's WSDL (`expose.rest`), JSON calls through the bridge must return what python zeep
 * gets calling spyne directly — typed numbers and booleans, lists as JSON arrays even of one item.
 */
const ZEEP = path.join(__dirname, 'facade_zeep_direct.py');
const maybe = describeWithPython('spyne, lxml, zeep', __filename);


type Json = Record<string, unknown>;
type ZeepAnswer = { result: unknown } | { fault: string; code: string };

/** One zeep process calls spyne directly for every case; the raw stdout is kept for big integers. */
function zeepDirect(url: string, calls: [string, Json][]): Promise<{ answers: ZeepAnswer[]; raw: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [ZEEP, `${url}?wsdl`], { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ answers: JSON.parse(stdout) as ZeepAnswer[], raw: stdout }),
    );
    child.stdin!.end(JSON.stringify(calls));
  });
}

async function rest(url: string, json?: Json): Promise<{ status: number; type: string; body: Json }> {
  const res = await request(url, json ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) } : {});
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: (await res.body.json()) as Json };
}

/** [operation, args, how zeep's unwrapped result sits in the facade's JSON]. */
const CASES: [string, Json, (b: Json) => unknown][] = [
  ['add', { a: 40, b: 2 }, (b) => b['addResult']],
  ['divide', { a: 85, b: 2 }, (b) => b['divideResult']],
  ['repeat', { text: 'ab', times: 3 }, (b) => b['repeatResult']],
  ['repeat_list', { text: 'ab', times: 1 }, (b) => (b['repeat_listResult'] as Json)['string']],
  ['repeat_list', { text: 'ab', times: 3 }, (b) => (b['repeat_listResult'] as Json)['string']],
  ['sum_all', { values: { integer: [1, 2, 39] } }, (b) => b['sum_allResult']],
  ['sum_all', { values: { integer: [42] } }, (b) => b['sum_allResult']],
  ['mean', { values: { double: [1.5, 2] } }, (b) => b['meanResult']],
  ['is_even', { n: 4 }, (b) => b['is_evenResult']],
  ['is_even', { n: 7 }, (b) => b['is_evenResult']],
  ['older', { person: { name: 'ann', age: 41, tags: { string: ['x'] } } }, (b) => b['olderResult']],
];

maybe('REST facade in front of spyne', () => {
  let spyne: { proc: ChildProcess; url: string };
  let bridge: SoapTestBridge;
  let dir: string;
  let zeep: { answers: ZeepAnswer[]; raw: string };

  beforeAll(async () => {
    spyne = await startSpyne('facade_spyne_service.py');
    const res = await request(`${spyne.url}?wsdl`);
    expect(res.statusCode).toBe(200);
    dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-facade-spyne-'));
    const wsdl = path.join(dir, 'spyne.wsdl');
    writeFileSync(wsdl, await res.body.text());
    bridge = await startSoapBridge({ wsdl, backendUrl: spyne.url, name: 'spyne', expose: { soap: true, rest: true } });
    const calls: [string, Json][] = [...CASES.map(([op, args]): [string, Json] => [op, args]), ['divide', { a: 1, b: 0 }], ['add', { a: '9007199254740993', b: 0 }]];
    zeep = await zeepDirect(spyne.url, calls);
  }, 30_000);

  afterAll(async () => {
    await bridge?.close();
    spyne?.proc.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test.each(CASES.map((c, i) => [c[0], JSON.stringify(c[1]), i] as const))('%s %s through the facade equals zeep calling spyne', async (op, _args, i) => {
    const [, args, pick] = CASES[i]!;
    const r = await rest(`${bridge.apiUrl}/${op}`, args);
    expect({ status: r.status, type: r.type }).toEqual({ status: 200, type: expect.stringContaining('application/json') });
    expect(Object.keys(r.body)).toEqual([`${op}Result`]);
    expect(pick(r.body)).toEqual((zeep.answers[i] as { result: unknown }).result);
  });

  test('a list of one item is a JSON array; numbers and booleans are typed', async () => {
    const one = await rest(`${bridge.apiUrl}/repeat_list`, { text: 'ab', times: 1 });
    expect(one.body).toEqual({ repeat_listResult: { string: ['ab'] } });
    expect((await rest(`${bridge.apiUrl}/older`, { person: { name: 'ann', age: 41, tags: { string: ['x'] } } })).body).toEqual({
      olderResult: { name: 'ANN', age: 42, tags: { string: ['x', 'older'] } },
    });
    expect((await rest(`${bridge.apiUrl}/mean`, { values: { double: [1, 2] } })).body).toEqual({ meanResult: 1.5 });
    expect((await rest(`${bridge.apiUrl}/is_even`, { n: 2 })).body).toEqual({ is_evenResult: true });
  });

  test('GET with query parameters for all-simple inputs', async () => {
    expect((await rest(`${bridge.apiUrl}/add?a=40&b=2`)).body).toEqual({ addResult: 42 });
    expect((await rest(`${bridge.apiUrl}/repeat_list?text=ab&times=2`)).body).toEqual({ repeat_listResult: { string: ['ab', 'ab'] } });
    expect((await rest(`${bridge.apiUrl}/sum_all?values=1`)).status).toBe(405);
  });

  test('an integer beyond 2^53 travels as a string of digits, as zeep reads it', async () => {
    const r = await rest(`${bridge.apiUrl}/add`, { a: '9007199254740993', b: 0 });
    expect(r.body).toEqual({ addResult: '9007199254740993' });
    expect(zeep.raw).toContain('{"result": 9007199254740993}');
  });

  test("spyne's Client Fault → 400 problem+json with zeep's faultcode and message", async () => {
    const r = await rest(`${bridge.apiUrl}/divide`, { a: 1, b: 0 });
    const direct = zeep.answers[CASES.length] as { fault: string; code: string };
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/problem+json');
    expect(r.body).toMatchObject({ code: 'BACKEND_CLIENT_FAULT', faultstring: direct.fault, faultcode: direct.code });
  });

  test('bad input against the spyne schema: array limit, wrong item type, unknown field', async () => {
    const big = await rest(`${bridge.apiUrl}/sum_all`, { values: { integer: Array.from({ length: 10_001 }, () => 1) } });
    expect({ status: big.status, code: big.body['code'], path: big.body['path'] }).toEqual({ status: 400, code: 'REQUEST_INVALID', path: '$.values.integer' });
    const item = await rest(`${bridge.apiUrl}/sum_all`, { values: { integer: [1, 'two'] } });
    expect({ status: item.status, path: item.body['path'] }).toEqual({ status: 400, path: '$.values.integer[1]' });
    const unknown = await rest(`${bridge.apiUrl}/older`, { person: { name: 'ann', nick: 'a' } });
    expect({ status: unknown.status, field: unknown.body['unknownField'] }).toEqual({ status: 400, field: 'nick' });
    expect((await rest(`${bridge.apiUrl}/add`, { a: 1, b: 2 })).body).toEqual({ addResult: 3 });
  });

  test('openapi.json lists every spyne operation', async () => {
    const r = await rest(`${bridge.apiUrl}/openapi.json`);
    expect(Object.keys(r.body['paths'] as Json).sort()).toEqual(['/add', '/divide', '/is_even', '/mean', '/older', '/repeat', '/repeat_list', '/sum_all']);
  });
});
