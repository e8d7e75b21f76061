import type { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import { OAuth2ClientCredentials } from '../../../src/auth/oauth2';
import { ctx, leaf, post, readBody, request, serve, text, type Server } from './helpers';
import { deadPort } from '../../utils/http-backend';

interface TokenServer {
  server: Server;
  /** Token requests seen: their form and Authorization. */
  requests: { form: URLSearchParams; authorization: string }[];
  issued: string[];
}

/** A token endpoint (RFC 6749 §4.4) that checks client_secret_basic and issues numbered tokens. */
async function tokenServer(opts: { expiresIn?: number; answer?: (n: number) => { status: number; body: string } | undefined; delayMs?: number } = {}): Promise<TokenServer> {
  const ts: TokenServer = { server: undefined as unknown as Server, requests: [], issued: [] };
  ts.server = await serve((req, res) => {
    void readBody(req).then(async (body) => {
      const form = new URLSearchParams(body.toString());
      ts.requests.push({ form, authorization: req.headers.authorization ?? '' });
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const custom = opts.answer?.(ts.requests.length);
      if (custom) {
        res.writeHead(custom.status, { 'content-type': 'application/json' });
        return res.end(custom.body);
      }
      const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
      if (id !== 'my client' || secret !== 's3cr:et' || form.get('grant_type') !== 'client_credentials') {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"error":"invalid_client"}');
      }
      const token = `tok-${ts.issued.length + 1}`;
      ts.issued.push(token);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ access_token: token, token_type: 'Bearer', ...(opts.expiresIn !== undefined ? { expires_in: opts.expiresIn } : {}) }));
    });
  });
  return ts;
}

/** A resource server accepting only the tokens in `valid`. */
async function api(valid: Set<string>): Promise<Server> {
  return serve((req, res) => {
    void readBody(req).then((body) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!valid.has(token)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${token} ${body.length}`);
    });
  });
}

describe('OAuth2 client credentials', () => {
  let ts: TokenServer;
  let backend: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await backend?.close();
    await ts?.server.close();
  });

  const config = (url: string, scopes?: string[]) => ({ type: 'oauth2' as const, tokenUrl: `${url}/oauth/token`, clientId: 'my client', clientSecret: 's3cr:et', ...(scopes ? { scopes } : {}) });

  test('one token fetch for many concurrent calls, client_secret_basic, scopes; the token is reused', async () => {
    ts = await tokenServer({ expiresIn: 3600, delayMs: 50 });
    backend = await api(new Set(['tok-1']));
    ep = leaf(backend.url, config(ts.server.url, ['read', 'write']));
    const results = await Promise.all(Array.from({ length: 10 }, () => ep.send(request(), ctx()).then(text)));
    expect(results).toEqual(Array(10).fill('tok-1 0'));
    expect(await text(await ep.send(post('abc'), ctx()))).toBe('tok-1 3');
    expect(ts.requests).toHaveLength(1);
    expect(ts.requests[0]!.form.get('scope')).toBe('read write');
    expect(ts.requests[0]!.form.get('client_secret')).toBeNull(); // never in the body
    expect(backend.hits).toHaveLength(11);
  });

  test('expiry: a new token shortly before expires_in, not after', async () => {
    let now = 1_000_000;
    ts = await tokenServer({ expiresIn: 60 });
    backend = await api(new Set(['tok-1', 'tok-2']));
    const auth = new OAuth2ClientCredentials({ tokenUrl: `${ts.server.url}/oauth/token`, clientId: 'my client', clientSecret: 's3cr:et', maxReplayBytes: 1024, now: () => now });
    ep = leaf(backend.url, auth);
    expect(await text(await ep.send(request(), ctx()))).toBe('tok-1 0');
    now += 50_000; // 10 s before expiry: still outside the 6 s margin
    expect(await text(await ep.send(request(), ctx()))).toBe('tok-1 0');
    now += 5_000; // 5 s before expiry: refreshed
    expect(await text(await ep.send(request(), ctx()))).toBe('tok-2 0');
    expect(ts.requests).toHaveLength(2);
  });

  test('a 401 from the backend: one fresh token and one re-send (with the body)', async () => {
    ts = await tokenServer({ expiresIn: 3600 });
    const valid = new Set(['tok-1']);
    backend = await api(valid);
    ep = leaf(backend.url, config(ts.server.url));
    expect(await text(await ep.send(request(), ctx()))).toBe('tok-1 0');
    valid.delete('tok-1'); // revoked on the resource server
    valid.add('tok-2');
    expect(await text(await ep.send(post('hello'), ctx()))).toBe('tok-2 5');
    expect(backend.hits).toHaveLength(3);
    expect(ts.requests).toHaveLength(2);
  });

  test('a backend that refuses every token: BACKEND_AUTH_FAILED after exactly 2 backend requests', async () => {
    ts = await tokenServer({ expiresIn: 3600 });
    backend = await api(new Set());
    ep = leaf(backend.url, config(ts.server.url));
    await expect(ep.send(request(), ctx())).rejects.toMatchObject({ code: 'BACKEND_AUTH_FAILED', status: 502 });
    expect(backend.hits).toHaveLength(2);
    expect(ts.requests).toHaveLength(2);
  });

  test.each([
    ['wrong client secret', { status: 401, body: '{"error":"invalid_client","error_description":"bad secret"}' }, /answered HTTP 401: error=invalid_client \(bad secret\)/],
    ['garbage', { status: 200, body: '<html>gateway</html>' }, /without an access_token/],
    ['no token', { status: 200, body: '{"token_type":"Bearer"}' }, /without an access_token/],
    ['other token type', { status: 200, body: '{"access_token":"x","token_type":"mac"}' }, /only Bearer/],
    ['bad expiry', { status: 200, body: '{"access_token":"x","expires_in":"soon"}' }, /expires_in/],
  ])('token endpoint answers %s: AUTH_TOKEN_UNAVAILABLE 502 with a detail, no secret', async (_name, answer, detail) => {
    ts = await tokenServer({ answer: () => answer });
    backend = await api(new Set(['x']));
    ep = leaf(backend.url, config(ts.server.url));
    const err = await ep.send(request(), ctx()).catch((e: Error & { code?: string; status?: number }) => e);
    expect(err).toMatchObject({ code: 'AUTH_TOKEN_UNAVAILABLE', status: 502 });
    expect((err as Error).message).toMatch(detail);
    expect((err as Error).message).not.toContain('s3cr');
    expect(backend.hits).toHaveLength(0);
  });

  test('token endpoint down: AUTH_TOKEN_UNAVAILABLE naming the endpoint without its query', async () => {
    backend = await api(new Set());
    const port = await deadPort();
    ep = leaf(backend.url, { ...config(`http://127.0.0.1:${port}`), tokenUrl: `http://127.0.0.1:${port}/token?client_secret=leak` });
    const err = (await ep.send(request(), ctx()).catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('AUTH_TOKEN_UNAVAILABLE');
    expect(err.message).toBe(`oauth2: token endpoint http://127.0.0.1:${port}/token unreachable (ECONNREFUSED)`);
  });
});
