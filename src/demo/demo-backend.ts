import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculatorHandler } from './demo-calculator';

/**
 * DEMO ONLY. A tiny weather service the default config proxies to, started in-process when
 * `demo.enabled` is true so the README's first curl works with nothing else running.
 * Not part of the gateway: delete the `demo` block and the demo API files in production.
 */
const CITIES: Record<string, { country: string; tempC: number; conditions: string }> = {
  paris: { country: 'FR', tempC: 14, conditions: 'cloudy' },
  london: { country: 'GB', tempC: 11, conditions: 'rain' },
  tokyo: { country: 'JP', tempC: 19, conditions: 'clear' },
};

export function demoRequestListener(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://demo');
  const m = /^\/api\/weather\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'GET' && m) {
    const city = decodeURIComponent(m[1]!).toLowerCase();
    const data = CITIES[city];
    if (!data) return json(res, 404, { error: `unknown city ${city}`, known: Object.keys(CITIES) });
    const units = url.searchParams.get('units') === 'imperial' ? 'imperial' : 'metric';
    const temp = units === 'imperial' ? Math.round(data.tempC * 1.8 + 32) : data.tempC;
    return json(res, 200, { city, ...data, temp, units, requestId: req.headers['x-request-id'] ?? null });
  }
  if (req.method === 'GET' && url.pathname === '/api/weather') return json(res, 200, { cities: Object.keys(CITIES) });
  json(res, 404, { error: 'not found' });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface DemoServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startDemoBackend(host: string, port: number): Promise<DemoServer> {
  const calculator = calculatorHandler();
  const server = http.createServer((req, res) => (req.url?.startsWith('/calculator') ? calculator(req, res) : demoRequestListener(req, res)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
