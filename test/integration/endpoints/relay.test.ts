import { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import { SuspendingEndpoint } from '../../../src/endpoints/suspending';
import { suspensionPolicy } from '../../../src/endpoints/state';
import type { RelayControl, ResponseSink } from '../../../src/endpoints/endpoint';
import type { BridgeError } from '../../../src/errors/bridge-error';
import type { BackendAuth } from '../../../src/auth/backend-auth';
import { startBackend, ctx, request, type Backend } from '../../utils/backends';

const passThroughAuth: BackendAuth = { type: 'test', execute: (req, _target, dispatch) => dispatch(req) };

/** Records what a relayed call hands to its sink; `done` settles on end or fail. */
class Recorder implements ResponseSink {
  status = 0;
  headers: string[] = [];
  chunks: Buffer[] = [];
  ended = false;
  failure: { err: BridgeError; afterHead: boolean } | undefined;
  readonly done: Promise<void>;
  private settle!: () => void;
  constructor(private readonly pauseEvery = false) {
    this.done = new Promise((r) => (this.settle = r));
  }
  control: RelayControl | undefined;
  head(status: number, headers: string[]): void {
    this.status = status;
    this.headers = headers;
  }
  data(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    if (this.pauseEvery) setImmediate(() => this.control?.resume());
    return !this.pauseEvery;
  }
  end(): void {
    this.ended = true;
    this.settle();
  }
  fail(err: BridgeError, afterHead: boolean): void {
    this.failure = { err, afterHead };
    this.settle();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

let backend: Backend | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await backend?.close();
  backend = undefined;
});

function leaf(url: string, responseTimeoutMs = 5000): HttpEndpoint {
  const l = new HttpEndpoint({ name: 'leaf', url, connectTimeoutMs: 1000, responseTimeoutMs, connections: 4 });
  closers.push(() => l.close());
  return l;
}

describe('Endpoint.relay (the fast path)', () => {
  it('hands status, end-to-end headers (flat) and the body to the sink, with backpressure', async () => {
    const big = 'x'.repeat(512 * 1024);
    backend = await startBackend('b', (req, res) => {
      res.setHeader('connection', 'keep-alive, x-hop');
      res.setHeader('x-hop', 'dropped');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end(`${req.headers['x-forwarded-for']}|${req.headers['x-request-id']}|${big}`);
    });
    const ep = leaf(backend.url);
    expect(ep.relay).toBeDefined();
    const sink = new Recorder(true);
    sink.control = ep.relay!(request(), ctx(), sink);
    await sink.done;
    expect(sink.status).toBe(200);
    expect(sink.ended).toBe(true);
    expect(sink.text).toBe(`127.0.0.1|test|${big}`);
    const names = sink.headers.filter((_, i) => i % 2 === 0);
    expect(names).not.toContain('connection');
    expect(names).not.toContain('x-hop');
    expect(names.filter((n) => n === 'set-cookie')).toHaveLength(2);
    expect(ep.status()).toMatchObject({ requests: 1, failures: 0, inFlight: 0 });
  });

  it('is absent with backend auth and on a decorator with failoverOn', async () => {
    backend = await startBackend('b');
    const withAuth = new HttpEndpoint({ name: 'a', url: backend.url, connectTimeoutMs: 1000, responseTimeoutMs: 1000, connections: 1, auth: passThroughAuth });
    closers.push(() => withAuth.close());
    expect(withAuth.relay).toBeUndefined();
    const checked = new SuspendingEndpoint(leaf(backend.url), { policy: suspensionPolicy(), failoverOn: { status: new Set([503]), soapFault: new Set(), maxBodyBytes: 1024 } });
    expect(checked.relay).toBeUndefined();
  });

  it('translates failures before the head: unreachable, short timeout, client gone', async () => {
    backend = await startBackend('b', (_req, res) => setTimeout(() => res.end('late'), 400));
    const dead = leaf('http://127.0.0.1:1');
    let sink = new Recorder();
    sink.control = dead.relay!(request(), ctx(), sink);
    await sink.done;
    expect(sink.failure).toMatchObject({ afterHead: false, err: { code: 'ENDPOINT_UNREACHABLE', requestSent: false } });

    sink = new Recorder();
    sink.control = leaf(backend.url, 100).relay!(request(), ctx(), sink);
    await sink.done;
    expect(sink.failure).toMatchObject({ afterHead: false, err: { code: 'ENDPOINT_TIMEOUT' } });

    sink = new Recorder();
    const ep = leaf(backend.url);
    sink.control = ep.relay!(request(), ctx(), sink);
    setTimeout(() => sink.control!.abort(), 50);
    await sink.done;
    expect(sink.failure).toMatchObject({ afterHead: false, err: { code: 'BAD_REQUEST', retryable: false } });
    expect(ep.status()).toMatchObject({ inFlight: 0 });
  });

  it('a backend that breaks mid-body fails after the head', async () => {
    backend = await startBackend('b', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const ep = leaf(backend.url);
    const sink = new Recorder();
    sink.control = ep.relay!(request(), ctx(), sink);
    await sink.done;
    expect(sink.status).toBe(200);
    expect(sink.failure).toMatchObject({ afterHead: true });
    expect(ep.status()).toMatchObject({ inFlight: 0 });
  });

  it('the suspending decorator records outcomes and suspends like send does', async () => {
    let now = 0;
    const s = new SuspendingEndpoint(leaf('http://127.0.0.1:1'), { policy: suspensionPolicy(), clock: () => now });
    const outcomes: unknown[] = [];
    s.on('outcome', (o) => outcomes.push(o));
    let sink = new Recorder();
    s.relay!(request(), ctx(), sink);
    await sink.done;
    expect(sink.failure?.err.code).toBe('ENDPOINT_UNREACHABLE');
    expect(s.state.kind).toBe('SUSPENDED');
    sink = new Recorder();
    s.relay!(request(), ctx(), sink);
    await sink.done;
    expect(sink.failure).toMatchObject({ afterHead: false, err: { code: 'ENDPOINT_ALL_SUSPENDED', retryable: true } });
    expect(outcomes).toEqual([expect.objectContaining({ endpoint: 'leaf', code: 'ENDPOINT_UNREACHABLE' })]);

    backend = await startBackend('b');
    const ok = new SuspendingEndpoint(leaf(backend.url), { policy: suspensionPolicy() });
    const seen: unknown[] = [];
    ok.on('outcome', (o) => seen.push(o));
    sink = new Recorder();
    ok.relay!(request(), ctx(), sink);
    await sink.done;
    expect(sink.text).toBe('ok');
    expect(seen).toEqual([expect.objectContaining({ endpoint: 'leaf', status: 200 })]);
  });
});
