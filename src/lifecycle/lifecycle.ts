import type { lifecycleStates } from '../config/schema';

export type LifecycleState = (typeof lifecycleStates)[number];

/** WSO2 API Manager's lifecycle actions, as a user types them in `POST /apis/{name}/lifecycle`. */
export const LIFECYCLE_ACTIONS = ['Publish', 'Deploy as Prototype', 'Demote to Created', 'Block', 'Deprecate', 'Re-Publish', 'Retire'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/**
 * The whole lifecycle in one table (WSO2's default API lifecycle):
 * Created → Publish | Deploy as Prototype; Prototyped → Publish | Demote to Created | Deploy as
 * Prototype; Published → Block | Deploy as Prototype | Demote to Created | Deprecate | Publish;
 * Blocked → Deprecate | Re-Publish; Deprecated → Retire; Retired is final.
 */
const TRANSITIONS: Readonly<Record<LifecycleState, Partial<Record<LifecycleAction, LifecycleState>>>> = {
  CREATED: { Publish: 'PUBLISHED', 'Deploy as Prototype': 'PROTOTYPED' },
  PROTOTYPED: { Publish: 'PUBLISHED', 'Demote to Created': 'CREATED', 'Deploy as Prototype': 'PROTOTYPED' },
  PUBLISHED: { Block: 'BLOCKED', 'Deploy as Prototype': 'PROTOTYPED', 'Demote to Created': 'CREATED', Deprecate: 'DEPRECATED', Publish: 'PUBLISHED' },
  BLOCKED: { Deprecate: 'DEPRECATED', 'Re-Publish': 'PUBLISHED' },
  DEPRECATED: { Retire: 'RETIRED' },
  RETIRED: {},
};

export type TransitionResult = { ok: true; state: LifecycleState } | { ok: false; allowed: LifecycleAction[] };

/** Pure: the state an action leads to, or the actions allowed from `from`. */
export function applyLifecycleAction(from: LifecycleState, action: string): TransitionResult {
  const row = TRANSITIONS[from];
  // Own keys only: `action` comes from the user, and "constructor" or "__proto__" must not
  // resolve to Object.prototype members.
  const to = Object.hasOwn(row, action) ? row[action as LifecycleAction] : undefined;
  return to ? { ok: true, state: to } : { ok: false, allowed: Object.keys(row) as LifecycleAction[] };
}

/** What a state serves: prototypes only before publishing, real backends only once published. */
export type ServingDecision = 'serve' | 'not-served' | 'blocked';

export function servingDecision(state: LifecycleState, endpointIsPrototype: boolean): ServingDecision {
  switch (state) {
    case 'CREATED':
    case 'PROTOTYPED':
      return endpointIsPrototype ? 'serve' : 'not-served';
    case 'PUBLISHED':
    case 'DEPRECATED':
      return endpointIsPrototype ? 'not-served' : 'serve';
    case 'BLOCKED':
      return 'blocked';
    case 'RETIRED':
      return 'not-served';
  }
}
