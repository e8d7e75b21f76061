import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export type AnyServer = http.Server | https.Server;

export async function listen(server: AnyServer, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `${server instanceof https.Server ? 'https' : 'http'}://${h === '0.0.0.0' ? '127.0.0.1' : h}:${addr.port}`;
}

/** Long keep-alive: clients and load balancers in front usually idle-close first. */
function tune(server: AnyServer): AnyServer {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0; // streams of any length; per-endpoint timeouts bound backend waits
  return server;
}

export function createHttpServer(listener: RequestListener): http.Server {
  return tune(http.createServer(listener)) as http.Server;
}

export function createHttpsServer(listener: RequestListener, certFile: string, keyFile: string, baseDir: string): https.Server {
  return tune(https.createServer({ cert: readFileSync(path.resolve(baseDir, certFile)), key: readFileSync(path.resolve(baseDir, keyFile)) }, listener)) as https.Server;
}

/** Stops accepting, closes idle keep-alive sockets now and the rest when `drained` settles. */
export async function closeServer(server: AnyServer, drained: Promise<unknown>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await drained;
  server.closeAllConnections();
  await closed;
}
