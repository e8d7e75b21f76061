import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createReloader, type Reloader } from '../../../src/config/reload';

/**
 * The reloader's queue (no file watching here): reloads never overlap, and requests made during
 * a run share one more run that starts after them. Regression: two requests during a reload
 * slower than the debounce (an admin import of a large WSDL and the watcher seeing its API file)
 * re-queued each other forever, starving the event loop.
 */
let dir: string;
let reloader: Reloader | undefined;
let runs: string[];
let active: number;
let done: number;
let overlapped: boolean;

function reloaderWith(applyMs: number): Reloader {
  const log = pino({ level: 'silent' });
  return createReloader(path.join(dir, 'soapbridge.yaml'), async () => {
    overlapped ||= active > 0;
    active++;
    runs.push(String(runs.length));
    await new Promise((r) => setTimeout(r, applyMs));
    active--;
    done++;
  }, log, { watch: false, apisDir: path.join(dir, 'apis') });
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'soapbridge-reload-'));
  mkdirSync(path.join(dir, 'apis'));
  writeFileSync(path.join(dir, 'soapbridge.yaml'), 'server: { http: { port: 0 } }\napis: apis\n');
  runs = [];
  active = 0;
  done = 0;
  overlapped = false;
});
afterEach(() => {
  reloader?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('requests during a run share one more run after it, and then the reloader is idle', async () => {
  reloader = reloaderWith(60);
  const first = reloader.reload('a');
  await new Promise((r) => setTimeout(r, 10));
  const during = [reloader.reload('b'), reloader.reload('c'), reloader.reload('d')];
  expect(await first).toBe(true);
  expect(await Promise.all(during)).toEqual([true, true, true]);
  expect(runs).toHaveLength(2);
  await new Promise((r) => setTimeout(r, 200));
  expect(runs).toHaveLength(2);
  expect(overlapped).toBe(false);
});

test('a request during the queued run queues one more; each waits for a run that started after it', async () => {
  reloader = reloaderWith(40);
  const order: string[] = [];
  const a = reloader.reload('a').then(() => order.push(`a after ${done} run(s)`));
  const b = reloader.reload('b').then(() => order.push(`b after ${done} run(s)`));
  await new Promise((r) => setTimeout(r, 60)); // run 2 (for b) is under way
  const c = reloader.reload('c').then(() => order.push(`c after ${done} run(s)`));
  await Promise.all([a, b, c]);
  expect(order).toEqual(['a after 1 run(s)', 'b after 2 run(s)', 'c after 3 run(s)']);
  await new Promise((r) => setTimeout(r, 150));
  expect(runs).toHaveLength(3);
  expect(overlapped).toBe(false);
});

test('a config that fails to load answers false and does not stop later reloads', async () => {
  reloader = reloaderWith(5);
  writeFileSync(path.join(dir, 'soapbridge.yaml'), 'server: { http: { port: nope } }\n');
  expect(await reloader.reload('bad')).toBe(false);
  writeFileSync(path.join(dir, 'soapbridge.yaml'), 'server: { http: { port: 0 } }\napis: apis\n');
  expect(await reloader.reload('good')).toBe(true);
  expect(runs).toHaveLength(1);
});
