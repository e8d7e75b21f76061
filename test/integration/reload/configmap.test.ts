import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../../src/config/load';
import { startBridge, type RunningBridge } from '../../../src/main';
import { pingSchema, wsdl } from '../../fixtures/import/wsdl-gen';
import { answering, eventually, send } from '../../utils/admin';
import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi } from '../../utils/bridge';

/**
 * Kubernetes mounts a ConfigMap as a folder of symlinks (`soapbridge.yaml` → `..data/soapbridge.yaml`,
 * `..data` → `..2026_11_27_…`) and updates it by writing a new timestamped folder and renaming a
 * new `..data` link over the old one: the only name a watcher sees change is `..data`. The config
 * file, the APIs folder and a WSDL folder mounted that way must all hot-reload.
 */
let root: string;
let one: TestBackend;
let two: TestBackend;
let bridge: RunningBridge | undefined;
let version = 0;

/** Writes `files` as the next version of the ConfigMap folder `dir`, the way the kubelet does. */
function configMap(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const stamp = `..2026_11_27_00_00_${String(++version).padStart(2, '0')}.${version}`;
  mkdirSync(path.join(dir, stamp));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, stamp, name), text);
  symlinkSync(stamp, path.join(dir, '..data_tmp'));
  renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  for (const name of Object.keys(files)) {
    try {
      symlinkSync(path.join('..data', name), path.join(dir, name));
    } catch {
      // Already linked through ..data by an earlier version.
    }
  }
}

beforeAll(async () => {
  one = await startBackend(answering('one'));
  two = await startBackend(answering('two'));
});
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'soapbridge-configmap-'));
});
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  rmSync(root, { recursive: true, force: true });
});
afterAll(async () => {
  await one.close();
  await two.close();
});

const main = (level: string): string => stringify({ server: { http: { host: '127.0.0.1', port: 0 } }, apis: '../apis', logging: { level } });

test('the config file and the APIs folder, each a ConfigMap, are reloaded when their ..data link is swapped', async () => {
  configMap(path.join(root, 'etc'), { 'soapbridge.yaml': main('silent') });
  configMap(path.join(root, 'apis'), { 'orders.yaml': stringify(restApi('orders', one.url)) });
  bridge = await startBridge(loadConfig(path.join(root, 'etc', 'soapbridge.yaml')), { log: pino({ level: 'silent' }), watch: true });
  const url = bridge.urls.http!;
  const served = async (): Promise<string> => (await send(`${url}/orders/v1/x`)).text;
  expect(await served()).toBe('one');
  configMap(path.join(root, 'apis'), { 'orders.yaml': stringify(restApi('orders', two.url)) });
  await eventually('the new API file served', async () => ((await served()) === 'two' ? true : undefined));
  // The main file: a second API folder entry is not possible, so change what it decides (the
  // APIs folder) and see the API go.
  configMap(path.join(root, 'etc'), { 'soapbridge.yaml': main('silent').replace('../apis', '../elsewhere') });
  mkdirSync(path.join(root, 'elsewhere'));
  await eventually('the new config file applied', async () => ((await send(`${url}/orders/v1/x`)).status === 404 ? true : undefined));
});

test('a WSDL folder that is a ConfigMap is reloaded when its ..data link is swapped', async () => {
  configMap(path.join(root, 'etc'), { 'soapbridge.yaml': main('silent') });
  const svc = (doc: string): string => wsdl({ types: pingSchema(), prolog: `<?xml version="1.0" encoding="UTF-8"?><!-- ${doc} -->` });
  configMap(path.join(root, 'wsdl'), { 'svc.wsdl': svc('first') });
  configMap(path.join(root, 'apis'), { 'svc.yaml': stringify({ name: 'svc', context: '/svc', version: 'v1', wsdl: '../wsdl/svc.wsdl', expose: { soap: true }, endpoints: { production: { type: 'soap', url: one.url } } }) });
  bridge = await startBridge(loadConfig(path.join(root, 'etc', 'soapbridge.yaml')), { log: pino({ level: 'silent' }), watch: true });
  const url = bridge.urls.http!;
  const served = async (): Promise<string> => (await send(`${url}/svc/v1?wsdl`)).text;
  expect(await served()).toContain('<!-- first -->');
  configMap(path.join(root, 'wsdl'), { 'svc.wsdl': svc('second') });
  await eventually('the new WSDL served', async () => ((await served()).includes('<!-- second -->') ? true : undefined));
});
