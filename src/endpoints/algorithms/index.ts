import type { Balancer, BalancedMember } from './balancer';
import { roundRobin } from './round-robin';
import { weightedRoundRobin } from './weighted-round-robin';
import { leastConnections } from './least-connections';

export type { Balancer, BalancedMember } from './balancer';
export { roundRobin, weightedRoundRobin, leastConnections };

export type AlgorithmName = 'roundRobin' | 'weightedRoundRobin' | 'leastConnections';

export function createBalancer(name: AlgorithmName, members: readonly BalancedMember[]): Balancer {
  switch (name) {
    case 'roundRobin':
      return roundRobin(members.length);
    case 'weightedRoundRobin':
      return weightedRoundRobin(members);
    case 'leastConnections':
      return leastConnections(members);
  }
}
