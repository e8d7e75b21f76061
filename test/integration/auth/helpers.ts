import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import pino from 'pino';
import { HttpEndpoint } from '../../../src/endpoints/leaf/http';
import type { BackendRequest, BackendResponse, CallContext } from '../../../src/endpoints/endpoint';
import type { BackendAuth } from '../../../src/auth/backend-auth';
import { createBackendAuth, type BackendAuthDeps } from '../../../src/auth';
import type { AuthConfig, TlsConfig } from '../../../src/config/endpoint-schema';

export const silent = pino({ level: 'silent' });

export function ctx(): CallContext {
  return { requestId: 'test', api: 'auth', log: silent, signal: new AbortController().signal, clientIp: '127.0.0.1', proto: 'http', host: 'bridge.test' };
}

export function request(over: Partial<BackendRequest> = {}): BackendRequest {
  return { method: 'GET', path: '/', query: '', uriVars: {}, queryParams: {}, headers: {}, body: null, idempotent: false, ...over };
}

export function post(body: string | Buffer, over: Partial<BackendRequest> = {}): BackendRequest {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return request({ method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(buf.length) }, body: buf, bodyLength: buf.length, ...over });
}

/** A body the leaf can read only once (like a client's request stream). */
export function streamed(body: Buffer, over: Partial<BackendRequest> = {}): BackendRequest {
  return request({ method: 'POST', headers: { 'content-length': String(body.length) }, body: Readable.from([body]), bodyLength: body.length, ...over });
}

export const deps: BackendAuthDeps = { log: silent, resolvePath: (p) => p, maxReplayBytes: 64 * 1024 };

export function leaf(url: string, auth?: AuthConfig | BackendAuth, opts: { tls?: TlsConfig; depsOver?: Partial<BackendAuthDeps>; appendPath?: boolean } = {}): HttpEndpoint {
  const built = auth === undefined ? undefined : 'execute' in auth ? auth : createBackendAuth(auth, { ...deps, ...opts.depsOver, ...(opts.tls ? { tls: opts.tls } : {}) });
  return new HttpEndpoint({
    name: 'leaf',
    url,
    appendPath: opts.appendPath ?? true,
    connectTimeoutMs: 2000,
    responseTimeoutMs: 5000,
    connections: 4,
    ...(opts.tls ? { tls: opts.tls } : {}),
    ...(built ? { auth: built } : {}),
  });
}

export async function text(res: BackendResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res.body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks).toString('utf8');
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface Server {
  readonly url: string;
  readonly port: number;
  /** Every request that reached the server (one backend round trip each). */
  readonly hits: { method: string; url: string; authorization?: string; socket: number }[];
  close(): Promise<void>;
}

/** A loopback HTTP/1.1 server on port 0 counting requests, with a socket number per connection. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const hits: Server['hits'] = [];
  const ids = new WeakMap<object, number>();
  let next = 0;
  const server = http.createServer((req, res) => {
    if (!ids.has(req.socket)) ids.set(req.socket, ++next);
    hits.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), socket: ids.get(req.socket)! });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
