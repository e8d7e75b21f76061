import http from 'node:http';
import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi, removeConfigDir, serverYaml, spawnChildBridge, writeConfigDir, type ChildBridge } from '../../utils/bridge';

let backend: TestBackend;
let child: ChildBridge | undefined;
let configFile: string;
const timers: NodeJS.Timeout[] = [];

beforeEach(async () => {
  backend = await startBackend((req, res) => {
    req.resume();
    timers.push(setTimeout(() => res.end('slow answer'), req.url === '/slow' ? 1000 : 0));
  });
  configFile = writeConfigDir(serverYaml({ admin: undefined, logging: { level: 'info' } }), { s: restApi('s', backend.url) });
  child = await spawnChildBridge(configFile);
});

afterEach(async () => {
  timers.forEach(clearTimeout);
  if (child && child.proc.exitCode === null) child.kill();
  await child?.exited;
  await backend.close();
  removeConfigDir(configFile);
});

/** One request on a fresh connection (no pooled socket can hide a refused connect). */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

test('SIGTERM lets the request in flight finish, refuses new connections, then exits 0', async () => {
  const c = child!;
  // 1. A request that the backend answers after ~1 s.
  const inFlight = get(`${c.url}/s/v1/slow`);
  while (backend.seen.length === 0) await new Promise((r) => setTimeout(r, 10));
  // 2. SIGTERM while it is in flight.
  const signalled = Date.now();
  c.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  // 3. The listener is closed: a new connection is refused while the old request still runs.
  await expect(get(`${c.url}/s/v1/fast`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  // 4. The request in flight completes normally.
  expect(await inFlight).toEqual({ status: 200, body: 'slow answer' });
  // 5. The process exits cleanly once drained, well within shutdownGraceMs.
  expect(await c.exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(5000);
  expect(c.stderr()).toMatch(/SIGTERM received, draining requests in flight/);
  await expect(get(`${c.url}/s/v1/fast`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
});

test('SIGTERM with nothing in flight exits 0 promptly', async () => {
  const c = child!;
  expect((await get(`${c.url}/s/v1/fast`)).status).toBe(200);
  const signalled = Date.now();
  c.proc.kill('SIGTERM');
  expect(await c.exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(3000);
});
