import { startBackend, type TestBackend } from '../../utils/http-backend';
import { restApi } from '../../utils/bridge';
import { adminCall, answering, send, startAdminBridge, type AdminBridge } from '../../utils/admin';

/**
 * Hot reload under continuous load: requests in flight finish on the old routing table, new
 * ones start on the new one, and none of them fails while the API file is rewritten.
 */
let one: TestBackend;
let two: TestBackend;
let b: AdminBridge;

beforeAll(async () => {
  one = await startBackend(answering('one'));
  two = await startBackend(answering('two'));
  b = await startAdminBridge({ orders: restApi('orders', one.url), other: restApi('other', one.url) }, { watch: true });
});

afterAll(async () => {
  await b.close();
  await one.close();
  await two.close();
});

interface Tally {
  ok: number;
  failed: string[];
  seen: Set<string>;
}

/** `clients` loops of sequential requests until `until()` says stop; bounded by `maxRequests` each. */
async function load(urls: string[], clients: number, until: () => boolean, maxRequests = 5000): Promise<Tally> {
  const tally: Tally = { ok: 0, failed: [], seen: new Set() };
  const loop = async (c: number): Promise<void> => {
    for (let i = 0; i < maxRequests && !until(); i++) {
      const url = urls[(c + i) % urls.length]!;
      try {
        const res = await send(url);
        if (res.status === 200) {
          tally.ok++;
          tally.seen.add(res.text);
        } else tally.failed.push(`${url}: ${res.status} ${res.text.slice(0, 200)}`);
      } catch (e) {
        tally.failed.push(`${url}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  return tally;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('rewriting the API file on disk several times under 4 concurrent clients: 0 failed requests', async () => {
  let done = false;
  const running = load([`${b.url}/orders/v1/x`, `${b.url}/other/v1/y`], 4, () => done);
  // 1. Eight rewrites over ~2 s, plain (non-atomic) writes as an editor would do them.
  for (let i = 0; i < 8; i++) {
    await sleep(250);
    b.tree.writeApi('orders', restApi('orders', i % 2 === 0 ? two.url : one.url));
  }
  await sleep(400);
  done = true;
  const tally = await running;
  // 2. Nothing failed, both backends answered, and the load really ran through the reloads.
  expect(tally.failed).toEqual([]);
  expect(tally.ok).toBeGreaterThan(50);
  expect([...tally.seen].sort()).toEqual(['one', 'two']);
  expect(b.logs.filter((l) => l['msg'] === 'config reloaded').length).toBeGreaterThanOrEqual(2);
});

test('admin PUTs under load: 0 failed requests, the last write wins', async () => {
  let done = false;
  const running = load([`${b.url}/orders/v1/x`], 4, () => done);
  for (let i = 0; i < 6; i++) {
    await sleep(150);
    const res = await adminCall(b.adminUrl, 'PUT', '/apis/orders', restApi('orders', i % 2 === 0 ? one.url : two.url));
    expect(res.status).toBe(200);
  }
  done = true;
  const tally = await running;
  expect(tally.failed).toEqual([]);
  expect(tally.ok).toBeGreaterThan(20);
  expect((await send(`${b.url}/orders/v1/x`)).text).toBe('two');
});

test('a request in flight during a reload finishes on the old backend; the next one uses the new', async () => {
  const slow = await startBackend((req, res) => {
    req.resume();
    setTimeout(() => res.end('slow-old'), 600);
  });
  try {
    await adminCall(b.adminUrl, 'PUT', '/apis/other', restApi('other', slow.url));
    // 1. A request that the old backend answers after ~600 ms.
    const inFlight = send(`${b.url}/other/v1/slow`);
    while (slow.seen.length === 0) await sleep(10);
    // 2. The API moves to another backend while it is in flight.
    expect((await adminCall(b.adminUrl, 'PUT', '/apis/other', restApi('other', two.url))).status).toBe(200);
    expect((await send(`${b.url}/other/v1/x`)).text).toBe('two');
    // 3. The old request completes normally.
    expect(await inFlight).toMatchObject({ status: 200, text: 'slow-old' });
  } finally {
    await slow.close();
  }
});
