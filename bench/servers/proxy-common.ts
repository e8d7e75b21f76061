import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';

const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/**
 * The minimum a streaming undici proxy does per request (hop-by-hop filtering, streaming both
 * ways, one keep-alive pool): the floor the bridge's own work is compared against.
 */
export function undiciForwarder(backend: string): (req: IncomingMessage, res: ServerResponse, path: string) => void {
  const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 });
  const origin = new URL(backend).origin;
  return (req, res, path) => {
    const headers: Record<string, string | string[]> = {};
    for (const k in req.headers) {
      const v = req.headers[k];
      if (v !== undefined && !HOP.has(k)) headers[k] = v;
    }
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    agent
      .request({ origin, path, method: (req.method ?? 'GET') as Dispatcher.HttpMethod, headers, body: hasBody ? req : undefined })
      .then(
        (up) => {
          const out: Record<string, string | string[]> = {};
          for (const k in up.headers) {
            const v = up.headers[k];
            if (v !== undefined && !HOP.has(k)) out[k] = v;
          }
          res.writeHead(up.statusCode, out);
          pipeline(up.body, res, () => undefined);
        },
        () => {
          res.statusCode = 502;
          res.end();
        },
      );
  };
}
