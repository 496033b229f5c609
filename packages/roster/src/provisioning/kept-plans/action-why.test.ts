import { describe, expect, it } from 'vitest';
import { actionWhy } from './action-why.ts';

describe('actionWhy: the Why column of a kept plan', () => {
  it('names the scope a deprovisioned user left', () => {
    expect(actionWhy({ kind: 'delete', steps: [{ name: 'scope', outcome: 'out of scope', detail: 'no longer assigned' }, { name: 'action', outcome: 'delete' }] })).toBe('Out of scope: no longer assigned');
    expect(actionWhy({ kind: 'deprovision-suspend', steps: [{ name: 'scope', outcome: 'out of scope', detail: 'clause department equals Sales was false' }, { name: 'action', outcome: 'suspend', detail: 'deprovision by suspending (sync actions)' }] })).toBe(
      'Out of scope: clause department equals Sales was false',
    );
  });

  it('a suspension by directory deactivation, a drift repair, an update, a create, a skip', () => {
    const linked = [{ name: 'scope' as const, outcome: 'in scope', detail: 'role agent' }, { name: 'match' as const, outcome: 'linked', detail: 'target 9' }];
    expect(actionWhy({ kind: 'suspend', steps: [...linked, { name: 'action', outcome: 'suspend', detail: 'suspended' }], changes: [{ property: 'suspended', old: false, new: true }] })).toBe('Inactive in the directory');
    expect(actionWhy({ kind: 'suspend', steps: [...linked, { name: 'action', outcome: 'suspend', detail: 'drift repaired: suspended' }], changes: [{ property: 'suspended', old: false, new: true }] })).toBe('Drift repaired: suspended');
    expect(actionWhy({ kind: 'update', steps: [...linked, { name: 'action', outcome: 'update', detail: 'name, email' }] })).toBe('Changed in the directory: name, email');
    expect(actionWhy({ kind: 'create', steps: [{ name: 'scope', outcome: 'in scope', detail: 'role agent' }, { name: 'action', outcome: 'create' }] })).toBe('In scope, and no account in the target yet');
    expect(actionWhy({ kind: 'link', steps: [{ name: 'scope', outcome: 'in scope' }, { name: 'match', outcome: 'matched' }, { name: 'action', outcome: 'link', detail: 'then update name' }] })).toBe('In scope, and an existing account matches: then update name');
    expect(actionWhy({ kind: 'skip', reason: 'the user is inactive in the directory and has no account to suspend', steps: [] })).toBe('The user is inactive in the directory and has no account to suspend');
  });

  it('a group deleted because it was unassigned', () => {
    expect(actionWhy({ kind: 'delete', steps: [{ name: 'scope', outcome: 'out of scope', detail: 'no longer assigned' }, { name: 'action', outcome: 'delete' }], changes: [{ property: 'name', old: 'Sales', new: null }] })).toBe('Out of scope: no longer assigned');
  });
});
