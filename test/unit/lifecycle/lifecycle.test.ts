import { applyLifecycleAction, servingDecision, LIFECYCLE_ACTIONS, type LifecycleAction, type LifecycleState } from '../../../src/lifecycle/lifecycle';
import { lifecycleStates } from '../../../src/config/schema';

/**
 * WSO2's default API lifecycle, written out independently of the implementation's table:
 * every (state, action) pair not listed here must be refused.
 */
const EXPECTED: Record<LifecycleState, Partial<Record<LifecycleAction, LifecycleState>>> = {
  CREATED: { Publish: 'PUBLISHED', 'Deploy as Prototype': 'PROTOTYPED' },
  PROTOTYPED: { Publish: 'PUBLISHED', 'Demote to Created': 'CREATED', 'Deploy as Prototype': 'PROTOTYPED' },
  PUBLISHED: { Block: 'BLOCKED', 'Deploy as Prototype': 'PROTOTYPED', 'Demote to Created': 'CREATED', Deprecate: 'DEPRECATED', Publish: 'PUBLISHED' },
  BLOCKED: { Deprecate: 'DEPRECATED', 'Re-Publish': 'PUBLISHED' },
  DEPRECATED: { Retire: 'RETIRED' },
  RETIRED: {},
};

const cases = lifecycleStates.flatMap((from) => LIFECYCLE_ACTIONS.map((action) => ({ from, action, to: EXPECTED[from][action] })));

test('the table covers 6 states x 7 actions', () => {
  expect(lifecycleStates).toHaveLength(6);
  expect(LIFECYCLE_ACTIONS).toHaveLength(7);
  expect(cases).toHaveLength(42);
});

describe.each(cases.filter((c) => c.to !== undefined))('allowed: $from --$action-->', ({ from, action, to }) => {
  test(`leads to ${to}`, () => {
    expect(applyLifecycleAction(from, action)).toEqual({ ok: true, state: to });
  });
});

describe.each(cases.filter((c) => c.to === undefined))('refused: $from --$action-->', ({ from, action }) => {
  test('lists exactly the actions allowed from that state', () => {
    const result = applyLifecycleAction(from, action);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...result.allowed].sort()).toEqual(Object.keys(EXPECTED[from]).sort());
  });
});

test('RETIRED is final: no action leaves it and none is offered', () => {
  for (const action of LIFECYCLE_ACTIONS) expect(applyLifecycleAction('RETIRED', action)).toEqual({ ok: false, allowed: [] });
});

test('action names are exact (WSO2 spelling, case-sensitive)', () => {
  expect(applyLifecycleAction('CREATED', 'publish').ok).toBe(false);
  expect(applyLifecycleAction('BLOCKED', 'Republish').ok).toBe(false);
  expect(applyLifecycleAction('PUBLISHED', ' Block').ok).toBe(false);
});

// Regression: the table was indexed with a user-supplied string, so Object.prototype members
// ("constructor", "toString", "__proto__") looked like allowed actions leading to a function.
test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('"%s" is not an action', (action) => {
  for (const from of lifecycleStates) {
    const result = applyLifecycleAction(from, action);
    expect(result).toEqual({ ok: false, allowed: Object.keys(EXPECTED[from]) });
  }
});

describe('servingDecision', () => {
  const table: [LifecycleState, 'serve' | 'not-served' | 'blocked', 'serve' | 'not-served' | 'blocked'][] = [
    // state, real backend, prototype endpoint
    ['CREATED', 'not-served', 'serve'],
    ['PROTOTYPED', 'not-served', 'serve'],
    ['PUBLISHED', 'serve', 'not-served'],
    ['BLOCKED', 'blocked', 'blocked'],
    ['DEPRECATED', 'serve', 'not-served'],
    ['RETIRED', 'not-served', 'not-served'],
  ];
  test.each(table)('%s: backend %s, prototype %s', (state, backend, prototype) => {
    expect(servingDecision(state, false)).toBe(backend);
    expect(servingDecision(state, true)).toBe(prototype);
  });

  test('prototypes are refused outside CREATED/PROTOTYPED', () => {
    const served = lifecycleStates.filter((s) => servingDecision(s, true) === 'serve');
    expect(served).toEqual(['CREATED', 'PROTOTYPED']);
  });
});
