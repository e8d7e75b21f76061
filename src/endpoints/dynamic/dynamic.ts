import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus } from '../endpoint';
import { BridgeError } from '../../errors/bridge-error';
import { bufferForReplay } from '../replay';
import { closeAll, GroupCounters } from '../group/attempts';
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

  constructor(private readonly opts: DynamicOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? Date.now;
    this.needsBody = opts.routes.some((r) => r.rule.needsBody);
    this.targets = [...opts.routes.map((r) => r.endpoint), ...(opts.fallback ? [opts.fallback] : [])];
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
