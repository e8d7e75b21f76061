import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi, serverYaml } from '../../utils/bridge';
import { ADMIN_TOKEN, adminCall, answering, send, spawnCli, startedLines, writeConfigTree, type CliProcess, type ConfigTree } from '../../utils/admin';
import { loadConfig } from '../../../src/config/load';

/**
 * `kill -9` of the bridge while admin writes stream in must never leave a corrupt or
 * half-written API file: every write is temp file + fsync + rename.
 */
let one: TestBackend;
let two: TestBackend;
let tree: ConfigTree;
let cli: CliProcess | undefined;

beforeAll(async () => {
  one = await startBackend(answering('one'));
  two = await startBackend(answering('two'));
});

afterEach(async () => {
  if (cli && cli.proc.exitCode === null && cli.proc.signalCode === null) cli.proc.kill('SIGKILL');
  await cli?.exited;
  cli = undefined;
  tree?.remove();
});

afterAll(async () => {
  await one.close();
  await two.close();
});

/** Two definitions per API that differ in more than one place, padded so a write takes a few blocks. */
function variant(name: string, v: 0 | 1): Record<string, unknown> {
  return { ...restApi(name, v === 0 ? one.url : two.url), description: `variant ${v} `.repeat(2000) };
}

test('after kill -9 during a stream of PUTs, every API file is whole and the config loads', async () => {
  const names = ['orders', 'invoices'];
  tree = writeConfigTree(
    serverYaml({ admin: { host: '127.0.0.1', port: 0, token: ADMIN_TOKEN }, logging: { level: 'info', requests: false } }),
    Object.fromEntries(names.map((n) => [n, variant(n, 0)])),
  );
  for (let round = 0; round < 3; round++) {
    // 1. Start (again, on the files the previous kill left behind).
    cli = await spawnCli(tree.configFile);
    const { admin } = startedLines(cli)[0]!;
    // 2. Three writers PUT alternating definitions as fast as the bridge takes them.
    let writes = 0;
    let stop = false;
    const writer = async (name: string, offset: number): Promise<void> => {
      for (let i = offset; i < offset + 10000 && !stop; i++) {
        try {
          const res = await adminCall(admin!, 'PUT', `/apis/${name}`, variant(name, (i % 2) as 0 | 1));
          if (res.status === 200) writes++;
        } catch {
          return; // the process is gone
        }
      }
    };
    const writers = [writer('orders', 0), writer('invoices', 0), writer('orders', 1)];
    // 3. kill -9 at a different moment each round, once writes are flowing.
    const minWrites = 5 + round * 10;
    const deadline = Date.now() + 15000;
    while (writes < minWrites && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(writes).toBeGreaterThanOrEqual(minWrites);
    cli.proc.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');
    stop = true;
    await Promise.all(writers);
    // 4. Every *.yaml parses to exactly one of the two variants; the whole config validates.
    for (const name of names) {
      const content = parse(readFileSync(tree.apiFile(name), 'utf8')) as unknown;
      expect([variant(name, 0), variant(name, 1)]).toContainEqual(content);
    }
    const config = loadConfig(tree.configFile, {});
    expect(config.apis.map((a) => a.config.name).sort()).toEqual([...names].sort());
    // 5. Temp files a kill may leave (".orders.yaml.<pid>.<ts>.tmp") are never taken for APIs.
    const leftovers = readdirSync(tree.apisDir).filter((f) => !names.includes(f.replace(/\.yaml$/, '')));
    for (const f of leftovers) expect(f.startsWith('.') && !f.endsWith('.yaml')).toBe(true);
    expect(config.apis.every((a) => /\/(orders|invoices)\.yaml$/.test(a.file))).toBe(true);
  }
  // 6. A bridge restarted on what the kills left behind serves every API.
  cli = await spawnCli(tree.configFile);
  const { http } = startedLines(cli)[0]!;
  for (const name of names) expect((await send(`${http}/${name}/v1/x`)).status).toBe(200);
});
