/**
 * Suspension of one leaf endpoint as an explicit state machine: every transition is in the pure
 * `nextState`, which takes the time as an argument, so tests drive it with plain numbers.
 *
 *   ACTIVE ──timeout / configured status or fault──▶ TIMEOUT(retriesLeft) ──more failures──▶ SUSPENDED
 *   ACTIVE / TIMEOUT ──connect-level error (refused, reset, DNS, TLS)──────────────────────▶ SUSPENDED
 *   SUSPENDED(until) ──time is up: exactly one probe request (half-open)──▶ success: ACTIVE
 *                                                                          failure: SUSPENDED × factor
 *
 * ## Defaults and why (differs from WSO2, which suspends for 30 s on any error)
 * - `initialMs: 1000` — a refused connection usually means a restart or a deploy that takes
 *   seconds, not minutes. One second keeps nearly all traffic away from a dead member (a refused
 *   connect costs well under a millisecond, so even a flood of retries is cheap) while letting a
 *   recovered member take traffic again about a second after it is back. WSO2's 30 s leaves a
 *   healthy backend idle for half a minute after every blip, which is what surprises its users.
 * - `progressionFactor: 2`, `maxMs: 60000` — a member that stays down is probed 1, 2, 4, 8 … s
 *   apart, so a long outage costs one failed probe per minute at most, and a single probe (never a
 *   burst of waiting requests, as in WSO2) decides whether the member is back.
 * - `retriesBeforeSuspension: 1` for timeouts and configured status codes / SOAP faults — one
 *   slow answer is often one expensive request, not a sick backend; a second failure in a row
 *   suspends. Connect-level errors suspend at once: nothing was processed and a retry elsewhere
 *   is free, so there is nothing to gain by trying the same member again.
 * - `initialMs: 0` or `maxMs: 0` disables suspension: the member always stays ACTIVE (failover
 *   still moves each failed request to the next member).
 */

export type EndpointState =
  | { readonly kind: 'ACTIVE' }
  | { readonly kind: 'TIMEOUT'; readonly retriesLeft: number }
  | { readonly kind: 'SUSPENDED'; readonly until: number; readonly lastSuspendMs: number; readonly probing: boolean };

/**
 * What a failure says about the backend. `connect`: no usable connection (refused, reset before
 * an answer, DNS, TLS). `timeout`: connected but no answer in time. `response`: it answered
 * with a status code or SOAP fault the group is configured to fail over on.
 */
export type FailureKind = 'connect' | 'timeout' | 'response';

export type EndpointEvent =
  | { readonly type: 'success' }
  | { readonly type: 'failure'; readonly failure: FailureKind }
  /** A request is about to go out while SUSPENDED and the time is up: it becomes the probe. */
  | { readonly type: 'probe-start' }
  /** The probe ended without telling anything about the backend (e.g. the client went away). */
  | { readonly type: 'probe-abort' };

export interface SuspensionPolicy {
  readonly initialMs: number;
  readonly progressionFactor: number;
  readonly maxMs: number;
  readonly retriesBeforeSuspension: number;
}

export const DEFAULT_SUSPENSION: SuspensionPolicy = Object.freeze({
  initialMs: 1000,
  progressionFactor: 2,
  maxMs: 60_000,
  retriesBeforeSuspension: 1,
});

export const ACTIVE: EndpointState = Object.freeze({ kind: 'ACTIVE' });

/** Config values over the defaults; a progression factor below 1 would shrink suspensions. */
export function suspensionPolicy(cfg: Partial<SuspensionPolicy> = {}): SuspensionPolicy {
  return {
    initialMs: cfg.initialMs ?? DEFAULT_SUSPENSION.initialMs,
    progressionFactor: Math.max(1, cfg.progressionFactor ?? DEFAULT_SUSPENSION.progressionFactor),
    maxMs: cfg.maxMs ?? DEFAULT_SUSPENSION.maxMs,
    retriesBeforeSuspension: cfg.retriesBeforeSuspension ?? DEFAULT_SUSPENSION.retriesBeforeSuspension,
  };
}

/** Either bound at 0 makes every suspension 0 ms long, so treat it as "off" explicitly. */
export function suspensionDisabled(p: SuspensionPolicy): boolean {
  return p.initialMs <= 0 || p.maxMs <= 0;
}

/**
 * May a request be sent now? ACTIVE and TIMEOUT: yes. SUSPENDED: only once the time is up and
 * no probe is already out — the caller then sends `probe-start` before sending.
 */
export function admits(s: EndpointState, now: number): boolean {
  if (s.kind !== 'SUSPENDED') return true;
  return now >= s.until && !s.probing;
}

function suspend(ms: number, p: SuspensionPolicy, now: number): EndpointState {
  const capped = Math.min(ms, p.maxMs);
  return { kind: 'SUSPENDED', until: now + capped, lastSuspendMs: capped, probing: false };
}

/**
 * The one transition function. Returns `s` itself when nothing changes, so holders can compare
 * by identity to decide whether to emit `stateChange` (and whether a probe was granted).
 */
export function nextState(s: EndpointState, e: EndpointEvent, p: SuspensionPolicy, now: number): EndpointState {
  if (suspensionDisabled(p)) return s.kind === 'ACTIVE' ? s : ACTIVE;
  switch (e.type) {
    case 'success':
      // Any answer proves the backend is up; a success also resets the progression.
      return s.kind === 'ACTIVE' ? s : ACTIVE;
    case 'probe-start':
      return s.kind === 'SUSPENDED' && admits(s, now) ? { ...s, probing: true } : s;
    case 'probe-abort':
      return s.kind === 'SUSPENDED' && s.probing ? { ...s, probing: false } : s;
    case 'failure':
      return onFailure(s, e.failure, p, now);
  }
}

function onFailure(s: EndpointState, failure: FailureKind, p: SuspensionPolicy, now: number): EndpointState {
  switch (s.kind) {
    case 'ACTIVE':
      if (failure === 'connect' || p.retriesBeforeSuspension <= 0) return suspend(p.initialMs, p, now);
      return { kind: 'TIMEOUT', retriesLeft: p.retriesBeforeSuspension };
    case 'TIMEOUT':
      if (failure !== 'connect' && s.retriesLeft > 1) return { kind: 'TIMEOUT', retriesLeft: s.retriesLeft - 1 };
      return suspend(p.initialMs, p, now);
    case 'SUSPENDED':
      // Only the probe's failure lengthens the suspension: late failures of requests that were
      // already in flight when the member was suspended describe the same outage.
      return s.probing ? suspend(s.lastSuspendMs * p.progressionFactor, p, now) : s;
  }
}
