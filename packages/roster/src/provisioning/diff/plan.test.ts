import { describe, expect, it } from 'vitest';
import type { TargetRole, TargetUser } from '../../connectors/contract.ts';
import { zendeskRoleRules } from '../../connectors/zendesk/role-rules.ts';
import { defaultSettings } from '../config/settings-schema.ts';
import { type PlanInput, planUsers } from './plan.ts';
import { changesOf } from './action-changes.ts';
import type { DesiredUser, PlanAction, UserLink } from './plan-types.ts';

const ID = '00000000-0000-4000-8000-000000000001';

const desired = (over: Partial<DesiredUser> = {}): DesiredUser => ({
  directoryId: ID,
  identity: 'ada@example.com',
  externalId: ID,
  roleKey: 'agent',
  suspended: false,
  attributes: { name: 'Ada Lovelace', email: 'ada@example.com' },
  createAttributes: {},
  hash: 'h1',
  ...over,
});

/** The default Zendesk mappings' other fields, as the directory renders them. */
const full = { phone: '+44 20 7946 0000', time_zone: 'Europe/Copenhagen', locale: 'en-GB', organization: 'Acme', details: 'Engineer' };

const written = { externalId: ID, roleKey: 'agent', suspended: false, attributes: { name: 'Ada Lovelace', email: 'ada@example.com' } };
const link = (over: Partial<UserLink> = {}): UserLink => ({ directoryId: ID, targetId: '900', lastHash: 'h1', lastWritten: written, state: 'provisioned', ...over });

const target = (over: Partial<TargetUser> = {}): TargetUser => ({
  id: '900',
  externalId: ID,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  roleKey: 'agent',
  suspended: false,
  active: true,
  attributes: {},
  ...over,
});

const roles: TargetRole[] = [
  { key: 'end-user', label: 'End user', kind: 'end-user' },
  { key: 'agent', label: 'Agent', kind: 'agent' },
  { key: 'admin', label: 'Admin', kind: 'admin' },
  { key: 'custom:7', label: 'Light agent', kind: 'custom' },
  { key: 'custom:9', label: 'Billing', kind: 'custom', typeCode: 5 },
];

type Settings = PlanInput['settings'];
const settings = (sync: Partial<Settings['syncActions']> = {}, matching: string[] = ['external_id', 'email']): Settings => ({
  syncActions: { ...defaultSettings().syncActions, ...sync },
  matching,
});

const input = (over: Partial<PlanInput>): PlanInput => ({ desired: [], skipped: [], links: [], settings: settings(), capabilities: { suspend: true }, ...over });

/** A compact view of an action for the tables. */
function view(a: PlanAction): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: a.kind };
  if ('targetId' in a) out['targetId'] = a.targetId;
  if ('patch' in a) out['patch'] = a.patch;
  if (a.kind === 'skip') out['code'] = a.code;
  if (a.kind === 'create') out['probes'] = a.probes.map((p) => p.field);
  if ('confirms' in a) out['confirms'] = a.confirms;
  return out;
}

interface Case {
  name: string;
  input: PlanInput;
  expect: Record<string, unknown>[];
  unchanged?: number;
}

const cases: Case[] = [
  { name: 'new user → create with probes for the matching order', input: input({ desired: [desired()] }), expect: [{ kind: 'create', probes: ['external_id', 'email'] }] },
  { name: 'new user, create switched off → skip', input: input({ desired: [desired()], settings: settings({ create: false }) }), expect: [{ kind: 'skip', code: 'create_disabled' }] },
  { name: 'new inactive user, no read of the target → find (looked up, then suspended), never created suspended', input: input({ desired: [desired({ suspended: true })] }), expect: [{ kind: 'find' }] },
  { name: 'new inactive user, snapshot without an account → skip', input: input({ desired: [desired({ suspended: true })], snapshot: [] }), expect: [{ kind: 'skip', code: 'inactive' }] },
  { name: 'new inactive user, activate/deactivate off → skip', input: input({ desired: [desired({ suspended: true })], settings: settings({ activateDeactivate: false }) }), expect: [{ kind: 'skip', code: 'inactive' }] },
  { name: 'linked and same hash → unchanged', input: input({ desired: [desired()], links: [link()] }), expect: [], unchanged: 1 },
  {
    name: 'renamed → update with only the changed field',
    input: input({ desired: [desired({ attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link()] }),
    expect: [{ kind: 'update', targetId: '900', patch: { attributes: { name: 'Ada King' } } }],
  },
  {
    name: 'renamed but update switched off → unchanged',
    input: input({ desired: [desired({ attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link()], settings: settings({ update: false }) }),
    expect: [],
    unchanged: 1,
  },
  { name: 'role changed → role pushed', input: input({ desired: [desired({ roleKey: 'admin', hash: 'h3' })], links: [link()] }), expect: [{ kind: 'update', targetId: '900', patch: { roleKey: 'admin' } }] },
  {
    name: 'external id mapping changed → pushed',
    input: input({ desired: [desired({ externalId: 'E-1', hash: 'h4' })], links: [link()] }),
    expect: [{ kind: 'update', targetId: '900', patch: { externalId: 'E-1' } }],
  },
  { name: 'deactivated → suspend', input: input({ desired: [desired({ suspended: true })], links: [link()] }), expect: [{ kind: 'suspend', targetId: '900', patch: { suspended: true } }] },
  {
    name: 'deactivated, activate/deactivate switched off → unchanged',
    input: input({ desired: [desired({ suspended: true })], links: [link()], settings: settings({ activateDeactivate: false }) }),
    expect: [],
    unchanged: 1,
  },
  { name: 'deactivated but target cannot suspend → unchanged', input: input({ desired: [desired({ suspended: true })], links: [link()], capabilities: { suspend: false } }), expect: [], unchanged: 1 },
  { name: 'reactivated → unsuspend', input: input({ desired: [desired()], links: [link({ state: 'suspended' })] }), expect: [{ kind: 'unsuspend', targetId: '900', patch: { suspended: false } }] },
  {
    name: 'deactivated and renamed → one suspend carrying the rename',
    input: input({ desired: [desired({ suspended: true, attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link()] }),
    expect: [{ kind: 'suspend', targetId: '900', patch: { attributes: { name: 'Ada King' }, suspended: true } }],
  },
  { name: 'unassigned → delete', input: input({ links: [link()] }), expect: [{ kind: 'delete', targetId: '900' }] },
  { name: 'unassigned, deprovision = suspend → suspend', input: input({ links: [link()], settings: settings({ deprovision: 'suspend' }) }), expect: [{ kind: 'deprovision-suspend', targetId: '900' }] },
  { name: 'unassigned, already suspended by deprovision → unchanged', input: input({ links: [link({ state: 'suspended' })], settings: settings({ deprovision: 'suspend' }) }), expect: [], unchanged: 1 },
  {
    name: 'reassigned after deprovision-suspend, activate/deactivate off → still unsuspended',
    input: input({ desired: [desired()], links: [link({ state: 'suspended' })], settings: settings({ deprovision: 'suspend', activateDeactivate: false }) }),
    expect: [{ kind: 'unsuspend', targetId: '900', patch: { suspended: false } }],
  },
  { name: 'unassigned, delete switched off → unchanged', input: input({ links: [link()], settings: settings({ delete: false }) }), expect: [], unchanged: 1 },
  {
    name: 'moved to Default Access while linked → deprovisioned',
    input: input({ skipped: [{ directoryId: ID, identity: 'ada@example.com', code: 'default_access', reason: 'Default Access' }], links: [link()] }),
    expect: [{ kind: 'delete', targetId: '900' }],
  },
  { name: 'Default Access, never linked → skip', input: input({ skipped: [{ directoryId: ID, identity: 'ada@example.com', code: 'default_access', reason: 'Default Access' }] }), expect: [{ kind: 'skip', code: 'default_access' }] },
  {
    name: 'mapping error → skip (failed), link kept',
    input: input({ skipped: [{ directoryId: ID, identity: 'ada@example.com', code: 'mapping_error', reason: 'name: bad', failed: true }], links: [link()] }),
    expect: [{ kind: 'skip', code: 'mapping_error' }],
  },
  { name: 'role unknown to the account → skip', input: input({ desired: [desired({ roleKey: 'custom:404' })], roles }), expect: [{ kind: 'skip', code: 'unknown_role' }] },
  { name: 'custom role known → create', input: input({ desired: [desired({ roleKey: 'custom:7' })], roles }), expect: [{ kind: 'create', probes: ['external_id', 'email'] }] },
  { name: 'billing admin role for a new account → skip', input: input({ desired: [desired({ roleKey: 'custom:9' })], roles, roleRules: zendeskRoleRules }), expect: [{ kind: 'skip', code: 'billing_admin_requires_admin' }] },
  { name: 'snapshot, no match → create without probes', input: input({ desired: [desired()], snapshot: [target({ id: '1', externalId: 'x', email: 'other@example.com' })] }), expect: [{ kind: 'create', probes: [] }] },
  {
    name: 'snapshot, matched by external id → link, nothing to update',
    input: input({ desired: [desired()], snapshot: [target()] }),
    expect: [{ kind: 'link', targetId: '900', patch: {} }],
  },
  {
    name: 'snapshot, matched by email (any case) → link, external id and name written',
    input: input({ desired: [desired()], snapshot: [target({ externalId: null, email: 'ADA@example.com', name: 'A. L.' })] }),
    expect: [{ kind: 'link', targetId: '900', patch: { attributes: { name: 'Ada Lovelace' }, externalId: ID } }],
  },
  {
    name: 'snapshot, matched account keeps its own value where the mapping renders nothing',
    input: input({ desired: [desired({ attributes: { name: 'Ada Lovelace', email: 'ada@example.com', time_zone: null } })], snapshot: [target({ attributes: { time_zone: 'America/New_York' } })] }),
    expect: [{ kind: 'link', targetId: '900', patch: {} }],
  },
  {
    name: 'snapshot, matched account is suspended → link and unsuspend',
    input: input({ desired: [desired()], snapshot: [target({ suspended: true })] }),
    expect: [{ kind: 'link', targetId: '900', patch: { suspended: false } }],
  },
  {
    name: 'snapshot, matching order email only ignores external id',
    input: input({ desired: [desired()], snapshot: [target({ email: 'someone@example.com' })], settings: settings({}, ['email']) }),
    expect: [{ kind: 'create', probes: [] }],
  },
  {
    name: 'snapshot, two accounts with the email → skip as ambiguous',
    input: input({ desired: [desired()], snapshot: [target({ id: '1', externalId: null }), target({ id: '2', externalId: null })] }),
    expect: [{ kind: 'skip', code: 'ambiguous_match' }],
  },
  {
    name: 'snapshot, deleted account is not matched',
    input: input({ desired: [desired()], snapshot: [target({ active: false })] }),
    expect: [{ kind: 'create', probes: [] }],
  },
  {
    name: 'snapshot, account linked to someone else is not matched',
    input: input({ desired: [desired()], links: [link({ directoryId: 'other', targetId: '900' })], snapshot: [target()] }),
    expect: [{ kind: 'create', probes: [] }, { kind: 'delete', targetId: '900' }],
  },
  {
    name: 'snapshot, name edited in the target → drift repaired',
    input: input({ desired: [desired()], links: [link()], snapshot: [target({ name: 'Hacked' })] }),
    expect: [{ kind: 'update', targetId: '900', patch: { attributes: { name: 'Ada Lovelace' } } }],
  },
  {
    name: 'snapshot, role changed in the target → role restored',
    input: input({ desired: [desired()], links: [link()], snapshot: [target({ roleKey: 'end-user' })] }),
    expect: [{ kind: 'update', targetId: '900', patch: { roleKey: 'agent' } }],
  },
  {
    name: 'snapshot, suspended in the target while active here → unsuspend',
    input: input({ desired: [desired()], links: [link()], snapshot: [target({ suspended: true })] }),
    expect: [{ kind: 'unsuspend', targetId: '900', patch: { suspended: false } }],
  },
  {
    name: 'snapshot, linked account deleted in the target → created again',
    input: input({ desired: [desired()], links: [link()], snapshot: [] }),
    expect: [{ kind: 'create', probes: [] }],
  },
  {
    name: 'snapshot, target normalises an unmanaged attribute → no drift',
    input: input({ desired: [desired({ attributes: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 1' } })], links: [link({ lastWritten: { ...written, attributes: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 1' } } })], snapshot: [target({ attributes: { phone: '+441' } })] }),
    expect: [],
    unchanged: 1,
  },
  {
    name: 'snapshot, every managed field edited in the target → each restored',
    input: input({
      desired: [desired({ attributes: { ...full, name: 'Ada Lovelace', email: 'ada@example.com' } })],
      links: [link({ lastWritten: { ...written, attributes: { ...full, name: 'Ada Lovelace', email: 'ada@example.com' } } })],
      snapshot: [target({ name: 'Hacked', email: 'hacked@example.com', attributes: { phone: '+1 555', time_zone: 'Europe/Berlin', locale: 'de', organization: 'Other', details: 'Intern' } })],
    }),
    expect: [{ kind: 'update', targetId: '900', patch: { attributes: { ...full, name: 'Ada Lovelace', email: 'ada@example.com' } } }],
  },
  {
    name: 'snapshot, the target spells managed values its own way (case, phone punctuation, time zone form, date) → no drift',
    input: input({
      desired: [desired({ attributes: { ...full, name: 'Ada Lovelace', email: 'ada@example.com', 'user_fields.start': '2024-05-01' } })],
      links: [link()],
      snapshot: [target({ email: 'Ada@Example.com', attributes: { phone: '+44 20 7946 0000', time_zone: 'Copenhagen', locale: 'EN-gb', organization: 'ACME', details: 'Engineer', 'user_fields.start': '2024-05-01T00:00:00+00:00' } })],
      fields: [{ key: 'user_fields.start', label: 'Start', type: 'date', custom: true }],
    }),
    expect: [],
    unchanged: 1,
  },
  {
    name: 'snapshot, a mapped field the target does not report → no drift, nothing sent',
    input: input({ desired: [desired({ attributes: { name: 'Ada Lovelace', email: 'ada@example.com', 'user_fields.plan': 'gold' } })], links: [link()], snapshot: [target()] }),
    expect: [],
    unchanged: 1,
  },
  {
    name: 'drift report, name and role edited in the target → a drift action, nothing sent',
    input: input({ desired: [desired()], links: [link()], snapshot: [target({ name: 'Hacked', roleKey: 'admin' })], settings: { ...settings(), drift: 'report' } }),
    expect: [{ kind: 'drift', targetId: '900' }],
  },
  {
    name: 'drift report, suspended in the target → a drift action, not unsuspended',
    input: input({ desired: [desired()], links: [link()], snapshot: [target({ suspended: true })], settings: { ...settings(), drift: 'report' } }),
    expect: [{ kind: 'drift', targetId: '900' }],
  },
  {
    name: 'drift report, deactivated in the directory → still suspended (a directory change, not drift)',
    input: input({ desired: [desired({ suspended: true })], links: [link()], snapshot: [target()], settings: { ...settings(), drift: 'report' } }),
    expect: [{ kind: 'suspend', patch: { suspended: true } }],
  },
  {
    name: 'drift report, renamed in the directory and role edited in the target → the rename is pushed, the role only reported',
    input: input({
      desired: [desired({ attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })],
      links: [link()],
      snapshot: [target({ roleKey: 'end-user' })],
      settings: { ...settings(), drift: 'report' },
    }),
    expect: [{ kind: 'update', patch: { attributes: { name: 'Ada King' } } }],
  },
  {
    name: 'linked but never confirmed (no last write) → full update',
    input: input({ desired: [desired()], links: [link({ lastHash: null, lastWritten: null, state: 'linked' })] }),
    expect: [{ kind: 'update', targetId: '900', patch: { attributes: { name: 'Ada Lovelace', email: 'ada@example.com' }, roleKey: 'agent', externalId: ID } }],
  },
  {
    name: 'update off, renamed and deactivated → suspend only; the link keeps the old name',
    input: input({ desired: [desired({ suspended: true, attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link()], settings: settings({ update: false }) }),
    expect: [{ kind: 'suspend', patch: { suspended: true }, confirms: { written: { ...written, suspended: true }, hash: null, suspended: true } }],
  },
  {
    name: 'update back on after a held-back rename → the rename is pushed',
    input: input({ desired: [desired({ suspended: true, attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link({ lastHash: null, lastWritten: { ...written, suspended: true }, state: 'suspended' })] }),
    expect: [{ kind: 'update', patch: { attributes: { name: 'Ada King' } }, confirms: { written: { ...written, suspended: true, attributes: { name: 'Ada King', email: 'ada@example.com' } }, hash: 'h2', suspended: true } }],
  },
  {
    name: 'update on, suspend toggle off → the link records the account as still active',
    input: input({ desired: [desired({ suspended: true, attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link()], settings: settings({ activateDeactivate: false }) }),
    expect: [{ kind: 'update', patch: { attributes: { name: 'Ada King' } }, confirms: { written: { ...written, attributes: { name: 'Ada King', email: 'ada@example.com' } }, hash: 'h2', suspended: false } }],
  },
  {
    name: 'update off, never confirmed → nothing recorded as written',
    input: input({ desired: [desired({ suspended: true })], links: [link({ lastHash: null, lastWritten: null, state: 'linked' })], settings: settings({ update: false }) }),
    expect: [{ kind: 'suspend', patch: { suspended: true }, confirms: { written: null, hash: null, suspended: true } }],
  },
  {
    name: 'time zone emptied in the directory, the target cannot clear it → kept, logged, link settled',
    input: input({
      desired: [desired({ attributes: { name: 'Ada Lovelace', email: 'ada@example.com', time_zone: null, phone: null }, hash: 'h2' })],
      links: [link({ lastWritten: { ...written, attributes: { name: 'Ada Lovelace', email: 'ada@example.com', time_zone: 'Copenhagen', phone: '+45 1' } } })],
      fields: [{ key: 'time_zone', label: 'Time zone', type: 'string', custom: false, clearable: false }, { key: 'phone', label: 'Phone', type: 'string', custom: false }],
    }),
    expect: [{ kind: 'update', patch: { attributes: { phone: null } }, confirms: expect.objectContaining({ hash: 'h2' }) }],
  },
];

describe('planUsers', () => {
  it.each(cases)('$name', (c) => {
    const plan = planUsers(c.input);
    expect(plan.actions.map(view)).toEqual(c.expect.map((e) => expect.objectContaining(e)));
    expect(plan.unchanged).toBe(c.unchanged ?? 0);
  });

  it('applies on_create mappings only on create', () => {
    const d = desired({ createAttributes: { notes: 'welcome' } });
    const create = planUsers(input({ desired: [d] })).actions[0]!;
    expect(create.kind === 'create' && create.input.attributes).toEqual({ notes: 'welcome', name: 'Ada Lovelace', email: 'ada@example.com' });
    const update = planUsers(input({ desired: [{ ...d, attributes: { name: 'X', email: 'ada@example.com' }, hash: 'h9' }], links: [link()] })).actions[0]!;
    expect(update.kind === 'update' && update.patch.attributes).toEqual({ name: 'X' });
  });

  it('leaves empty values out of a create', () => {
    const create = planUsers(input({ desired: [desired({ attributes: { name: 'Ada', email: 'ada@example.com', time_zone: null, tags: [] } })] })).actions[0]!;
    expect(create.kind === 'create' && create.input.attributes).toEqual({ name: 'Ada', email: 'ada@example.com' });
  });

  it('shares the identical steps of many users (frozen); a create keeps no change list, its changes follow from what it sends', () => {
    const other = '00000000-0000-4000-8000-000000000002';
    const [a, b] = planUsers(input({ desired: [desired(), desired({ directoryId: other, externalId: other, identity: 'bo@example.com', attributes: { name: 'Bo', email: 'bo@example.com' } })], snapshot: [] })).actions;
    expect(a!.steps[0]).toBe(b!.steps[0]);
    expect(a!.steps.at(-1)).toBe(b!.steps.at(-1));
    expect(Object.isFrozen(a!.steps[0])).toBe(true);
    // A step added to one action (apply's match step) is that action's alone.
    a!.steps.splice(1, 0, { name: 'match', outcome: 'matched' });
    expect(b!.steps.map((s) => s.outcome)).toEqual(['in scope', 'no match', 'no match', 'create']);
    expect(b!.changes).toBeUndefined();
    expect(changesOf(b!)).toEqual([
      { property: 'external_id', old: null, new: other },
      { property: 'role', old: null, new: 'agent' },
      { property: 'name', old: null, new: 'Bo' },
      { property: 'email', old: null, new: 'bo@example.com' },
    ]);
  });

  it('records each matching attribute tried as a step', () => {
    const plan = planUsers(input({ desired: [desired()], snapshot: [target({ externalId: null })] }));
    const matchSteps = plan.actions[0]!.steps.filter((s) => s.name === 'match');
    expect(matchSteps.map((s) => s.outcome)).toEqual(['no match', 'matched']);
  });

  it('logs old → new for an update', () => {
    const plan = planUsers(input({ desired: [desired({ attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link()] }));
    expect(plan.actions[0]!.changes).toEqual([{ property: 'name', old: 'Ada Lovelace', new: 'Ada King' }]);
  });

  it('never lets two directory users claim one account', () => {
    const other = desired({ directoryId: 'b', externalId: 'b', identity: 'ada@example.com' });
    const plan = planUsers(input({ desired: [desired({ externalId: 'a' }), other], snapshot: [target({ externalId: null })] }));
    expect(plan.actions.map((a) => a.kind).sort()).toEqual(['create', 'link']);
  });

  it('skips clearing a field the target cannot empty, with the reason as a step and no change logged', () => {
    const fields = [{ key: 'time_zone', label: 'Time zone', type: 'string' as const, custom: false, clearable: false }, { key: 'name', label: 'Name', type: 'string' as const, custom: false, required: true }];
    const plan = planUsers(input({ desired: [desired({ attributes: { name: '', email: 'ada@example.com', time_zone: null }, hash: 'h2' })], links: [link({ lastWritten: { ...written, attributes: { name: 'Ada Lovelace', email: 'ada@example.com', time_zone: 'Copenhagen' } } })], fields }));
    const [action] = plan.actions;
    expect(action).toMatchObject({ kind: 'update', patch: {}, changes: [] });
    expect(action!.steps).toContainEqual({ name: 'action', outcome: 'kept', detail: 'name, time_zone not emptied: the target cannot clear these fields, so it keeps its current value' });
    // Settled: the next plan with the same desired state has nothing to do.
    const again = planUsers(input({ desired: [desired({ attributes: { name: '', email: 'ada@example.com', time_zone: null }, hash: 'h2' })], links: [link({ lastHash: 'h2', lastWritten: action?.kind === 'update' ? action.confirms.written : null })], fields }));
    expect(again).toEqual({ actions: [], unchanged: 1 });
  });

  it('sends null for a clearable field emptied in the directory', () => {
    const plan = planUsers(input({ desired: [desired({ attributes: { name: 'Ada Lovelace', email: 'ada@example.com', time_zone: null }, hash: 'h2' })], links: [link({ lastWritten: { ...written, attributes: { name: 'Ada Lovelace', email: 'ada@example.com', time_zone: 'Copenhagen' } } })] }));
    expect(plan.actions[0]).toMatchObject({ kind: 'update', patch: { attributes: { time_zone: null } }, changes: [{ property: 'time_zone', old: 'Copenhagen', new: null }] });
  });

  it('logs drift repaired with old → new, the target\'s value as old', () => {
    const plan = planUsers(input({ desired: [desired()], links: [link()], snapshot: [target({ name: 'Hacked', email: 'other@example.com', roleKey: 'end-user', suspended: true })] }));
    const [action] = plan.actions;
    expect(action).toMatchObject({ kind: 'unsuspend', patch: { attributes: { name: 'Ada Lovelace', email: 'ada@example.com' }, roleKey: 'agent', suspended: false } });
    expect(action!.changes).toEqual([
      { property: 'name', old: 'Hacked', new: 'Ada Lovelace' },
      { property: 'email', old: 'other@example.com', new: 'ada@example.com' },
      { property: 'role', old: 'end-user', new: 'agent' },
      { property: 'suspended', old: true, new: false },
    ]);
    expect(action!.steps.at(-1)).toEqual({ name: 'action', outcome: 'unsuspend', detail: 'drift repaired: name "Hacked" → "Ada Lovelace"; email "other@example.com" → "ada@example.com"; role "end-user" → "agent"; suspended true → false' });
  });

  it('reports drift with old → new and a step, sending nothing', () => {
    const plan = planUsers(input({ desired: [desired()], links: [link()], snapshot: [target({ email: 'other@example.com', suspended: true })], settings: { ...settings(), drift: 'report' } }));
    const [action] = plan.actions;
    expect(action).not.toHaveProperty('patch');
    expect(action!.changes).toEqual([
      { property: 'email', old: 'other@example.com', new: 'ada@example.com' },
      { property: 'suspended', old: true, new: false },
    ]);
    expect(action!.steps.at(-1)).toEqual({ name: 'action', outcome: 'reported', detail: 'changed in the target, left as it is (drift: report): email "other@example.com" → "ada@example.com"; suspended true → false' });
  });

  it('drift report: a directory change pushed with the drift of other fields as a step', () => {
    const plan = planUsers(input({ desired: [desired({ attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' })], links: [link()], snapshot: [target({ roleKey: 'end-user' })], settings: { ...settings(), drift: 'report' } }));
    const [action] = plan.actions;
    expect(action!.changes).toEqual([{ property: 'name', old: 'Ada Lovelace', new: 'Ada King' }]);
    expect(action!.steps).toContainEqual({ name: 'action', outcome: 'reported', detail: 'changed in the target, left as it is (drift: report): role "end-user" → "agent"' });
  });

  it('repaired drift settles: the next plan against the repaired account has nothing to do', () => {
    const hacked = target({ name: 'Hacked', attributes: { phone: '+1 555', time_zone: 'Europe/Berlin', locale: 'de', organization: 'Other', details: 'Intern' } });
    const d = desired({ attributes: { ...full, name: 'Ada Lovelace', email: 'ada@example.com' } });
    const l = link({ lastWritten: { ...written, attributes: d.attributes } });
    const [action] = planUsers(input({ desired: [d], links: [l], snapshot: [hacked] })).actions;
    expect(action?.kind).toBe('update');
    const patch = action?.kind === 'update' ? action.patch : {};
    const repaired = { ...hacked, name: 'Ada Lovelace', attributes: { ...hacked.attributes, ...patch.attributes } };
    expect(planUsers(input({ desired: [d], links: [l], snapshot: [repaired] }))).toEqual({ actions: [], unchanged: 1 });
  });

  it('identity check, full cycle: the linked id now names someone else → the link is dropped and the user matched again', () => {
    const someoneElse = target({ id: '900', externalId: 'bob-id', email: 'bob@example.com' });
    const real = target({ id: '901' });
    const plan = planUsers(input({ desired: [desired()], links: [link()], snapshot: [someoneElse, real] }));
    expect(plan.actions).toHaveLength(1);
    const [action] = plan.actions;
    expect(action).toMatchObject({ kind: 'link', targetId: '901', mismatch: { reason: 'external_id', expected: { targetId: '900', externalId: ID }, held: { targetId: '900', externalId: 'bob-id' } } });
  });

  it('identity check: no external id, another email, same id → mismatch, and a fresh create (never the wrong account)', () => {
    const plan = planUsers(input({ desired: [desired()], links: [link()], snapshot: [target({ externalId: null, email: 'bob@example.com' })] }));
    expect(plan.actions.map(view)).toEqual([{ kind: 'create', probes: [] }]);
    expect(plan.actions[0]!.mismatch?.reason).toBe('no_evidence');
  });

  it('identity check: the account that failed is never matched to the same user again, even by email', () => {
    const plan = planUsers(input({ desired: [desired()], links: [link()], snapshot: [target({ externalId: 'bob-id' })] }));
    expect(plan.actions.map(view)).toEqual([{ kind: 'create', probes: [] }]);
  });

  it('identity check: matched by email before the external id was written → trusted, external id pushed', () => {
    const plan = planUsers(input({ desired: [desired()], links: [link({ lastWritten: null, lastHash: null, state: 'linked' })], snapshot: [target({ externalId: null })] }));
    expect(plan.actions.map(view)).toMatchObject([{ kind: 'update', targetId: '900', patch: { externalId: ID } }]);
    expect(plan.actions[0]!.mismatch).toBeUndefined();
  });

  it('identity check without a snapshot: the linked accounts read back are the evidence; a deleted one is a mismatch', () => {
    const changed = desired({ attributes: { name: 'Ada King', email: 'ada@example.com' }, hash: 'h2' });
    expect(planUsers(input({ desired: [changed], links: [link()], linkedAccounts: [target()] })).actions.map(view)).toMatchObject([{ kind: 'update', targetId: '900' }]);
    const plan = planUsers(input({ desired: [changed], links: [link()], linkedAccounts: [target({ active: false })] }));
    expect(plan.actions.map(view)).toEqual([{ kind: 'create', probes: ['external_id', 'email'] }]);
    expect(plan.actions[0]!.mismatch?.reason).toBe('deleted');
    expect(planUsers(input({ desired: [changed], links: [link()], linkedAccounts: [] })).actions[0]!.mismatch?.reason).toBe('missing');
  });

  it('identity check, unassigned user whose link names someone else: never deleted; found again by external id, then deprovisioned', () => {
    const wrong = target({ id: '900', externalId: 'bob-id', email: 'bob@example.com' });
    const plan = planUsers(input({ links: [link()], snapshot: [wrong, target({ id: '901' })] }));
    expect(plan.actions.map(view)).toEqual([{ kind: 'delete', targetId: '901' }]);
    expect(plan.actions[0]!.mismatch?.reason).toBe('external_id');
    const nowhere = planUsers(input({ links: [link()], snapshot: [wrong] }));
    expect(nowhere.actions.map(view)).toEqual([{ kind: 'unlink', targetId: '900' }]);
    const incremental = planUsers(input({ links: [link()], linkedAccounts: [wrong] }));
    expect(incremental.actions).toMatchObject([{ kind: 'find', then: 'delete', probes: [{ field: 'external_id', value: ID }, { field: 'email', value: 'ada@example.com' }] }]);
  });

  it('absent and unlinked in an incremental scope (a run created the account and died before its link): looked up, then deprovisioned per the sync actions', () => {
    const absent = { directoryId: ID, identity: 'ada@example.com', externalId: 'emp-7', email: 'ada@example.com' };
    const plan = planUsers(input({ absent: [absent] }));
    expect(plan.actions).toMatchObject([{ kind: 'find', then: 'delete', desired: null, probes: [{ field: 'external_id', value: 'emp-7' }, { field: 'external_id', value: ID }] }]);
    expect(planUsers(input({ absent: [absent], settings: settings({ deprovision: 'suspend' }) })).actions).toMatchObject([{ kind: 'find', then: 'deprovision-suspend' }]);
    // Deleting switched off: the account is left alone, as for a linked user.
    expect(planUsers(input({ absent: [absent], settings: settings({ delete: false }) })).actions).toEqual([]);
    // A linked absent user is deprovisioned by the link; a full cycle (snapshot) plans from the target itself.
    expect(planUsers(input({ absent: [absent], links: [link()] })).actions.map(view)).toEqual([{ kind: 'delete', targetId: '900' }]);
    expect(planUsers(input({ absent: [absent], snapshot: [] })).actions).toEqual([]);
  });

  it('Default Access, never linked, in a batch: looked up and deprovisioned instead of skipped (its account may exist without a link)', () => {
    const skipped = [{ directoryId: ID, identity: 'ada@example.com', code: 'default_access', reason: 'Default Access' }];
    const orphan = { directoryId: ID, identity: 'ada@example.com', externalId: ID, email: 'ada@example.com' };
    expect(planUsers(input({ skipped, absent: [orphan] })).actions).toMatchObject([{ kind: 'find', then: 'delete', directoryId: ID }]);
    // A full cycle plans from its read: the skip stays.
    expect(planUsers(input({ skipped, absent: [orphan], snapshot: [] })).actions).toMatchObject([{ kind: 'skip', code: 'default_access' }]);
  });

  it('left out by a scoping filter: the deprovisioning names the clause; with nothing else to do, an out_of_scope skip names it', () => {
    const out = { directoryId: ID, identity: 'ada@example.com', reason: 'clause department equals Sales was false', log: true };
    const scopeStep = { name: 'scope', outcome: 'out of scope', detail: 'clause department equals Sales was false' };
    // Linked: deleted, the step naming the clause (no skip besides).
    expect(planUsers(input({ outOfScope: [out], links: [link()] })).actions).toMatchObject([{ kind: 'delete', steps: [scopeStep, { name: 'action', outcome: 'delete' }] }]);
    // Not linked, full cycle: logged as a skip with the clause in words.
    expect(planUsers(input({ outOfScope: [out], snapshot: [] })).actions).toEqual([
      { kind: 'skip', directoryId: ID, identity: 'ada@example.com', code: 'out_of_scope', reason: 'Out of scope: clause department equals Sales was false', failed: false, steps: [scopeStep], changes: [] },
    ]);
    // Incremental, delete on: the lookup of a link-less account carries the clause; with delete off, the skip does.
    const absent = { directoryId: ID, identity: 'ada@example.com', externalId: ID, email: 'ada@example.com' };
    const find = planUsers(input({ outOfScope: [out], absent: [absent] })).actions;
    expect(find).toMatchObject([{ kind: 'find' }]);
    expect(find[0]!.steps[0]!.detail).toMatch(/^clause department equals Sales was false, and no link/);
    expect(planUsers(input({ outOfScope: [out], absent: [absent], settings: settings({ delete: false }) })).actions).toMatchObject([{ kind: 'skip', code: 'out_of_scope' }]);
    // A user only scope `all` made a candidate is left out silently by full cycles; linked with delete off, the account is left alone.
    expect(planUsers(input({ outOfScope: [{ ...out, log: false }], snapshot: [] })).actions).toEqual([]);
    expect(planUsers(input({ outOfScope: [out], links: [link()], settings: settings({ delete: false }) }))).toEqual({ actions: [], unchanged: 1 });
  });

  it('is JSON-serialisable as it is', () => {
    const plan = planUsers(input({ desired: [desired({ hash: 'h2', roleKey: 'admin' })], links: [link()] }));
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});
