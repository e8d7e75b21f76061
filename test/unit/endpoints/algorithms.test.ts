import { leastConnections, roundRobin, weightedRoundRobin } from '../../../src/endpoints/algorithms';

const all = (): boolean => true;
const members = (weights: number[], loads: number[] = []) => weights.map((weight, i) => ({ weight, load: () => loads[i] ?? 0 }));

describe('roundRobin', () => {
  it('takes turns and hands an ineligible member’s turn to the next', () => {
    const b = roundRobin(3);
    expect([1, 2, 3, 4].map(() => b.pick(all))).toEqual([0, 1, 2, 0]);
    expect([1, 2, 3].map(() => b.pick((i) => i !== 2))).toEqual([1, 0, 1]);
    expect(b.pick(() => false)).toBeUndefined();
  });
});

describe('weightedRoundRobin (smooth, like nginx)', () => {
  it('interleaves 5:1:1 as a a b a c a a', () => {
    const b = weightedRoundRobin(members([5, 1, 1]));
    expect(Array.from({ length: 7 }, () => b.pick(all))).toEqual([0, 0, 1, 0, 2, 0, 0]);
  });

  it('gives shares within ±5% of the weights over 10k picks', () => {
    const weights = [5, 3, 2];
    const b = weightedRoundRobin(members(weights));
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[b.pick(all)!]!++;
    weights.forEach((w, i) => expect(Math.abs(counts[i]! / 10_000 - w / 10)).toBeLessThan(0.05));
  });

  it('skips an unavailable member without building up a backlog of turns for it', () => {
    const b = weightedRoundRobin(members([1, 1]));
    for (let i = 0; i < 100; i++) expect(b.pick((k) => k === 0)).toBe(0);
    // back: it alternates at once instead of receiving 100 requests in a row
    expect(Array.from({ length: 4 }, () => b.pick(all)).sort()).toEqual([0, 0, 1, 1]);
  });
});

describe('leastConnections', () => {
  it('picks the member with fewest in-flight requests, rotating ties', () => {
    expect(leastConnections(members([1, 1, 1], [3, 1, 2])).pick(all)).toBe(1);
    const b = leastConnections(members([1, 1, 1]));
    expect([1, 2, 3].map(() => b.pick(all))).toEqual([0, 1, 2]);
    expect(leastConnections(members([1, 1], [0, 5])).pick((i) => i === 1)).toBe(1);
  });
});
