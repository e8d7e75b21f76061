import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';
import { startBackend, generatedStream, hashingSink, type TestBackend } from '../../utils/http-backend';
import { restApi, removeConfigDir, serverYaml, spawnChildBridge, rssOf, writeConfigDir, type ChildBridge } from '../../utils/bridge';

/**
 * 50 MB up and 50 MB down through a bridge in a child process, whose RSS is sampled from
 * /proc during the transfer. Both ends generate/consume the body as streams, so any growth is
 * the bridge's own buffering.
 */
const SIZE = 50 * 1024 * 1024;
const MAX_GROWTH = 40 * 1024 * 1024;

let backend: TestBackend;
let child: ChildBridge;
let configFile: string;
let uploaded: Promise<{ length: number; sha256: string }> | undefined;
const client = new Agent({ connections: 1 });

beforeAll(async () => {
  backend = await startBackend((req, res) => {
    if (req.url === '/download') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(SIZE) });
      void pipeline(generatedStream(SIZE), res).catch(() => undefined);
      return;
    }
    const sink = hashingSink();
    uploaded = pipeline(req, sink).then(() => sink.result());
    void uploaded.then(({ length }) => res.end(String(length)), () => res.destroy());
  });
  configFile = writeConfigDir(
    serverYaml({
      server: { http: { host: '127.0.0.1', port: 0 }, limits: { maxBodyBytes: 2 * SIZE } },
      admin: undefined,
      logging: { level: 'info', requests: false },
    }),
    { big: restApi('big', backend.url) },
  );
  child = await spawnChildBridge(configFile);
  // Warm up the code paths (and the connection pools) before taking the baseline.
  for (let i = 0; i < 5; i++) {
    await (await request(`${child.url}/big/v1/upload`, { method: 'POST', body: Buffer.alloc(256 * 1024), dispatcher: client })).body.dump();
    await (await request(`${child.url}/big/v1/download`, { dispatcher: client })).body.dump();
  }
}, 30_000);

afterAll(async () => {
  child?.proc.kill('SIGTERM');
  await child?.exited;
  await client.close();
  await backend?.close();
  if (configFile) removeConfigDir(configFile);
});

/** Runs `transfer` while sampling the child's RSS every 20 ms; returns the peak growth. */
async function peakGrowth(transfer: () => Promise<void>): Promise<number> {
  const baseline = rssOf(child.pid);
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(child.pid))), 20);
  try {
    await transfer();
  } finally {
    clearInterval(timer);
  }
  const growth = Math.max(peak, rssOf(child.pid)) - baseline;
  if (process.env['SOAPBRIDGE_TEST_VERBOSE']) process.stderr.write(`RSS baseline ${baseline >> 20} MB, growth ${growth >> 20} MB\n`);
  return growth;
}

test('a 50 MB upload streams through with flat RSS', async () => {
  const expected = hashingSink();
  await pipeline(generatedStream(SIZE), expected);
  const growth = await peakGrowth(async () => {
    const res = await request(`${child.url}/big/v1/upload`, {
      method: 'POST',
      body: generatedStream(SIZE),
      headers: { 'content-length': String(SIZE) },
      dispatcher: client,
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe(String(SIZE));
  });
  expect(await uploaded).toEqual(expected.result());
  expect(growth).toBeLessThan(MAX_GROWTH);
});

test('a 50 MB download streams through with flat RSS', async () => {
  const expected = hashingSink();
  await pipeline(generatedStream(SIZE), expected);
  const got = hashingSink();
  const growth = await peakGrowth(async () => {
    const res = await request(`${child.url}/big/v1/download`, { dispatcher: client });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe(String(SIZE));
    await pipeline(res.body, got);
  });
  expect(got.result()).toEqual(expected.result());
  expect(growth).toBeLessThan(MAX_GROWTH);
});
