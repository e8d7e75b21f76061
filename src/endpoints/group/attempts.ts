import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus, RelayControl, ResponseSink } from '../endpoint';
import { BridgeError, toBridgeError } from '../../errors/bridge-error';
import { bufferForReplay, mayResend } from '../replay';
import { FailedResponse, failureBehind } from './failover-on';

/** Chooses the next member to try (an index), given those already tried for this request. */
export type NextMember = (tried: ReadonlySet<number>) => number | undefined;

/**
 * No member could take the request. Marked retryable (the catalogue's default is not) because
 * for a group nested in another group this is just one more member to skip; at the top the
 * gateway renders it as 503 whatever the flag says.
 */
export function allSuspended(group: string): BridgeError {
  return new BridgeError('ENDPOINT_ALL_SUSPENDED', `${group}: no member is available`, { retryable: true, requestSent: false });
}

/**
 * The loop every group runs: try a member; on a retryable failure go on to the next while the
 * request may be re-sent (replay.ts `mayResend`); give up with the most telling failure. Never
 * waits for a member: no candidate means ENDPOINT_ALL_SUSPENDED at once.
 */
export async function tryMembers(
  group: string,
  members: readonly Endpoint[],
  next: NextMember,
  req: BackendRequest,
  ctx: CallContext,
): Promise<{ res: BackendResponse; index: number }> {
  const tried = new Set<number>();
  let last: BridgeError | undefined;
  for (;;) {
    const i = next(tried);
    if (i === undefined) break;
    tried.add(i);
    let err: BridgeError;
    try {
      const res = await members[i]!.send(req, ctx);
      const failed = failureBehind(res);
      if (!failed) return { res, index: i };
      res.body.destroy();
      err = failed;
    } catch (e) {
      err = toBridgeError(e);
    }
    // A member that refused (suspended, probe taken) tells less than an earlier real failure.
    if (!(last && err.code === 'ENDPOINT_ALL_SUSPENDED')) last = err;
    if (!mayResend(req, err) || ctx.signal.aborted) break;
    ctx.log.debug({ endpoint: members[i]!.name, code: err.code }, `${group}: member failed, trying the next`);
  }
  if (!last) throw allSuspended(group);
  const kept = last instanceof FailedResponse ? last.response() : undefined;
  if (kept) return { res: kept, index: -1 };
  throw last;
}

/** The relay of one member (members offering relay only). */
type Relay = NonNullable<Endpoint['relay']>;

/** The members' relays when every member offers one (a group can then offer relay too). */
export function memberRelays(members: readonly Endpoint[]): readonly Relay[] | undefined {
  const out: Relay[] = [];
  for (const m of members) {
    if (!m.relay) return undefined;
    out.push(m.relay);
  }
  return out;
}

/** What a group adds to a relayed answer once a member's response head arrived. */
export type OnHead = (index: number, status: number, headers: string[]) => void;

/**
 * `tryMembers` on the fast path: picks members with the same `next`, relays through the chosen
 * one, and when it fails before its response head (the sink's `fail(err, false)`: nothing reached
 * the client) goes on to the next member under the same rules (`mayResend`, client gone, most
 * telling failure, ENDPOINT_ALL_SUSPENDED at once when no member is left). After the head a
 * failure is passed on as is. Bodies are made replayable first, as `send` does (a stream body is
 * buffered up to `maxReplayBytes` before the first attempt).
 *
 * Only groups whose members all offer relay use it; `failoverOn` (which needs whole responses)
 * keeps the leaves from offering relay, so such groups stay on `send`.
 */
export function relayMembers(
  group: string,
  relays: readonly Relay[],
  members: readonly Endpoint[],
  next: NextMember,
  req: BackendRequest,
  ctx: CallContext,
  sink: ResponseSink,
  counters: GroupCounters,
  maxReplayBytes: number,
  onHead?: OnHead,
): RelayControl {
  counters.requests++;
  const call = new GroupRelay(group, relays, members, next, req, ctx, sink, counters, onHead);
  const body = req.body;
  if (body === null || Buffer.isBuffer(body) || maxReplayBytes <= 0 || (req.bodyLength !== undefined && req.bodyLength > maxReplayBytes)) {
    call.attempt();
    return call;
  }
  bufferForReplay(req, maxReplayBytes).then(
    (ready) => call.start(ready),
    (e: unknown) => call.finish(toBridgeError(e)),
  );
  return call;
}

/** One relayed group call: the members' sink and the caller's RelayControl in one object. */
class GroupRelay implements ResponseSink, RelayControl {
  private readonly tried = new Set<number>();
  private index = -1;
  private control: RelayControl | undefined;
  private last: BridgeError | undefined;
  private aborted = false;
  private over = false;
  /** Set while a member's relay() runs: a failure reported synchronously waits for it to return. */
  private syncFailure: BridgeError | undefined;
  private inRelay = false;

  constructor(
    private readonly group: string,
    private readonly relays: readonly Relay[],
    private readonly members: readonly Endpoint[],
    private readonly next: NextMember,
    private req: BackendRequest,
    private readonly ctx: CallContext,
    private readonly sink: ResponseSink,
    private readonly counters: GroupCounters,
    private readonly onHead: OnHead | undefined,
  ) {}

  /** The body was buffered: the first attempt (or the client went away meanwhile). */
  start(ready: BackendRequest): void {
    this.req = ready;
    if (this.aborted) this.finish(new BridgeError('BAD_REQUEST', 'client closed the connection', { requestSent: false, retryable: false }));
    else this.attempt();
  }

  /** Relays through the next member; members that refuse at once are skipped in this loop. */
  attempt(): void {
    for (;;) {
      const i = this.next(this.tried);
      if (i === undefined) {
        this.finish(this.last ?? allSuspended(this.group));
        return;
      }
      this.tried.add(i);
      this.index = i;
      this.inRelay = true;
      const control = this.relays[i]!(this.req, this.ctx, this);
      this.inRelay = false;
      const failed = this.syncFailure;
      if (failed === undefined) {
        this.control = control;
        return;
      }
      this.syncFailure = undefined;
      if (!this.failedBeforeHead(failed)) return;
    }
  }

  head(status: number, headers: string[], endpoint: string): void {
    this.onHead?.(this.index, status, headers);
    this.sink.head(status, headers, endpoint);
  }

  data(chunk: Buffer): boolean {
    return this.sink.data(chunk);
  }

  end(): void {
    this.over = true;
    this.sink.end();
  }

  fail(err: BridgeError, afterHead: boolean): void {
    if (afterHead) {
      this.over = true;
      this.sink.fail(err, true);
      return;
    }
    if (this.inRelay) {
      this.syncFailure = err;
      return;
    }
    if (this.failedBeforeHead(err)) this.attempt();
  }

  /** Records a member's failure; true when the request goes on to another member. */
  private failedBeforeHead(err: BridgeError): boolean {
    this.control = undefined;
    // A member that refused (suspended, probe taken) tells less than an earlier real failure.
    if (!(this.last && err.code === 'ENDPOINT_ALL_SUSPENDED')) this.last = err;
    if (!mayResend(this.req, err) || this.aborted) {
      this.finish(this.last);
      return false;
    }
    this.ctx.log.debug({ endpoint: this.members[this.index]!.name, code: err.code }, `${this.group}: member failed, trying the next`);
    return true;
  }

  /** The call failed before any response head: the caller renders `err`. */
  finish(err: BridgeError): void {
    if (this.over) return;
    this.over = true;
    this.counters.failed(err);
    this.sink.fail(err, false);
  }

  resume(): void {
    this.control?.resume();
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.control?.abort();
  }
}

/** Request/failure counters of a group (its members keep their own). */
export class GroupCounters {
  requests = 0;
  failures = 0;
  private lastError?: { code: string; message: string; at: string };

  async count<T>(work: () => Promise<T>): Promise<T> {
    this.requests++;
    try {
      return await work();
    } catch (e) {
      const err = toBridgeError(e);
      this.failed(err);
      throw err;
    }
  }

  /** A call failed (relay path: counted where `count` would have seen the rejection). */
  failed(err: BridgeError): void {
    this.failures++;
    this.lastError = { code: err.code, message: err.message, at: new Date().toISOString() };
  }

  status(name: string, type: string, members: readonly Endpoint[], now: number): EndpointStatus {
    const ms = members.map((m) => m.status());
    return {
      name,
      type,
      // A group is as available as its best member; it is never suspended on its own.
      state: members.some((m) => m.isAvailable(now)) ? 'ACTIVE' : 'SUSPENDED',
      requests: this.requests,
      failures: this.failures,
      inFlight: ms.reduce((n, s) => n + s.inFlight, 0),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      members: ms,
    };
  }
}

export async function closeAll(members: readonly Endpoint[]): Promise<void> {
  await Promise.all(members.map((m) => m.close()));
}
