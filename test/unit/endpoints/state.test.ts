import { ACTIVE, admits, nextState, suspensionPolicy, type EndpointEvent, type EndpointState, type SuspensionPolicy } from '../../../src/endpoints/state';

const policy: SuspensionPolicy = { initialMs: 1000, progressionFactor: 2, maxMs: 5000, retriesBeforeSuspension: 2 };
const connect: EndpointEvent = { type: 'failure', failure: 'connect' };
const timeout: EndpointEvent = { type: 'failure', failure: 'timeout' };
const success: EndpointEvent = { type: 'success' };
const probe: EndpointEvent = { type: 'probe-start' };

function run(events: EndpointEvent[], p = policy, s: EndpointState = ACTIVE, now = 0): EndpointState {
  return events.reduce((acc, e) => nextState(acc, e, p, now), s);
}

describe('nextState', () => {
  it('stays ACTIVE on success and returns the same object (no change to emit)', () => {
    expect(nextState(ACTIVE, success, policy, 0)).toBe(ACTIVE);
  });

  it('suspends at once on a connect-level failure, for initialMs', () => {
    expect(nextState(ACTIVE, connect, policy, 100)).toEqual({ kind: 'SUSPENDED', until: 1100, lastSuspendMs: 1000, probing: false });
  });

  it('goes ACTIVE → TIMEOUT on a timeout and suspends after retriesBeforeSuspension more failures', () => {
    const t1 = nextState(ACTIVE, timeout, policy, 0);
    expect(t1).toEqual({ kind: 'TIMEOUT', retriesLeft: 2 });
    const t2 = nextState(t1, { type: 'failure', failure: 'response' }, policy, 0);
    expect(t2).toEqual({ kind: 'TIMEOUT', retriesLeft: 1 });
    expect(nextState(t2, timeout, policy, 50)).toEqual({ kind: 'SUSPENDED', until: 1050, lastSuspendMs: 1000, probing: false });
  });

  it('suspends on the first timeout when retriesBeforeSuspension is 0', () => {
    expect(nextState(ACTIVE, timeout, { ...policy, retriesBeforeSuspension: 0 }, 0).kind).toBe('SUSPENDED');
  });

  it('suspends from TIMEOUT on a connect failure regardless of retries left', () => {
    expect(nextState({ kind: 'TIMEOUT', retriesLeft: 5 }, connect, policy, 0).kind).toBe('SUSPENDED');
  });

  it('returns from TIMEOUT to ACTIVE on success; TIMEOUT still admits requests', () => {
    expect(admits({ kind: 'TIMEOUT', retriesLeft: 1 }, 0)).toBe(true);
    expect(nextState({ kind: 'TIMEOUT', retriesLeft: 1 }, success, policy, 0)).toBe(ACTIVE);
  });

  it('refuses requests while suspended and admits exactly one probe when the time is up', () => {
    const s = run([connect], policy, ACTIVE, 0);
    expect(admits(s, 999)).toBe(false);
    expect(nextState(s, probe, policy, 999)).toBe(s); // too early: refused
    expect(admits(s, 1000)).toBe(true);
    const probing = nextState(s, probe, policy, 1000);
    expect(probing).toEqual({ kind: 'SUSPENDED', until: 1000, lastSuspendMs: 1000, probing: true });
    // 2. a concurrent request must not become a second probe
    expect(admits(probing, 1001)).toBe(false);
    expect(nextState(probing, probe, policy, 1001)).toBe(probing);
  });

  it('probe success → ACTIVE and the progression restarts at initialMs', () => {
    const probing = run([connect, probe], policy, ACTIVE, 0);
    const again = run([success, connect], policy, probing, 2000);
    expect(again).toEqual({ kind: 'SUSPENDED', until: 3000, lastSuspendMs: 1000, probing: false });
  });

  it('probe failure → suspension × factor, capped at maxMs', () => {
    let s = nextState(ACTIVE, connect, policy, 0);
    const lengths: number[] = [];
    for (let i = 0; i < 5; i++) {
      const at = s.kind === 'SUSPENDED' ? s.until : 0;
      s = run([probe, timeout], policy, s, at);
      if (s.kind === 'SUSPENDED') lengths.push(s.lastSuspendMs);
    }
    expect(lengths).toEqual([2000, 4000, 5000, 5000, 5000]);
  });

  it('caps even the first suspension when initialMs > maxMs', () => {
    expect(nextState(ACTIVE, connect, { ...policy, initialMs: 9000 }, 0)).toMatchObject({ lastSuspendMs: 5000, until: 5000 });
  });

  it('ignores late failures of requests that were in flight before the suspension', () => {
    const s = nextState(ACTIVE, connect, policy, 0);
    expect(nextState(s, connect, policy, 10)).toBe(s);
  });

  it('probe-abort hands the probe to the next request without lengthening the suspension', () => {
    const probing = run([connect, probe], policy, ACTIVE, 1000);
    const released = nextState(probing, { type: 'probe-abort' }, policy, 2100);
    expect(released).toEqual({ kind: 'SUSPENDED', until: 2000, lastSuspendMs: 1000, probing: false });
    expect(admits(released, 2100)).toBe(true);
    expect(nextState(ACTIVE, { type: 'probe-abort' }, policy, 0)).toBe(ACTIVE);
  });

  it('initialMs 0 and maxMs 0 disable suspension entirely', () => {
    const off = { ...policy, initialMs: 0, maxMs: 0 };
    expect(run([connect, timeout, connect], off)).toBe(ACTIVE);
    expect(nextState({ kind: 'TIMEOUT', retriesLeft: 1 }, timeout, off, 0)).toBe(ACTIVE);
  });

  it('defaults: 1 s, ×2, 60 s cap, one retry after a timeout; a factor below 1 is raised to 1', () => {
    expect(suspensionPolicy()).toEqual({ initialMs: 1000, progressionFactor: 2, maxMs: 60000, retriesBeforeSuspension: 1 });
    expect(suspensionPolicy({ progressionFactor: 0.5, initialMs: 10 })).toMatchObject({ progressionFactor: 1, initialMs: 10 });
  });
});
