import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CALCULATOR_WSDL } from '../../../src/demo/demo-calculator';
import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi } from '../../utils/bridge';
import { answering, capturedLog, eventually, send, startAdminBridge, type AdminBridge, type LogLine } from '../../utils/admin';
import { loadConfig } from '../../../src/config/load';
import { startBridge } from '../../../src/main';
import { pingSchema, wsdl, xsd } from '../../fixtures/import/wsdl-gen';

/** Hot reload from the files on disk (startBridge(config, { watch: true })). */
let one: TestBackend;
let two: TestBackend;
let b: AdminBridge;

beforeAll(async () => {
  one = await startBackend(answering('one'));
  two = await startBackend(answering('two'));
});

beforeEach(async () => {
  b = await startAdminBridge({ orders: restApi('orders', one.url) }, { watch: true });
});

afterEach(async () => {
  await b.close();
});

afterAll(async () => {
  await one.close();
  await two.close();
});

const served = async (api: string): Promise<string> => {
  const res = await send(`${b.url}/${api}/v1/x`);
  return `${res.status} ${res.status === 200 ? res.text : ''}`.trim();
};
const servedBy = (api: string, expected: string) => eventually(`${api} -> ${expected}`, async () => ((await served(api)) === expected ? true : undefined));

test('editing an API file is picked up', async () => {
  expect(await served('orders')).toBe('200 one');
  b.tree.writeApi('orders', restApi('orders', two.url));
  await servedBy('orders', '200 two');
  expect(b.logs.some((l) => l['msg'] === 'config reloaded' && String(l['reason']).includes('orders.yaml'))).toBe(true);
});

test('adding and removing API files is picked up', async () => {
  b.tree.writeApi('invoices', restApi('invoices', two.url));
  await servedBy('invoices', '200 two');
  // Renamed away to a name that is not *.yaml: no longer an API.
  renameSync(b.tree.apiFile('invoices'), `${b.tree.apisDir}/invoices.yaml.bak`);
  await servedBy('invoices', '404');
  expect(await served('orders')).toBe('200 one');
});

test('a broken file keeps the last good config serving and the log says why', async () => {
  // 1. Invalid YAML.
  b.tree.writeApi('orders', 'name: orders\ncontext: [unclosed\n');
  const refused = await eventually('a refused reload', () => b.logs.find((l) => l['msg'] === 'config reload refused: keeping the last good config'));
  expect(refused['level']).toBe(50);
  expect(String(refused['reason'])).toContain('orders.yaml');
  expect((refused['problems'] as string[]).join('\n')).toContain('orders.yaml');
  // 2. Still served by the last good config, request after request.
  for (let i = 0; i < 10; i++) expect(await served('orders')).toBe('200 one');
  // 3. Valid YAML that breaks the schema: refused too, with the key that is wrong.
  const before = b.logs.length;
  b.tree.writeApi('orders', { ...restApi('orders', two.url), endpoints: { production: { type: 'http' } } });
  const second = await eventually('a second refused reload', () => b.logs.slice(before).find((l) => l['msg'] === 'config reload refused: keeping the last good config'));
  expect((second['problems'] as string[]).join('\n')).toMatch(/endpoints\.production/);
  expect(await served('orders')).toBe('200 one');
  // 4. Fixing the file applies it.
  b.tree.writeApi('orders', restApi('orders', two.url));
  await servedBy('orders', '200 two');
});

test('a clash between two files (same mount) is refused as a whole', async () => {
  b.tree.writeApi('copy', { ...restApi('copy', two.url), context: '/orders' });
  const refused = await eventually('a refused reload', () => b.logs.find((l) => l['msg'] === 'config reload refused: keeping the last good config'));
  expect((refused['problems'] as string[]).join('\n')).toMatch(/already served/);
  expect(await served('orders')).toBe('200 one');
});

test('bridge.reload() applies the files on demand and reports a refusal', async () => {
  await b.bridge.close();
  // A bridge that does not watch: nothing changes until reload() is called.
  const { log } = capturedLog();
  const manual = await startBridge(loadConfig(b.tree.configFile, {}), { log, defaultMetrics: false, watch: false });
  try {
    b.tree.writeApi('orders', restApi('orders', two.url));
    await new Promise((r) => setTimeout(r, 400));
    expect((await send(`${manual.urls.http!}/orders/v1/x`)).text).toBe('one');
    expect(await manual.reload()).toBe(true);
    expect((await send(`${manual.urls.http!}/orders/v1/x`)).text).toBe('two');
    b.tree.writeApi('orders', 'not: [valid');
    expect(await manual.reload()).toBe(false);
    expect((await send(`${manual.urls.http!}/orders/v1/x`)).text).toBe('two');
  } finally {
    await manual.close();
  }
});

/**
 * Runs `check` against a watching bridge (instead of the shared one) that serves one SOAP API
 * from `wsdlFile`, given the URL of its `?wsdl`; then closes it and removes `root`.
 */
async function withWsdlApi(root: string, wsdlFile: string, check: (w: AdminBridge, wsdlUrl: string) => Promise<void>): Promise<void> {
  await b.bridge.close();
  const svc = { name: 'svc', context: '/svc', version: 'v1', wsdl: wsdlFile, expose: { soap: true }, endpoints: { production: { type: 'soap', url: 'http://127.0.0.1:9/unused' } } };
  const w = await startAdminBridge({ svc }, { watch: true });
  try {
    await check(w, `${w.url}/svc/v1?wsdl`);
  } finally {
    await w.close();
    rmSync(root, { recursive: true, force: true });
  }
}

test('editing an API\'s WSDL is picked up too; the model cache it writes beside the WSDL is not a change', async () => {
  const wsdlDir = mkdtempSync(path.join(tmpdir(), 'soapbridge-watch-wsdl-'));
  const wsdlFile = path.join(wsdlDir, 'Calculator.wsdl');
  copyFileSync(CALCULATOR_WSDL, wsdlFile);
  await withWsdlApi(wsdlDir, wsdlFile, async (w, wsdlUrl) => {
    const wsdl = async (): Promise<string> => (await send(wsdlUrl)).text;
    expect(await wsdl()).not.toContain('edited in place');
    writeFileSync(wsdlFile, readFileSync(wsdlFile, 'utf8').replace('<wsdl:portType name="CalculatorSoap">', '<wsdl:portType name="CalculatorSoap"><wsdl:documentation>edited in place</wsdl:documentation>'));
    await eventually('the edited WSDL served', async () => ((await wsdl()).includes('edited in place') ? true : undefined));
    const reloads = (): number => w.logs.filter((l) => l['msg'] === 'config reloaded').length;
    expect(w.logs.some((l) => l['msg'] === 'config reloaded' && String(l['reason']).includes('Calculator.wsdl'))).toBe(true);
    // The reload compiled the new WSDL and wrote .soapbridge-cache/ beside it: that must not
    // start another reload (nor a loop of them).
    const after = reloads();
    await new Promise((r) => setTimeout(r, 600));
    expect(reloads()).toBe(after);
  });
});

test('putting a missing import where the WSDL looks for it reloads, and the API gains it', async () => {
  const wsdlDir = mkdtempSync(path.join(tmpdir(), 'soapbridge-watch-missing-'));
  const wsdlFile = path.join(wsdlDir, 'svc.wsdl');
  writeFileSync(wsdlFile, wsdl({ types: `${pingSchema()}<xs:schema targetNamespace="urn:x"><xs:import namespace="urn:u" schemaLocation="gone.xsd"/></xs:schema>` }));
  await withWsdlApi(wsdlDir, wsdlFile, async (w, wsdlUrl) => {
    const imports = async (): Promise<number> => ((await send(wsdlUrl)).text.match(/\?xsd=\d/g) ?? []).length;
    expect(await imports()).toBe(0);
    writeFileSync(path.join(wsdlDir, 'gone.xsd'), xsd('urn:u', 'Extra'));
    await eventually('the new schema served', async () => ((await imports()) === 1 ? true : undefined));
    expect(w.logs.some((l) => l['msg'] === 'config reloaded' && String(l['reason']).includes('gone.xsd'))).toBe(true);
  });
});

test('a WSDL folder replaced by a new one (as import --force does) is watched again: a later edit in it is picked up', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'soapbridge-watch-swap-'));
  const dir = path.join(root, 'calc');
  const wsdlFile = path.join(dir, 'Calculator.wsdl');
  const write = (at: string, note: string): void => {
    mkdirSync(at, { recursive: true });
    writeFileSync(path.join(at, 'Calculator.wsdl'), readFileSync(CALCULATOR_WSDL, 'utf8').replace('<wsdl:portType name="CalculatorSoap">', `<wsdl:portType name="CalculatorSoap"><wsdl:documentation>${note}</wsdl:documentation>`));
  };
  write(dir, 'first');
  await withWsdlApi(root, wsdlFile, async (_w, wsdlUrl) => {
    const wsdl = async (): Promise<string> => (await send(wsdlUrl)).text;
    expect(await wsdl()).toContain('first');
    // The swap: a staged folder renamed over the old one, which is then deleted.
    write(path.join(root, '.staged'), 'swapped');
    renameSync(dir, path.join(root, '.old'));
    renameSync(path.join(root, '.staged'), dir);
    rmSync(path.join(root, '.old'), { recursive: true });
    await eventually('the swapped WSDL served', async () => ((await wsdl()).includes('swapped') ? true : undefined));
    // Edited in place afterwards: only a watcher on the new folder sees it.
    writeFileSync(wsdlFile, readFileSync(wsdlFile, 'utf8').replace('swapped', 'edited after the swap'));
    await eventually('the edit in the new folder served', async () => ((await wsdl()).includes('edited after the swap') ? true : undefined));
  });
});

test('what a WSDL uses that the bridge does not support is logged once, not at every reload', async () => {
  await b.bridge.close();
  const remote = { name: 'remote', context: '/remote', version: 'v1', wsdl: path.resolve(__dirname, '../../fixtures/wsdl/bad/remote-import.wsdl'), endpoints: { production: { type: 'soap', url: 'http://127.0.0.1:9/unused' } } };
  const wsdlCopy = mkdtempSync(path.join(tmpdir(), 'soapbridge-unsupported-'));
  copyFileSync(remote.wsdl, path.join(wsdlCopy, 'remote-import.wsdl'));
  const w = await startAdminBridge({ remote: { ...remote, wsdl: path.join(wsdlCopy, 'remote-import.wsdl') } });
  try {
    const warnings = (): LogLine[] => w.logs.filter((l) => String(l['msg']).startsWith('WSDL constructs the bridge does not support'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ level: 40, api: 'remote', count: 1, unsupported: [expect.stringContaining('remote schema not loaded (references into namespace "urn:remote" are opaque)')] });
    expect(await w.bridge.reload('again')).toBe(true);
    expect(warnings()).toHaveLength(1);
  } finally {
    await w.close();
    rmSync(wsdlCopy, { recursive: true, force: true });
  }
});
