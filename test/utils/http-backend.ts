import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';

export type BackendHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback backend on port 0 whose behaviour each test supplies. */
export interface TestBackend {
  readonly url: string;
  readonly port: number;
  /** Requests seen so far (method, url, headers), in arrival order. */
  readonly seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startBackend(handler: BackendHandler): Promise<TestBackend> {
  const seen: TestBackend['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago and has nothing listening now (for "backend down"). */
export async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Echo backend: answers with what it got (method, url, headers) as JSON, body's sha256 and length. */
export const echoHandler: BackendHandler = (req, res) => {
  const hash = createHash('sha256');
  let length = 0;
  req.on('data', (c: Buffer) => {
    length += c.length;
    hash.update(c);
  });
  req.on('end', () => {
    const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers, length, sha256: hash.digest('hex') });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
};

/** A readable of `total` pseudo-random bytes generated on demand (never held in memory). */
export function generatedStream(total: number, chunkSize = 64 * 1024): Readable {
  let sent = 0;
  const chunk = Buffer.alloc(chunkSize);
  for (let i = 0; i < chunkSize; i++) chunk[i] = (i * 31 + 7) & 0xff;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(chunkSize, total - sent);
      sent += n;
      this.push(n === chunkSize ? Buffer.from(chunk) : chunk.subarray(0, n));
    },
  });
}

/** A writable that only counts and hashes what it receives. */
export function hashingSink(): Writable & { result(): { length: number; sha256: string } } {
  const hash = createHash('sha256');
  let length = 0;
  const sink = new Writable({
    write(c: Buffer, _enc, cb) {
      length += c.length;
      hash.update(c);
      cb();
    },
  });
  let digest: string | undefined;
  return Object.assign(sink, { result: () => ({ length, sha256: (digest ??= hash.digest('hex')) }) });
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
