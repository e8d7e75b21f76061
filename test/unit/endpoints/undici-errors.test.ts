import { request } from 'undici';
import { translateUndiciError } from '../../../src/endpoints/leaf/undici-errors';

const TIMEOUTS = { connectMs: 1000, responseMs: 1000 };

async function undiciErrorFor(headers: Record<string, string>): Promise<unknown> {
  try {
    // Refused before any connection is made (port 9 is never reached).
    await request('http://127.0.0.1:9/', { method: 'POST', headers, body: 'x' });
  } catch (e) {
    return e;
  }
  throw new Error('undici sent it');
}

test('a request undici will not send is the client\'s BAD_REQUEST, not a backend failure (nothing to suspend)', async () => {
  const err = translateUndiciError(await undiciErrorFor({ expect: '100-continue' }), 'api.production (http://127.0.0.1:9)', TIMEOUTS);
  expect({ code: err.code, status: err.status, retryable: err.retryable, requestSent: err.requestSent }).toEqual({ code: 'BAD_REQUEST', status: 400, retryable: false, requestSent: false });
  expect(err.message).toContain('api.production');
});

test('a refused connection stays ENDPOINT_UNREACHABLE, retryable and never sent', async () => {
  const err = translateUndiciError(await undiciErrorFor({}), 'api.production (http://127.0.0.1:9)', TIMEOUTS);
  expect({ code: err.code, retryable: err.retryable, requestSent: err.requestSent }).toEqual({ code: 'ENDPOINT_UNREACHABLE', retryable: true, requestSent: false });
});
