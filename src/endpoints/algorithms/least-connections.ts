import type { Balancer, BalancedMember } from './balancer';

/**
 * The eligible member with the fewest requests in flight. Ties rotate (rather than always
 * favouring the first member) so that idle members share light traffic evenly.
 */
export function leastConnections(members: readonly BalancedMember[]): Balancer {
  let cursor = 0;
  return {
    pick(eligible) {
      let best: number | undefined;
      let bestLoad = Infinity;
      for (let k = 0; k < members.length; k++) {
        const i = (cursor + k) % members.length;
        if (!eligible(i)) continue;
        const load = members[i]!.load();
        if (load < bestLoad) {
          best = i;
          bestLoad = load;
        }
      }
      if (best !== undefined) cursor = (best + 1) % members.length;
      return best;
    },
  };
}
