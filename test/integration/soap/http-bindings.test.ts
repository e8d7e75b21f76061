import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { startLoopback, startSoapBridge, type LoopbackServer, type SoapTestBridge } from '../../utils/soap-bridge';
import { describeWithPython, PYTHON } from '../../interop/python';

/**
 * ASMX services publish HttpGet and HttpPost ports beside the SOAP one. The bridge rewrites
 * their http:address to itself like every address, so it serves them: `GET|POST
 * {api}/GetWeather` goes through the API's endpoint to its URL + `/GetWeather`, query and body
 * unchanged. It answered 404 before, so zeep calls of those ports failed through the bridge.
 */
const WSDL = path.join(__dirname, '..', '..', 'fixtures', 'wsdl', 'http-bindings', 'Weather.wsdl');
const ANSWER = (city: string): string => `<?xml version="1.0" encoding="utf-8"?>\n<string xmlns="http://www.example.org/weather">${city}: sunny</string>`;

let backend: LoopbackServer;
let bridge: SoapTestBridge;
const seen: { method: string; url: string; body: string; type: string | undefined }[] = [];

beforeAll(async () => {
  // The three protocols of an ASMX service: SOAP at the .asmx, GET and form POST below it.
  backend = await startLoopback((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body, type: req.headers['content-type'] });
      const url = new URL(req.url!, 'http://x');
      if (url.pathname !== '/weather.asmx/GetWeather') return void res.writeHead(404).end();
      const city = req.method === 'GET' ? url.searchParams.get('CityName') : new URLSearchParams(body).get('CityName');
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(ANSWER(city ?? '?'));
    });
  });
  bridge = await startSoapBridge({ wsdl: WSDL, name: 'weather', backendUrl: `${backend.origin}/weather.asmx` });
});

afterAll(async () => {
  await bridge.close();
  await backend.close();
});

beforeEach(() => {
  seen.length = 0;
});

test('?wsdl points the HTTP ports at the bridge, where GET and form POST reach the backend at the operation location', async () => {
  const wsdl = await (await request(`${bridge.apiUrl}?wsdl`)).body.text();
  expect(wsdl.match(/<http:address location="[^"]*"/g)).toEqual([`<http:address location="${bridge.apiUrl}"`, `<http:address location="${bridge.apiUrl}"`]);
  const get = await request(`${bridge.apiUrl}/GetWeather?CityName=Oslo`);
  expect(get.statusCode).toBe(200);
  expect(await get.body.text()).toBe(ANSWER('Oslo'));
  const post = await request(`${bridge.apiUrl}/GetWeather`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'CityName=Bergen' });
  expect(post.statusCode).toBe(200);
  expect(await post.body.text()).toBe(ANSWER('Bergen'));
  expect(seen).toEqual([
    { method: 'GET', url: '/weather.asmx/GetWeather?CityName=Oslo', body: '', type: undefined },
    { method: 'POST', url: '/weather.asmx/GetWeather', body: 'CityName=Bergen', type: 'application/x-www-form-urlencoded' },
  ]);
});

test('another verb is 405 naming the binding verbs; a location the WSDL does not have is 404; nothing reaches the backend', async () => {
  const put = await request(`${bridge.apiUrl}/GetWeather`, { method: 'PUT', body: 'x' });
  expect(put.statusCode).toBe(405);
  expect(await put.body.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', allow: ['GET', 'POST'] });
  const other = await request(`${bridge.apiUrl}/GetForecast?CityName=Oslo`);
  expect(other.statusCode).toBe(404);
  await other.body.dump();
  expect(seen).toEqual([]);
});

test('a relative location (no leading "/"): the http:address gets a trailing "/", so joined either way it lands below the API', async () => {
  const quote = await startSoapBridge({ wsdl: path.join(path.dirname(WSDL), 'Quote.wsdl'), name: 'quote', backendUrl: `${backend.origin}/quote` });
  try {
    const wsdl = await (await request(`${quote.apiUrl}?wsdl`)).body.text();
    expect(wsdl).toContain(`<http:address location="${quote.apiUrl}/"/>`);
    expect(wsdl).toContain(`<soap:address location="${quote.apiUrl}"/>`);
    // Concatenated (zeep: address + location) or resolved (new URL(location, address)): the same URL.
    expect(`${quote.apiUrl}/` + 'GetLastTradePrice').toBe(new URL('GetLastTradePrice', `${quote.apiUrl}/`).href);
    const res = await request(`${quote.apiUrl}/GetLastTradePrice`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'tickerSymbol=ACME' });
    await res.body.dump();
    expect(seen).toEqual([{ method: 'POST', url: '/quote/GetLastTradePrice', body: 'tickerSymbol=ACME', type: 'application/x-www-form-urlencoded' }]);
  } finally {
    await quote.close();
  }
});

describeWithPython('zeep', __filename)('python zeep on the HTTP ports', () => {
  test('zeep calls HttpGet and HttpPost through the bridge, answers equal to calling the backend', async () => {
    const script = path.join(__dirname, '..', '..', 'interop', 'zeep_http_binding.py');
    const { stdout } = await promisify(execFile)(PYTHON, [script, `${bridge.apiUrl}?wsdl`, `${backend.origin}/weather.asmx`], { timeout: 20_000 });
    const out = JSON.parse(stdout) as Record<string, { address: string; viaBridge: unknown; direct: unknown }>;
    for (const port of ['WeatherHttpGet', 'WeatherHttpPost']) {
      expect(out[port]!.address).toBe(bridge.apiUrl);
      expect(out[port]!.viaBridge).toBe('Oslo: sunny');
      expect(out[port]!.viaBridge).toEqual(out[port]!.direct);
    }
    // Two calls each way: through the bridge and direct, same requests at the backend.
    expect(seen.map((s) => `${s.method} ${s.url}`).sort()).toEqual(['GET /weather.asmx/GetWeather?CityName=Oslo', 'GET /weather.asmx/GetWeather?CityName=Oslo', 'POST /weather.asmx/GetWeather', 'POST /weather.asmx/GetWeather']);
  }, 30_000);
});
