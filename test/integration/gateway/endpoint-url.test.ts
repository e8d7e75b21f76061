import { request } from 'undici';
import { startBackend, type TestBackend } from '../../utils/http-backend';
import { startTestBridge, type TestBridge } from '../../utils/bridge';

let backend: TestBackend;
let bridge: TestBridge | undefined;

beforeEach(async () => {
  backend = await startBackend((req, res) => {
    req.resume();
    res.end(req.url);
  });
});

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  await backend.close();
});

async function backendUrlFor(path: string): Promise<string> {
  const res = await request(`${bridge!.url}${path}`);
  expect(res.statusCode).toBe(200);
  return res.body.text();
}

test('a URI-template url fills {uri.var.x} and {query.param.x} (encoded again for the backend)', async () => {
  bridge = await startTestBridge({
    shop: {
      name: 'shop',
      context: '/shop',
      version: 'v1',
      resources: [{ path: '/items/{id}', methods: ['GET'] }],
      endpoints: { production: { type: 'http', url: `${backend.url}/api/items/{uri.var.id}?q={query.param.q}{&query.param.page}` } },
    },
  });
  expect(await backendUrlFor('/shop/v1/items/42?q=red&page=2&other=x')).toBe('/api/items/42?q=red&query.param.page=2');
  // Decoded from the client's path, then encoded by RFC 6570 simple expansion.
  expect(await backendUrlFor('/shop/v1/items/a%20b%2Fc?q=x%26y')).toBe('/api/items/a%20b%2Fc?q=x%26y');
  expect(await backendUrlFor('/shop/v1/items/S%C3%A3o')).toBe('/api/items/S%C3%A3o?q=');
});

test('WSO2-style path segment expansion {/uri.var.x} drops the segment when undefined', async () => {
  bridge = await startTestBridge({
    w: {
      name: 'w',
      context: '/w',
      version: 'v1',
      resources: [
        { path: '/cities/{city}', methods: ['GET'] },
        { path: '/cities', methods: ['GET'] },
      ],
      endpoints: { production: { type: 'http', url: `${backend.url}/api/weather{/uri.var.city}{?query.param.units}` } },
    },
  });
  expect(await backendUrlFor('/w/v1/cities/paris?units=metric')).toBe('/api/weather/paris?query.param.units=metric');
  expect(await backendUrlFor('/w/v1/cities')).toBe('/api/weather');
});

test('a plain base url gets the resource path and the raw query appended (base query first)', async () => {
  bridge = await startTestBridge({
    shop: {
      name: 'shop',
      context: '/shop',
      version: 'v2',
      resources: [{ path: '/*', methods: ['GET'] }],
      endpoints: { production: { type: 'http', url: `${backend.url}/base?fixed=1` } },
    },
  });
  expect(await backendUrlFor('/shop/v2/items/7?z=2&z=%203')).toBe('/base/items/7?fixed=1&z=2&z=%203');
  expect(await backendUrlFor('/shop/v2')).toBe('/base/?fixed=1');
});

test('a plain base url with a trailing slash does not double it', async () => {
  bridge = await startTestBridge({
    shop: {
      name: 'shop',
      context: '/shop',
      version: 'v1',
      resources: [{ path: '/*', methods: ['GET'] }],
      endpoints: { production: { type: 'http', url: `${backend.url}/base/` } },
    },
  });
  expect(await backendUrlFor('/shop/v1/a/b')).toBe('/base/a/b');
});
