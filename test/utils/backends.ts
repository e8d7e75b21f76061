import { firstQueryValues } from '../../src/http/query';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import pino from 'pino';
import type { BackendRequest, CallContext } from '../../src/endpoints/endpoint';

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A real loopback backend on 127.0.0.1 that can be killed and restarted on the same port. */
export interface Backend {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Requests that reached the handler (their body fully read). */
  hits: number;
  handler: Handler;
  /** Stops listening and drops every open connection (like a crashed process). */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const ok: Handler = (_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('ok');
};

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startBackend(name: string, handler: Handler = ok): Promise<Backend> {
  let server: Server;
  const make = (): Server =>
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        b.hits++;
        b.handler(req, res, Buffer.concat(chunks));
      });
    });
  server = make();
  const port = await listen(server, 0);
  const stop = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await closed;
  };
  const b: Backend = {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    hits: 0,
    handler,
    kill: stop,
    async restart() {
      server = make();
      await listen(server, port);
    },
    close: stop,
  };
  return b;
}

/** Answers with the backend's name, so tests can see who served a request. */
export function named(name: string): Handler {
  return (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(name);
  };
}

export const silentLog = pino({ level: 'silent' });

export function ctx(signal: AbortSignal = new AbortController().signal): CallContext {
  return { requestId: 'test', api: 'test', log: silentLog, signal, clientIp: '127.0.0.1', proto: 'http', host: 'bridge.test' };
}

export function request(over: Partial<BackendRequest> = {}): BackendRequest {
  // queryParams follow the query as the gateway fills them, unless a test sets them itself.
  return { method: 'GET', path: '/', query: '', uriVars: {}, queryParams: firstQueryValues(over.query ?? ''), headers: {}, body: null, idempotent: true, ...over };
}

export async function readBody(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}
