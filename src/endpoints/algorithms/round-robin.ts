import type { Balancer } from './balancer';

/** Each member in turn; an ineligible member's turn goes to the next eligible one. */
export function roundRobin(count: number): Balancer {
  let cursor = 0;
  return {
    pick(eligible) {
      for (let k = 0; k < count; k++) {
        const i = (cursor + k) % count;
        if (eligible(i)) {
          cursor = (i + 1) % count;
          return i;
        }
      }
      return undefined;
    },
  };
}
