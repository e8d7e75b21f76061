import type { Balancer, BalancedMember } from './balancer';

/**
 * Smooth weighted round robin (nginx's `ngx_http_upstream_get_peer`): every pick adds each
 * eligible member's weight to its running score, takes the highest score and subtracts the total
 * weight of the eligible members from it. Weights 5:1:1 give a,a,b,a,c,a,a rather than a burst
 * of five a's, and an ineligible member neither gets turns nor builds up a backlog of them.
 */
export function weightedRoundRobin(members: readonly BalancedMember[]): Balancer {
  const score = members.map(() => 0);
  return {
    pick(eligible) {
      let best: number | undefined;
      let total = 0;
      for (let i = 0; i < members.length; i++) {
        if (!eligible(i)) continue;
        const w = members[i]!.weight;
        score[i]! += w;
        total += w;
        if (best === undefined || score[i]! > score[best]!) best = i;
      }
      if (best !== undefined) score[best]! -= total;
      return best;
    },
  };
}
