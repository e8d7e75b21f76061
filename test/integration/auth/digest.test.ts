import { createHash } from 'node:crypto';
import httpAuth from 'http-auth';
import { isBridgeError, type BridgeError } from '../../../src/errors/bridge-error';
import type { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import type { ResponseSink } from '../../../src/endpoints/endpoint';
import { ctx, leaf, post, request, serve, streamed, text, type Server } from './helpers';
import { rfc7616Server } from './rfc7616-server';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

async function failure(p: Promise<unknown>): Promise<BridgeError> {
  try {
    await p;
  } catch (e) {
    if (isBridgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a BridgeError');
}

describe('digest against http-auth (MD5, MD5-sess, qop=auth)', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  async function start(algorithm: 'MD5' | 'MD5-sess', password = 'Circle Of Life'): Promise<{ digest: { nonces: unknown[] } }> {
    const realm = 'soapbridge@test';
    const digest = httpAuth.digest({ realm, algorithm }, (username: string, cb: (hash: string) => void) => cb(md5(`${username}:${realm}:Circle Of Life`)));
    server = await serve(
      digest.check((req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`hello ${req.user ?? ''} ${req.method} ${req.url}`);
      }),
    );
    ep = leaf(server.url, { type: 'digest', username: 'Mufasa', password });
    return { digest: digest as unknown as { nonces: unknown[] } };
  }

  test.each(['MD5', 'MD5-sess'] as const)('%s: first request 2 round trips, every later one 1', async (algorithm) => {
    await start(algorithm);
    // 1. No challenge known yet: 401, then the answered request.
    const first = await ep.send(request({ path: '/a?x=1' }), ctx());
    expect(first.status).toBe(200);
    expect(await text(first)).toBe('hello Mufasa GET /a?x=1');
    expect(server.hits).toHaveLength(2);
    // 2. The nonce is reused with a rising nc: one round trip each, never a 401.
    for (let i = 0; i < 5; i++) {
      const res = await ep.send(post(`<x>${i}</x>`, { path: `/b/${i}` }), ctx());
      expect(res.status).toBe(200);
      await text(res);
    }
    expect(server.hits).toHaveLength(7);
    const ncs = server.hits.slice(1).map((h) => /nc=([0-9a-f]{8})/.exec(h.authorization ?? '')?.[1]);
    expect(ncs).toEqual(['00000001', '00000002', '00000003', '00000004', '00000005', '00000006']);
  });

  test('a nonce the server forgot (stale=true): one re-challenge, then one round trip again', async () => {
    const { digest } = await start('MD5');
    await text(await ep.send(request(), ctx()));
    digest.nonces.length = 0; // http-auth now answers stale="true"
    const res = await ep.send(post('<again/>'), ctx());
    expect(res.status).toBe(200);
    await text(res);
    expect(server.hits).toHaveLength(4); // 2 for the first call, 2 for the stale one
    await text(await ep.send(request(), ctx()));
    expect(server.hits).toHaveLength(5);
  });

  test('wrong credentials: BACKEND_AUTH_FAILED (502), at most 2 requests per call, no secret in the detail', async () => {
    await start('MD5', 'wrong-password-s3cret');
    for (let i = 0; i < 3; i++) {
      const err = await failure(ep.send(request(), ctx()));
      expect(err.code).toBe('BACKEND_AUTH_FAILED');
      expect(err.status).toBe(502);
      expect(err.message).not.toContain('s3cret');
      expect(err.message).toContain('realm "soapbridge@test"');
    }
    expect(server.hits.length).toBeLessThanOrEqual(6);
  });

  test('concurrent first requests all complete with at most 2 round trips each', async () => {
    await start('MD5');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ep.send(request({ path: `/c/${i}` }), ctx()).then(text)));
    expect(results.every((r) => r.startsWith('hello Mufasa'))).toBe(true);
    expect(server.hits.length).toBeLessThanOrEqual(20);
  });
});

describe('digest against an RFC 7616 server (SHA-256, -sess, auth-int, userhash)', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  test.each([
    ['SHA-256', 'auth'],
    ['SHA-256-sess', 'auth'],
    ['SHA-256', 'auth-int'],
    ['MD5-sess', 'auth-int'],
  ] as const)('%s qop=%s: one round trip once the nonce is known', async (algorithm, qop) => {
    const rfc = rfc7616Server({ realm: 'http-auth@example.org', algorithm, qop, users: { Mufasa: 'Circle of Life' } });
    server = await serve(rfc.handler);
    ep = leaf(server.url, { type: 'digest', username: 'Mufasa', password: 'Circle of Life' });
    const body = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>';
    const first = await ep.send(post(body, { path: '/dir/index.html' }), ctx());
    expect(JSON.parse(await text(first))).toEqual({ ok: true, user: 'Mufasa', qop, length: body.length });
    expect(server.hits).toHaveLength(2);
    for (let i = 0; i < 4; i++) await text(await ep.send(post(`${body}${i}`), ctx()));
    expect(server.hits).toHaveLength(6);
    expect(rfc.accepted).toBe(5);
    expect(server.hits[5]!.authorization).toContain(`algorithm=${algorithm}`);
  });

  test('userhash=true sends H(username:realm) instead of the name', async () => {
    const rfc = rfc7616Server({ realm: 'r', algorithm: 'SHA-256', qop: 'auth', users: { Mufasa: 'pw' }, userhash: true });
    server = await serve(rfc.handler);
    ep = leaf(server.url, { type: 'digest', username: 'Mufasa', password: 'pw' });
    expect((await ep.send(request(), ctx())).status).toBe(200);
    expect(server.hits[1]!.authorization).not.toContain('Mufasa');
    expect(server.hits[1]!.authorization).toContain('userhash=true');
  });

  test('a body over maxReplayBytes: fails clearly on the first challenge, goes through preemptively after', async () => {
    const rfc = rfc7616Server({ realm: 'r', algorithm: 'SHA-256', qop: 'auth', users: { u: 'p' } });
    server = await serve(rfc.handler);
    ep = leaf(server.url, { type: 'digest', username: 'u', password: 'p', maxReplayBytes: 1024 });
    const big = Buffer.alloc(100_000, 'a');
    const err = await failure(ep.send(streamed(big), ctx()));
    expect(err.code).toBe('BACKEND_AUTH_FAILED');
    expect(err.message).toContain('maxReplayBytes');
    const res = await ep.send(streamed(big), ctx());
    expect(JSON.parse(await text(res))).toMatchObject({ ok: true, length: 100_000 });
    expect(server.hits).toHaveLength(2);
  });
});

describe('digest: challenges that cannot be answered', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  test.each([
    ['Digest realm="unterminated', 'BACKEND_RESPONSE_INVALID'],
    ['Digest realm="x", nonce=, qop="auth"', 'BACKEND_RESPONSE_INVALID'],
    ['Basic realm="only basic"', 'BACKEND_AUTH_FAILED'],
    ['Digest realm="x", nonce="n", algorithm=SHA3-999', 'BACKEND_AUTH_FAILED'],
  ])('%s -> %s, one request, no crash', async (header, code) => {
    server = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': header });
      res.end();
    });
    ep = leaf(server.url, { type: 'digest', username: 'u', password: 'p' });
    const err = await failure(ep.send(request(), ctx()));
    expect(err.code).toBe(code);
    expect(err.status).toBe(502);
    expect(server.hits).toHaveLength(1);
  });

  test('a 401 without any WWW-Authenticate', async () => {
    server = await serve((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    ep = leaf(server.url, { type: 'digest', username: 'u', password: 'p' });
    expect((await failure(ep.send(request(), ctx()))).code).toBe('BACKEND_AUTH_FAILED');
  });
});

describe('digest: nonce-counts never repeat for a nonce (a server that refuses replays)', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  /**
   * One fixed nonce for its whole life (as servers that key nonces by time slot do): a request
   * without credentials or with a count already seen for the nonce gets a 401 with the SAME nonce
   * (stale=true for the replay). Verified with node:crypto, independently of src/auth.
   */
  function replayCheckingServer(): { handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void; seen: string[]; replays: number } {
    const realm = 'replay@test';
    const nonce = 'fixed-nonce-0123456789';
    const state = { seen: [] as string[], replays: 0 };
    const seen = new Set<string>();
    const challenge = (res: import('node:http').ServerResponse, stale: boolean): void => {
      res.writeHead(401, { 'www-authenticate': `Digest realm="${realm}", nonce="${nonce}", qop="auth", algorithm=MD5${stale ? ', stale=true' : ''}` });
      res.end();
    };
    return {
      seen: state.seen,
      get replays() {
        return state.replays;
      },
      handler(req, res) {
        const h = req.headers.authorization;
        if (!h) return challenge(res, false);
        const p: Record<string, string> = {};
        for (const m of h.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) p[m[1]!] = m[2] ?? m[3]!;
        const ha1 = md5(`${p['username']}:${realm}:pw`);
        const ha2 = md5(`${req.method}:${p['uri']}`);
        const ok = p['nonce'] === nonce && p['response'] === md5(`${ha1}:${nonce}:${p['nc']}:${p['cnonce']}:auth:${ha2}`);
        if (!ok) return challenge(res, false);
        state.seen.push(p['nc']!);
        if (seen.has(p['nc']!)) {
          state.replays++;
          return challenge(res, true);
        }
        seen.add(p['nc']!);
        res.end('ok');
      },
    } as ReturnType<typeof replayCheckingServer>;
  }

  test('32 concurrent first requests learn the same nonce: every count is new, every call succeeds', async () => {
    const s = replayCheckingServer();
    server = await serve(s.handler);
    ep = leaf(server.url, { type: 'digest', username: 'u', password: 'pw' });
    const first = await Promise.allSettled(Array.from({ length: 32 }, () => ep.send(request(), ctx()).then(text)));
    expect(first.filter((r) => r.status === 'rejected')).toEqual([]);
    const later = await Promise.allSettled(Array.from({ length: 32 }, () => ep.send(request(), ctx()).then(text)));
    expect(later.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(s.replays).toBe(0);
    expect(new Set(s.seen).size).toBe(s.seen.length);
    expect(s.seen).toHaveLength(64);
  });
});

describe('digest on the relay fast path (preemptive header, 401 head → challenge round trip)', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  interface Relayed {
    status: number;
    text: string;
  }
  function relayed(req: ReturnType<typeof request>): Promise<Relayed> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let status = 0;
      const sink: ResponseSink = {
        head: (s) => void (status = s),
        data: (c) => chunks.push(c) > 0,
        end: () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }),
        fail: (err, afterHead) => reject(Object.assign(err, { afterHead })),
      };
      ep.relay!(req, ctx(), sink);
    });
  }

  async function start(password = 'Circle Of Life'): Promise<{ digest: { nonces: unknown[] } }> {
    const realm = 'soapbridge@test';
    const digest = httpAuth.digest({ realm, algorithm: 'MD5' }, (username: string, cb: (hash: string) => void) => cb(md5(`${username}:${realm}:Circle Of Life`)));
    server = await serve(digest.check((req, res) => res.end(`hello ${req.user ?? ''} ${req.method} ${req.url} ${req.headers['x-request-id'] ?? ''}`)));
    ep = leaf(server.url, { type: 'digest', username: 'Mufasa', password });
    return { digest: digest as unknown as { nonces: unknown[] } };
  }

  test('offered with digest; first call learns the challenge (2 round trips), later ones go at once with a rising nc', async () => {
    await start();
    expect(ep.relay).toBeDefined();
    expect(await relayed(request({ path: '/a' }))).toEqual({ status: 200, text: 'hello Mufasa GET /a test' });
    expect(server.hits).toHaveLength(2);
    for (let i = 0; i < 5; i++) expect((await relayed(request({ path: `/b/${i}`, headers: { authorization: 'Bearer client-token' } }))).text).toBe(`hello Mufasa GET /b/${i} test`);
    expect(server.hits).toHaveLength(7);
    expect(server.hits.every((h) => !h.authorization?.includes('client-token'))).toBe(true);
    const ncs = server.hits.slice(1).map((h) => /nc=([0-9a-f]{8})/.exec(h.authorization ?? '')?.[1]);
    expect(ncs).toEqual(['00000001', '00000002', '00000003', '00000004', '00000005', '00000006']);
    expect(ep.status()).toMatchObject({ requests: 6, failures: 0, inFlight: 0 });
  });

  test('a stale nonce: the 401 head is not relayed, the challenge round trip answers (a buffered body is re-sent)', async () => {
    const { digest } = await start();
    await relayed(request());
    digest.nonces.length = 0;
    expect(await relayed(post('<again/>', { path: '/p' }))).toEqual({ status: 200, text: 'hello Mufasa POST /p test' });
    expect(server.hits).toHaveLength(4);
    expect((await relayed(request())).status).toBe(200);
    expect(server.hits).toHaveLength(5);
    expect(ep.status()).toMatchObject({ requests: 3, failures: 0, inFlight: 0 });
  });

  test('wrong credentials: BACKEND_AUTH_FAILED before the head, at most 2 requests per call', async () => {
    await start('wrong');
    for (let i = 0; i < 3; i++) await expect(relayed(request())).rejects.toMatchObject({ code: 'BACKEND_AUTH_FAILED', afterHead: false });
    expect(server.hits.length).toBeLessThanOrEqual(6);
    expect(ep.status()).toMatchObject({ requests: 3, failures: 3, inFlight: 0 });
  });

  test('a streamed body goes the send() way (it could not be re-sent after a 401)', async () => {
    await start();
    await relayed(request());
    const res = await relayed(streamed(Buffer.from('<s/>'), { path: '/s' }));
    expect(res).toEqual({ status: 200, text: 'hello Mufasa POST /s test' });
    expect(server.hits).toHaveLength(3);
  });

  test('32 concurrent relayed calls to a server that refuses replays: no repeated count, no failure', async () => {
    const realm = 'r';
    const nonce = 'one-nonce';
    const seen = new Set<string>();
    let replays = 0;
    server = await serve((req, res) => {
      const h = req.headers.authorization ?? '';
      const nc = /nc=([0-9a-f]{8})/.exec(h)?.[1];
      const cnonce = /cnonce="([^"]*)"/.exec(h)?.[1];
      const uri = /uri="([^"]*)"/.exec(h)?.[1];
      const response = /response="([^"]*)"/.exec(h)?.[1];
      const ok = nc && response === md5(`${md5(`u:${realm}:pw`)}:${nonce}:${nc}:${cnonce}:auth:${md5(`${req.method}:${uri}`)}`);
      if (ok && !seen.has(nc)) {
        seen.add(nc);
        res.end('ok');
        return;
      }
      if (ok) replays++;
      res.writeHead(401, { 'www-authenticate': `Digest realm="${realm}", nonce="${nonce}", qop="auth"${ok ? ', stale=true' : ''}` });
      res.end();
    });
    ep = leaf(server.url, { type: 'digest', username: 'u', password: 'pw' });
    for (let round = 0; round < 3; round++) {
      const all = await Promise.allSettled(Array.from({ length: 32 }, () => relayed(request())));
      expect(all.filter((r) => r.status === 'rejected')).toEqual([]);
    }
    expect(replays).toBe(0);
    expect(seen.size).toBe(96);
  });
});
