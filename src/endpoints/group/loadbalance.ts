import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus, RelayControl, ResponseSink } from '../endpoint';
import { bufferForReplay } from '../replay';
import { createBalancer, type AlgorithmName, type Balancer } from '../algorithms';
import { closeAll, GroupCounters, memberRelays, relayMembers, tryMembers, type NextMember } from './attempts';
import { SessionAffinity, type AffinityOptions } from './affinity';

export interface LoadBalanceOptions {
  readonly name: string;
  readonly members: readonly Endpoint[];
  readonly algorithm?: AlgorithmName;
  /** Per member, same order; 1 when absent. */
  readonly weights?: readonly number[];
  readonly affinity?: AffinityOptions;
  readonly maxReplayBytes: number;
  readonly clock?: () => number;
}

/**
 * Members share requests by the algorithm; a member that fails is skipped and the same request
 * goes to the next one the algorithm picks among the untried, available members. With affinity,
 * a session's first attempt goes to its pinned member while that member is available.
 *
 * @example new LoadBalanceEndpoint({ name: 'quotes', members, algorithm: 'weightedRoundRobin', weights: [3, 1], maxReplayBytes: 1 << 20 })
 */
export class LoadBalanceEndpoint implements Endpoint {
  readonly type = 'loadbalance';
  readonly name: string;
  private readonly counters = new GroupCounters();
  private readonly balancer: Balancer;
  private readonly affinity?: SessionAffinity;
  private readonly clock: () => number;
  /** The fast path (endpoint.ts), offered when every member offers it. */
  readonly relay?: (req: BackendRequest, ctx: CallContext, sink: ResponseSink) => RelayControl;

  constructor(private readonly opts: LoadBalanceOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? Date.now;
    const members = opts.members.map((m, i) => ({ weight: opts.weights?.[i] ?? 1, load: () => m.status().inFlight }));
    this.balancer = createBalancer(opts.algorithm ?? 'roundRobin', members);
    if (opts.affinity && (opts.affinity.cookie || opts.affinity.header)) this.affinity = new SessionAffinity(opts.affinity);
    const relays = memberRelays(opts.members);
    if (relays) {
      this.relay = (req, ctx, sink) => {
        const affinity = this.affinity;
        if (!affinity) return relayMembers(this.name, relays, opts.members, this.nextMember(undefined), req, ctx, sink, this.counters, opts.maxReplayBytes);
        const key = affinity.keyOf(req);
        const next = this.nextMember(affinity.lookup(key, this.clock()));
        const onHead = (index: number, _status: number, headers: string[]): void => affinity.bindFlat(key, headers, index, this.clock());
        return relayMembers(this.name, relays, opts.members, next, req, ctx, sink, this.counters, opts.maxReplayBytes, onHead);
      };
    }
  }

  send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    return this.counters.count(async () => {
      const replayable = await bufferForReplay(req, this.opts.maxReplayBytes);
      const key = this.affinity?.keyOf(req);
      const next = this.nextMember(this.affinity?.lookup(key, this.clock()));
      const { res, index } = await tryMembers(this.name, this.opts.members, next, replayable, ctx);
      return this.affinity && index >= 0 ? this.affinity.bind(key, res, index, this.clock()) : res;
    });
  }

  /** The algorithm's choice among untried, available members; a session's pin goes first. */
  private nextMember(pinned: number | undefined): NextMember {
    const { members } = this.opts;
    return (tried) => {
      const now = this.clock();
      if (pinned !== undefined && tried.size === 0 && members[pinned]!.isAvailable(now)) return pinned;
      return this.balancer.pick((i) => !tried.has(i) && members[i]!.isAvailable(now));
    };
  }

  isAvailable(now: number): boolean {
    return this.opts.members.some((m) => m.isAvailable(now));
  }

  children(): readonly Endpoint[] {
    return this.opts.members;
  }

  status(): EndpointStatus {
    return this.counters.status(this.name, this.type, this.opts.members, this.clock());
  }

  close(): Promise<void> {
    return closeAll(this.opts.members);
  }
}
