/**
 * A load-balancing strategy: which member gets the next attempt. `eligible` filters out members
 * that are unavailable or were already tried for this request, so every strategy skips them
 * instead of handing out a turn that would fail (unlike WSO2's weighted round robin).
 */
export interface Balancer {
  pick(eligible: (i: number) => boolean): number | undefined;
}

export interface BalancedMember {
  readonly weight: number;
  /** Requests in flight on the member right now (leastConnections). */
  readonly load: () => number;
}
