import { ForwardingSink } from '../forwarding-sink';
import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus, RelayControl, ResponseSink } from '../endpoint';
import { BridgeError, toBridgeError } from '../../errors/bridge-error';
import { bufferForReplay } from '../replay';
import { closeAll, GroupCounters, memberRelays } from '../group/attempts';
import { RuleInput, type CompiledRule } from './rules';

export interface DynamicOptions {
  readonly name: string;
  readonly routes: readonly { readonly rule: CompiledRule; readonly endpoint: Endpoint }[];
  readonly fallback?: Endpoint;
  /** Body rules see only bodies buffered up to this size; larger bodies never match them. */
  readonly maxReplayBytes: number;
  readonly clock?: () => number;
}

/**
 * Chooses one endpoint per request by the first matching rule (header, query parameter, URI
 * variable, JSONPath, XPath), else the default. It routes; it does not fail over — put a
 * failover group behind a rule for that.
 *
 * @example rules: [{ header: 'x-region', equals: 'eu', endpoint: eu }], default: us
 */
export class DynamicEndpoint implements Endpoint {
  readonly type = 'dynamic';
  readonly name: string;
  private readonly counters = new GroupCounters();
  private readonly clock: () => number;
  private readonly needsBody: boolean;
  private readonly targets: readonly Endpoint[];
  /** The fast path (endpoint.ts), offered when every target offers it: route, then relay. */
  readonly relay?: (req: BackendRequest, ctx: CallContext, sink: ResponseSink) => RelayControl;

  constructor(private readonly opts: DynamicOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? Date.now;
    this.needsBody = opts.routes.some((r) => r.rule.needsBody);
    this.targets = [...opts.routes.map((r) => r.endpoint), ...(opts.fallback ? [opts.fallback] : [])];
    if (memberRelays(this.targets)) this.relay = (req, ctx, sink) => this.relayRoute(req, ctx, sink);
  }

  /** `send` on the fast path: body rules see the body buffered as `send` buffers it. */
  private relayRoute(req: BackendRequest, ctx: CallContext, sink: ResponseSink): RelayControl {
    this.counters.requests++;
    const counted = new CountingSink(sink, this.counters);
    const body = req.body;
    if (!this.needsBody || body === null || Buffer.isBuffer(body)) return this.relayTo(req, ctx, counted);
    const later = new DeferredControl();
    bufferForReplay(req, this.opts.maxReplayBytes).then(
      (ready) => later.set(this.relayTo(ready, ctx, counted)),
      (e: unknown) => counted.fail(toBridgeError(e), false),
    );
    return later;
  }

  private relayTo(req: BackendRequest, ctx: CallContext, sink: ResponseSink): RelayControl {
    let target: Endpoint;
    try {
      target = this.route(req);
    } catch (e) {
      sink.fail(toBridgeError(e), false);
      return NO_CONTROL;
    }
    return target.relay!(req, ctx, sink);
  }

  send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    return this.counters.count(async () => {
      const ready = this.needsBody ? await bufferForReplay(req, this.opts.maxReplayBytes) : req;
      return this.route(ready).send(ready, ctx);
    });
  }

  /** The endpoint the request goes to; ROUTE_NOT_FOUND when no rule matches and there is no default. */
  route(req: BackendRequest): Endpoint {
    const input = new RuleInput(req);
    for (const r of this.opts.routes) if (r.rule.test(input)) return r.endpoint;
    if (this.opts.fallback) return this.opts.fallback;
    throw new BridgeError('ROUTE_NOT_FOUND', `${this.name}: no dynamic rule matches the request and there is no default`);
  }

  isAvailable(now: number): boolean {
    return this.targets.some((t) => t.isAvailable(now));
  }

  children(): readonly Endpoint[] {
    return this.targets;
  }

  status(): EndpointStatus {
    return this.counters.status(this.name, this.type, this.targets, this.clock());
  }

  close(): Promise<void> {
    return closeAll(this.targets);
  }
}

const NO_CONTROL: RelayControl = { resume: () => undefined, abort: () => undefined };

/** Counts a relayed call's failure before the head on the group, as `GroupCounters.count` does for `send`. */
class CountingSink extends ForwardingSink {
  constructor(
    next: ResponseSink,
    private readonly counters: GroupCounters,
  ) {
    super(next);
  }

  override fail(err: BridgeError, afterHead: boolean): void {
    if (!afterHead) this.counters.failed(err);
    this.next.fail(err, afterHead);
  }
}

/** The control of a call that starts later (after the body was buffered). */
class DeferredControl implements RelayControl {
  private inner: RelayControl | undefined;
  private aborted = false;

  set(control: RelayControl): void {
    this.inner = control;
    if (this.aborted) control.abort();
  }

  resume(): void {
    this.inner?.resume();
  }

  abort(): void {
    this.aborted = true;
    this.inner?.abort();
  }
}
