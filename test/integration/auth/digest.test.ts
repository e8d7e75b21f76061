import { createHash } from 'node:crypto';
import httpAuth from 'http-auth';
import { isBridgeError, type BridgeError } from '../../../src/errors/bridge-error';
import type { HttpEndpoint } from '../../../src/endpoints/leaf/http';
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
