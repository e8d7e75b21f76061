import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi, serverYaml } from '../../utils/bridge';
import { ADMIN_TOKEN, adminCall, answering, askWorker, childPids, eventually, send, spawnCli, startedLines, writeConfigTree, type CliProcess, type ConfigTree } from '../../utils/admin';

/**
 * `soapbridge start --workers 2` (node:cluster). The workers are the primary's children in
 * /proc; which one answered a request is found from the owner of the connection's socket
 * (askWorker), since responses carry no worker id.
 */
let one: TestBackend;
let two: TestBackend;
let tree: ConfigTree;
let cli: CliProcess | undefined;

beforeAll(async () => {
  one = await startBackend(answering('one'));
  two = await startBackend(answering('two'));
});

beforeEach(() => {
  tree = writeConfigTree(serverYaml({ admin: { host: '127.0.0.1', port: 0, token: ADMIN_TOKEN }, logging: { level: 'info', requests: false } }), { orders: restApi('orders', one.url) });
});

afterEach(async () => {
  if (cli && cli.proc.exitCode === null && cli.proc.signalCode === null) {
    // Never leave workers behind: kill them, then the primary.
    for (const pid of childPids(cli.pid)) process.kill(pid, 'SIGKILL');
    cli.proc.kill('SIGKILL');
  }
  await cli?.exited;
  cli = undefined;
  tree.remove();
});

afterAll(async () => {
  await one.close();
  await two.close();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startWorkers(): Promise<{ c: CliProcess; workers: number[]; url: string; admin: string }> {
  cli = await spawnCli(tree.configFile, ['--workers', '2'], 2);
  const c = cli;
  const workers = await eventually('two workers', () => (childPids(c.pid).length === 2 ? childPids(c.pid) : undefined));
  const { http, admin } = startedLines(c)[0]!;
  return { c, workers, url: `${http}/orders/v1/x`, admin: admin! };
}

/** Asks until every worker in `pids` has answered with `text` (bounded); throws otherwise. */
async function everyWorkerAnswers(url: string, pids: number[], text: string): Promise<void> {
  const answered = new Set<number>();
  await eventually(`every worker answering "${text}"`, async () => {
    const r = await askWorker(url, pids);
    if (r.status === 200 && r.text === text && r.pid !== undefined) answered.add(r.pid);
    return pids.every((p) => answered.has(p)) ? true : undefined;
  });
}

test('two workers answer; a worker killed with -9 is replaced while requests keep succeeding; SIGTERM stops all with 0', async () => {
  // 1. Two workers on one port, both answering (the primary hands connections out round-robin).
  const { c, workers, url } = await startWorkers();
  expect(startedLines(c).map((l) => l.http)).toEqual([startedLines(c)[0]!.http, startedLines(c)[0]!.http]);
  await everyWorkerAnswers(url, workers, 'one');
  // 2. kill -9 one worker under load (2 clients, one request in flight each): only requests on
  //    its connections may fail, so at most 2. A connection the primary handed to the worker
  //    just as it died is never answered (node:cluster drops it), hence the client timeout.
  let stop = false;
  let ok = 0;
  const failed: string[] = [];
  const client = async (): Promise<void> => {
    for (let i = 0; i < 5000 && !stop; i++) {
      try {
        const res = await send(url, { timeoutMs: 2000 });
        if (res.status === 200) ok++;
        else failed.push(String(res.status));
      } catch (e) {
        failed.push((e as Error).message);
      }
    }
  };
  const clients = [client(), client()];
  await new Promise((r) => setTimeout(r, 200));
  const [victim, survivor] = workers as [number, number];
  process.kill(victim, 'SIGKILL');
  const replacement = await eventually('a replacement worker listening', () => {
    const fresh = childPids(c.pid).filter((p) => !workers.includes(p));
    return fresh.length === 1 && startedLines(c).length === 3 ? fresh[0] : undefined;
  }, 15000);
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await Promise.all(clients);
  expect(c.stderr()).toContain(`worker ${victim} exited (SIGKILL); starting a replacement`);
  expect(failed.length).toBeLessThanOrEqual(2);
  expect(ok).toBeGreaterThan(20);
  expect(alive(victim)).toBe(false);
  // 3. The replacement serves too.
  await everyWorkerAnswers(url, [survivor, replacement], 'one');
  // 4. SIGTERM to the primary: the workers drain, and every process exits 0.
  c.proc.kill('SIGTERM');
  expect(await c.exited).toEqual({ code: 0, signal: null });
  expect(c.stderr()).toMatch(/SIGTERM received, stopping 2 workers/);
  expect(c.stderr()).not.toMatch(/during shutdown/);
  for (const pid of [survivor, replacement]) await eventually(`worker ${pid} gone`, () => (alive(pid) ? undefined : true));
});

test('an admin change reaches every worker; concurrent admin writes through both workers all succeed', async () => {
  const { c, workers, url, admin } = await startWorkers();
  await everyWorkerAnswers(url, workers, 'one');
  // 1. One PUT, answered by one worker; the other picks the change up from the file.
  expect((await adminCall(admin, 'PUT', '/apis/orders', restApi('orders', two.url))).status).toBe(200);
  await everyWorkerAnswers(url, workers, 'two');
  // 2. From then on, N requests spread over both workers all reach the new backend.
  const served = [];
  for (let i = 0; i < 12; i++) served.push(await askWorker(url, workers));
  expect(served.map((r) => `${r.status} ${r.text}`)).toEqual(Array(12).fill('200 two'));
  expect(new Set(served.map((r) => r.pid))).toEqual(new Set(workers));
  // 3. Writes to one API arriving at both workers at once (fresh connections are spread over
  //    the workers) never trip over each other on disk.
  const results = await Promise.all(
    Array.from({ length: 24 }, (_, i) => adminCall(admin, 'PUT', '/apis/orders', restApi('orders', i % 2 ? one.url : two.url))),
  );
  expect(results.map((r) => (r.status === 200 ? '200' : `${r.status} ${r.text}`))).toEqual(Array(24).fill('200'));
  c.proc.kill('SIGTERM');
  expect((await c.exited).code).toBe(0);
});

test('SIGHUP re-reads the files: one process, and every worker through the primary; nothing stops', async () => {
  // 1. One process.
  cli = await spawnCli(tree.configFile);
  const single = cli;
  single.proc.kill('SIGHUP');
  await eventually('a reload on SIGHUP', () => (single.lines.some((l) => l['msg'] === 'config reloaded' && l['reason'] === 'SIGHUP') ? true : undefined));
  expect(single.proc.exitCode).toBeNull();
  single.proc.kill('SIGTERM');
  expect((await single.exited).code).toBe(0);
  // 2. Two workers: the primary forwards it, each worker reloads.
  const { c, workers } = await startWorkers();
  c.proc.kill('SIGHUP');
  const reloadedBy = (): Set<unknown> => new Set(c.lines.filter((l) => l['msg'] === 'config reloaded' && l['reason'] === 'SIGHUP').map((l) => l['pid']));
  await eventually('a reload on SIGHUP in both workers', () => (reloadedBy().size === 2 ? true : undefined));
  expect(reloadedBy()).toEqual(new Set(workers));
  for (const pid of [c.pid, ...workers]) expect(alive(pid)).toBe(true);
  c.proc.kill('SIGTERM');
  expect((await c.exited).code).toBe(0);
});
