import { ForwardingSink } from './forwarding-sink';
import { EventEmitter } from 'node:events';
import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus, RelayControl, ResponseSink } from './endpoint';
import { BridgeError, toBridgeError } from '../errors/bridge-error';
import type { ErrorCode } from '../errors/codes';
import { ACTIVE, admits, nextState, type EndpointEvent, type EndpointState, type FailureKind, type SuspensionPolicy } from './state';
import { checkResponse, type FailoverOn } from './group/failover-on';

export interface StateChange {
  readonly endpoint: string;
  readonly from: EndpointState;
  readonly to: EndpointState;
  readonly at: number;
  /** The error code (or 'success', 'probe', 'health-check') that caused the change. */
  readonly cause: string;
}

/** One finished call, for metrics: `code` is absent on success. */
export interface CallOutcome {
  readonly endpoint: string;
  readonly ms: number;
  readonly code?: ErrorCode;
  readonly status?: number;
}

export interface SuspendingOptions {
  readonly policy: SuspensionPolicy;
  /** Status codes / SOAP faults that count as failures (from the enclosing group). */
  readonly failoverOn?: FailoverOn;
  /** Injected for tests; Date.now by default. */
  readonly clock?: () => number;
}

type Events = { stateChange: [StateChange]; outcome: [CallOutcome] };

/** Which failures say something about the backend's health, and what (see state.ts). */
const FAILURE_KIND: Partial<Record<ErrorCode, FailureKind>> = {
  ENDPOINT_UNREACHABLE: 'connect',
  ENDPOINT_TLS_ERROR: 'connect',
  ENDPOINT_TIMEOUT: 'timeout',
  BACKEND_SERVER_FAULT: 'response',
  BACKEND_RESPONSE_INVALID: 'response',
};

/**
 * Decorates a leaf with suspension: holds its EndpointState, refuses requests while it is
 * SUSPENDED (except the single probe once the time is up), turns configured status codes and
 * SOAP faults into retryable failures, and emits `stateChange` and `outcome` for logs, metrics
 * and the admin API. The leaf itself stays a plain transport.
 *
 * @example
 *   const leaf = new SuspendingEndpoint(new HttpEndpoint({...}), { policy: suspensionPolicy() });
 *   leaf.on('stateChange', (c) => log.warn(c, 'endpoint state changed'));
 */
export class SuspendingEndpoint extends EventEmitter<Events> implements Endpoint {
  readonly name: string;
  readonly type: string;
  private current: EndpointState = ACTIVE;
  private readonly clock: () => number;
  private readonly closeHooks: (() => void)[] = [];
  /** The leaf's fast path, kept when no `failoverOn` needs to look at whole responses. */
  readonly relay?: (req: BackendRequest, ctx: CallContext, sink: ResponseSink) => RelayControl;

  constructor(
    readonly inner: Endpoint,
    private readonly opts: SuspendingOptions,
  ) {
    super();
    this.name = inner.name;
    this.type = inner.type;
    this.clock = opts.clock ?? Date.now;
    const relay = inner.relay;
    if (relay && !opts.failoverOn) this.relay = (req, ctx, sink) => this.relayThrough(relay, req, ctx, sink);
  }

  get state(): EndpointState {
    return this.current;
  }

  isAvailable(now: number): boolean {
    return admits(this.current, now) && this.inner.isAvailable(now);
  }

  async send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    const now = this.clock();
    if (!admits(this.current, now)) {
      // Retryable and never sent: a group simply moves on to its next member.
      throw new BridgeError('ENDPOINT_ALL_SUSPENDED', `${this.name} is suspended`, { retryable: true, requestSent: false });
    }
    const probe = this.current.kind === 'SUSPENDED';
    if (probe) this.apply({ type: 'probe-start' }, 'probe');
    const started = performance.now();
    try {
      const res = await checkResponse(await this.inner.send(req, ctx), this.opts.failoverOn);
      this.apply({ type: 'success' }, 'success');
      this.emit('outcome', { endpoint: this.name, ms: performance.now() - started, status: res.status });
      return res;
    } catch (e) {
      const err = toBridgeError(e);
      this.record(err, probe);
      this.emit('outcome', { endpoint: this.name, ms: performance.now() - started, code: err.code });
      throw err;
    }
  }

  /** `send` on the fast path: the same admission, state changes and outcomes, at the head. */
  private relayThrough(relay: NonNullable<Endpoint['relay']>, req: BackendRequest, ctx: CallContext, sink: ResponseSink): RelayControl {
    if (!admits(this.current, this.clock())) {
      sink.fail(new BridgeError('ENDPOINT_ALL_SUSPENDED', `${this.name} is suspended`, { retryable: true, requestSent: false }), false);
      return NO_CONTROL;
    }
    const probe = this.current.kind === 'SUSPENDED';
    if (probe) this.apply({ type: 'probe-start' }, 'probe');
    return relay(req, ctx, new OutcomeSink(this, sink, probe, performance.now()));
  }

  /** @internal OutcomeSink: the response started. */
  succeeded(started: number, status: number): void {
    this.apply({ type: 'success' }, 'success');
    if (this.listenerCount('outcome') > 0) this.emit('outcome', { endpoint: this.name, ms: performance.now() - started, status });
  }

  /** @internal OutcomeSink: the call failed before a response. */
  failed(started: number, err: BridgeError, probe: boolean): void {
    this.record(err, probe);
    if (this.listenerCount('outcome') > 0) this.emit('outcome', { endpoint: this.name, ms: performance.now() - started, code: err.code });
  }

  /** Feeds a result that did not come from a request (active health checks). */
  report(result: { ok: true } | { ok: false; failure: FailureKind }): void {
    this.apply(result.ok ? { type: 'success' } : { type: 'failure', failure: result.failure }, 'health-check');
  }

  /** Transparent: the decorated leaf is still a leaf. */
  children(): readonly Endpoint[] {
    return this.inner.children();
  }

  status(): EndpointStatus {
    const s = this.current;
    return {
      ...this.inner.status(),
      state: s.kind,
      ...(s.kind === 'SUSPENDED' ? { suspendedUntil: new Date(s.until).toISOString() } : {}),
    };
  }

  /** Something that lives as long as this leaf (its health check) and stops with it. */
  onClose(hook: () => void): void {
    this.closeHooks.push(hook);
  }

  async close(): Promise<void> {
    for (const h of this.closeHooks.splice(0)) h();
    this.removeAllListeners();
    await this.inner.close();
  }

  private record(err: BridgeError, probe: boolean): void {
    const kind = err.retryable ? FAILURE_KIND[err.code] : undefined;
    if (kind) this.apply({ type: 'failure', failure: kind }, err.code);
    // e.g. the client went away during the probe: it proved nothing, let the next request probe.
    else if (probe) this.apply({ type: 'probe-abort' }, err.code);
  }

  private apply(e: EndpointEvent, cause: string): void {
    const from = this.current;
    const to = nextState(from, e, this.opts.policy, this.clock());
    if (to === from) return;
    this.current = to;
    // A probe flag flip is bookkeeping, not a state change worth a log line or a metric.
    const extended = from.kind === 'SUSPENDED' && to.kind === 'SUSPENDED' && from.until !== to.until;
    if (to.kind !== from.kind || extended) this.emit('stateChange', { endpoint: this.name, from, to, at: this.clock(), cause });
  }
}

const NO_CONTROL: RelayControl = { resume: () => undefined, abort: () => undefined };

/** Passes a relayed response on, recording its outcome on the decorator first. */
class OutcomeSink extends ForwardingSink {
  constructor(
    private readonly ep: SuspendingEndpoint,
    next: ResponseSink,
    private readonly probe: boolean,
    private readonly started: number,
  ) {
    super(next);
  }

  override head(status: number, headers: string[], endpoint: string): void {
    this.ep.succeeded(this.started, status);
    this.next.head(status, headers, endpoint);
  }

  override fail(err: BridgeError, afterHead: boolean): void {
    if (!afterHead) this.ep.failed(this.started, err, this.probe);
    this.next.fail(err, afterHead);
  }
}
