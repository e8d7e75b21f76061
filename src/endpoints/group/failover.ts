import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus, RelayControl, ResponseSink } from '../endpoint';
import { bufferForReplay } from '../replay';
import { closeAll, GroupCounters, memberRelays, relayMembers, tryMembers, type NextMember } from './attempts';

export interface FailoverOptions {
  readonly name: string;
  readonly members: readonly Endpoint[];
  /** Keep sending to the last member that worked instead of returning to the first. */
  readonly sticky?: boolean;
  readonly maxReplayBytes: number;
  readonly clock?: () => number;
}

/**
 * Members in listed order: the first available one gets the request, and on a retryable failure
 * the same request goes to the next. Without `sticky`, every request starts at the top, so
 * traffic returns to the primary as soon as its suspension ends and its probe succeeds.
 *
 * @example new FailoverEndpoint({ name: 'orders', members: [primary, backup], maxReplayBytes: 1 << 20 })
 */
export class FailoverEndpoint implements Endpoint {
  readonly type = 'failover';
  readonly name: string;
  private readonly counters = new GroupCounters();
  private readonly clock: () => number;
  private start = 0;
  /** The fast path (endpoint.ts), offered when every member offers it. */
  readonly relay?: (req: BackendRequest, ctx: CallContext, sink: ResponseSink) => RelayControl;

  constructor(private readonly opts: FailoverOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? Date.now;
    const relays = memberRelays(opts.members);
    if (relays) {
      const onHead = opts.sticky ? (index: number): void => void (this.start = index) : undefined;
      this.relay = (req, ctx, sink) => relayMembers(this.name, relays, opts.members, this.nextMember(), req, ctx, sink, this.counters, opts.maxReplayBytes, onHead);
    }
  }

  send(req: BackendRequest, ctx: CallContext): Promise<BackendResponse> {
    return this.counters.count(async () => {
      const replayable = await bufferForReplay(req, this.opts.maxReplayBytes);
      const { res, index } = await tryMembers(this.name, this.opts.members, this.nextMember(), replayable, ctx);
      if (this.opts.sticky && index >= 0) this.start = index;
      return res;
    });
  }

  /** The first untried, available member in listed order (from the sticky start). */
  private nextMember(): NextMember {
    const { members } = this.opts;
    const first = this.start;
    return (tried) => {
      const now = this.clock();
      for (let k = 0; k < members.length; k++) {
        const i = (first + k) % members.length;
        if (!tried.has(i) && members[i]!.isAvailable(now)) return i;
      }
      return undefined;
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
