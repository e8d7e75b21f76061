import type { Logger } from 'pino';
import type { BackendRequest, CallContext } from './endpoint';
import type { SuspendingEndpoint } from './suspending';
import type { HealthCheckConfig } from '../config/endpoint-schema';
import { toBridgeError } from '../errors/bridge-error';
import type { FailureKind } from './state';
import { readUpTo } from './replay';
import { faultCode } from './group/failover-on';

export type HealthResult = { ok: true } | { ok: false; failure: FailureKind; reason: string };

export interface HealthCheckOptions extends HealthCheckConfig {
  /** http leaves are checked with GET; soap/wsdl leaves with a POSTed envelope. */
  readonly kind: 'http' | 'soap';
  readonly soapVersion?: '1.1' | '1.2';
  readonly log: Logger;
}

const MAX_CHECK_BODY = 64 * 1024;

/**
 * Periodic active checks of one leaf, fed into the same state machine as real traffic: a
 * success ends a suspension early, a failure counts like a failed request. Timers are unref'ed
 * (they never keep the process alive) and a slow check is never overlapped by the next one.
 */
export class HealthCheck {
  private timer?: NodeJS.Timeout;
  private running?: AbortController;

  constructor(
    private readonly target: SuspendingEndpoint,
    private readonly opts: HealthCheckOptions,
  ) {}

  start(): this {
    this.timer ??= setInterval(() => void this.tick(), this.opts.intervalMs).unref();
    return this;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    const result = await this.checkOnce();
    if (!result.ok) this.opts.log.warn({ endpoint: this.target.name, reason: result.reason }, 'health check failed');
    this.target.report(result);
  }

  /** One check, bounded by `timeoutMs` (default: the interval). */
  async checkOnce(): Promise<HealthResult> {
    const abort = new AbortController();
    this.running = abort;
    const timer = setTimeout(() => abort.abort(), this.opts.timeoutMs ?? this.opts.intervalMs).unref();
    try {
      // The leaf itself, not the decorator: a check must not take the one probe slot.
      const res = await this.target.inner.send(this.request(), this.context(abort.signal));
      const body = await readUpTo(res.body, MAX_CHECK_BODY);
      if (!body.complete) body.stream.destroy();
      if (res.status < 200 || res.status > 299) return { ok: false, failure: 'response', reason: `status ${res.status}` };
      const fault = this.opts.kind === 'soap' && body.complete ? faultCode(body.buf.toString('utf8')) : undefined;
      return fault === undefined ? { ok: true } : { ok: false, failure: 'response', reason: `SOAP fault ${fault}` };
    } catch (e) {
      if (abort.signal.aborted) return { ok: false, failure: 'timeout', reason: 'no answer in time' };
      const err = toBridgeError(e);
      return { ok: false, failure: err.code === 'ENDPOINT_TIMEOUT' ? 'timeout' : 'connect', reason: err.message };
    } finally {
      clearTimeout(timer);
      this.running = undefined;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.running?.abort();
  }

  private request(): BackendRequest {
    const base = { uriVars: {}, queryParams: {}, idempotent: true } as const;
    if (this.opts.kind === 'http' || this.opts.soapEnvelope === undefined) {
      const [path = '/', query = ''] = (this.opts.path ?? '/').split('?', 2);
      return { ...base, method: 'GET', path, query, headers: {}, body: null };
    }
    const body = Buffer.from(this.opts.soapEnvelope, 'utf8');
    const action = this.opts.soapAction ?? '';
    const headers: Record<string, string> =
      this.opts.soapVersion === '1.2'
        ? { 'content-type': `application/soap+xml; charset=utf-8${action ? `; action="${action}"` : ''}` }
        : { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` };
    headers['content-length'] = String(body.length);
    return { ...base, method: 'POST', path: '/', query: '', headers, body, bodyLength: body.length };
  }

  private context(signal: AbortSignal): CallContext {
    return { requestId: 'health-check', api: this.target.name, log: this.opts.log, signal, clientIp: '127.0.0.1', proto: 'http', host: 'soapbridge' };
  }
}
