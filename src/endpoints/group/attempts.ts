import type { BackendRequest, BackendResponse, CallContext, Endpoint, EndpointStatus } from '../endpoint';
import { BridgeError, toBridgeError } from '../../errors/bridge-error';
import { mayResend } from '../replay';
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
      this.failures++;
      this.lastError = { code: err.code, message: err.message, at: new Date().toISOString() };
      throw err;
    }
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
