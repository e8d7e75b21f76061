import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { CallContext } from '../endpoints/endpoint';
import type { Logger } from 'pino';
import { firstHeader } from '../http/headers';

const VALID_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * One client request as the gateway sees it: ids, timing, and the call context for backends
 * (the Exchange is its own CallContext: no object per call, the AbortSignal only when asked for).
 */
export class Exchange implements CallContext {
  readonly requestId: string;
  readonly started = performance.now();
  readonly path: string;
  readonly query: string;
  api = '-';
  private controller?: AbortController;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly log: Logger,
  ) {
    const given = firstHeader(req.headers['x-request-id']);
    this.requestId = given && VALID_ID.test(given) ? given : randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q === -1 ? url : url.slice(0, q);
    this.query = q === -1 ? '' : url.slice(q + 1);
  }

  /** Aborted when the client disconnects before its response was fully written. */
  get signal(): AbortSignal {
    if (!this.controller) {
      const c = new AbortController();
      this.controller = c;
      this.res.once('close', () => {
        if (!this.res.writableFinished) c.abort();
      });
    }
    return this.controller.signal;
  }

  get clientIp(): string {
    return this.req.socket.remoteAddress ?? '';
  }

  get proto(): 'http' | 'https' {
    return (this.req.socket as TLSSocket).encrypted ? 'https' : 'http';
  }

  get host(): string {
    return this.req.headers.host ?? '';
  }

  callContext(): CallContext {
    return this;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }
}
