import { request } from 'undici';
import { startBackend, type TestBackend } from '../../utils/http-backend';
import { startTestBridge, restApi, type TestBridge } from '../../utils/bridge';

/** Basic rides the leaf's relay fast path (headerFor); a 401 still becomes BACKEND_AUTH_FAILED. */
let backend: TestBackend;
let bridge: TestBridge | undefined;
const seen: (string | undefined)[] = [];
const GOOD = `Basic ${Buffer.from('svc:s3cret').toString('base64')}`;

beforeEach(async () => {
  seen.length = 0;
  backend = await startBackend((req, res) => {
    req.resume();
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== GOOD) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="svc"' }).end('no');
      return;
    }
    res.end('ok');
  });
});

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  await backend.close();
});

test('the configured credentials replace the client\'s and reach the backend in one request', async () => {
  bridge = await startTestBridge({ svc: restApi('svc', backend.url, { auth: { type: 'basic', username: 'svc', password: 's3cret' } }) });
  const res = await request(`${bridge.url}/svc/v1/x`, { headers: { authorization: 'Basic Y2xpZW50OnRoZWly' } });
  expect(res.statusCode).toBe(200);
  expect(await res.body.text()).toBe('ok');
  expect(seen).toEqual([GOOD]);
});

test('wrong credentials: one backend request, then 502 BACKEND_AUTH_FAILED without the secret', async () => {
  bridge = await startTestBridge({ svc: restApi('svc', backend.url, { auth: { type: 'basic', username: 'svc', password: 'wrong-pw' } }) });
  const res = await request(`${bridge.url}/svc/v1/x`);
  const body = await res.body.text();
  expect(res.statusCode).toBe(502);
  expect(JSON.parse(body)).toMatchObject({ code: 'BACKEND_AUTH_FAILED' });
  expect(body).not.toContain('wrong-pw');
  expect(seen).toHaveLength(1);
});
