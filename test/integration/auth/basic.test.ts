import httpAuth from 'http-auth';
import type { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import { ctx, leaf, request, serve, text, type Server } from './helpers';

describe('basic against http-auth', () => {
  let server: Server;
  let ep: HttpEndpoint;
  afterEach(async () => {
    await ep?.close();
    await server?.close();
  });

  async function start(password: string): Promise<void> {
    const basic = httpAuth.basic({ realm: 'r' }, (u, p, cb) => cb(u === 'svc' && p === 'pa:ss wörd'));
    server = await serve(
      basic.check((req, res) => {
        res.writeHead(200);
        res.end(`hi ${req.user ?? ''}`);
      }),
    );
    ep = leaf(server.url, { type: 'basic', username: 'svc', password });
  }

  test('one round trip per request; a client Authorization header is replaced', async () => {
    await start('pa:ss wörd');
    expect(await text(await ep.send(request({ headers: { authorization: 'Bearer client-token' } }), ctx()))).toBe('hi svc');
    expect(server.hits).toHaveLength(1);
    expect(server.hits[0]!.authorization).toMatch(/^Basic /);
  });

  test('wrong password: BACKEND_AUTH_FAILED 502, one request, no secret in the detail', async () => {
    await start('nope-s3cret');
    const err = (await ep.send(request(), ctx()).catch((e: unknown) => e)) as Error & { code: string; status: number };
    expect(err).toMatchObject({ code: 'BACKEND_AUTH_FAILED', status: 502 });
    expect(err.message).not.toContain('s3cret');
    expect(server.hits).toHaveLength(1);
  });
});
