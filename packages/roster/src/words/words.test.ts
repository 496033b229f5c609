/**
 * Every code the server can emit has words. The codes come from the server itself: its runtime
 * constants (error codes, counts, plan kinds and statuses, scoping operators, notification kinds),
 * its action and cycle-kind types (checked by the compiler below), and the skip and error code
 * literals in its source (scanned, so a new `code: '…'` without words fails here).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../errors/app-error.ts';
import { countNames, groupCountNames, type EventAction, type EventStatus } from '../provisioning/events/record-event.ts';
import type { PlanActionKind } from '../provisioning/diff/plan-types.ts';
import type { GroupPlanActionKind } from '../provisioning/groups/group-plan-types.ts';
import type { CycleKind } from '../provisioning/triggers/job-names.ts';
import type { NotificationStatus } from '../provisioning/notify/notify.ts';
import { planKinds, planStatuses } from '../provisioning/kept-plans/plan-query.ts';
import { importStatuses, itemViewSchema } from '../provisioning/target-import/session-view.ts';
import { scopingOperators } from '../provisioning/config/settings-schema.ts';
import { BUILT_IN_ROLES } from '../connectors/zendesk/catalog.ts';
import { certificateStates } from '../sso/keys/certificates.ts';
import { signInAuditActions } from '../sso/sign-in-log.ts';
import {
  auditActionSentence,
  auditActionWords,
  actionSentence,
  actionWords,
  builtInRoleWords,
  certificateStateHelp,
  certificateStateWords,
  codeSentence,
  codeWords,
  countWords,
  countsSentence,
  cycleKindWords,
  eventStatusWords,
  heldBackSentence,
  importItemStatusWords,
  importStatusWords,
  notificationStatusWords,
  operatorWords,
  outOfScopeReason,
  planCountsSentence,
  planKindWords,
  planStatusWords,
  roleName,
  scopeSentence,
} from './words.ts';

// Compile-time: a new action, status or cycle kind in the server's types without words fails `tsc`.
type Missing<Codes, Map> = [Exclude<Codes, keyof Map>] extends [never] ? true : Exclude<Codes, keyof Map>;
const actionsHaveWords: Missing<EventAction | PlanActionKind | GroupPlanActionKind, typeof actionWords> = true;
const statusesHaveWords: Missing<EventStatus, typeof eventStatusWords> = true;
const cycleKindsHaveWords: Missing<CycleKind, typeof cycleKindWords> = true;
const notificationStatusesHaveWords: Missing<NotificationStatus, typeof notificationStatusWords> = true;

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !/\.(test|integration\.test|test-support)\.ts$/.test(p) ? [p] : [];
  });
}

/** The skip, stop and error codes written as literals in the server's source, and the Zendesk and SCIM connectors'. */
function emittedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(src)) {
    if (file.includes(`${path.sep}words${path.sep}`)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '([a-z][a-z_.]+)'/g)) codes.add(m[1] as string);
    for (const m of text.matchAll(/\bzendeskError\('([a-z_]+)'/g)) codes.add(`zendesk.${m[1] as string}`);
    for (const m of text.matchAll(/\bscimError\('([a-z_]+)'/g)) codes.add(`scim.${m[1] as string}`);
    for (const m of text.matchAll(/`(zendesk\.[a-z_]+)`/g)) codes.add(m[1] as string);
  }
  return codes;
}

/** The audit actions written as literals in the server's source (`action: 'user.create'`), and the plan decisions' verbs. */
function auditActions(): Set<string> {
  const actions = new Set<string>(['provisioning.plan.approve', 'provisioning.plan.allow', 'provisioning.plan.discard', 'user.activate', 'user.deactivate']);
  for (const file of sourceFiles(src)) {
    if (file.includes(`${path.sep}words${path.sep}`)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/\baction: '([a-z_]+\.[a-z_.]*[a-z_])'/g)) actions.add(m[1] as string);
  }
  return actions;
}

describe('words for every code the server emits', () => {
  it('every audit action written in the source', () => {
    const actions = auditActions();
    expect(actions.size).toBeGreaterThan(40);
    expect([...actions].filter((a) => !(a in auditActionWords))).toEqual([]);
    expect(auditActionSentence('user.create')).toBe('User created');
    expect(auditActionSentence('some.new_thing')).toBe('some new thing');
  });

  it('the compile-time checks hold', () => {
    expect([actionsHaveWords, statusesHaveWords, cycleKindsHaveWords, notificationStatusesHaveWords]).toEqual([true, true, true, true]);
  });

  it('every API error code', () => {
    expect(Object.keys(errorCodes).filter((c) => !(c in codeWords))).toEqual([]);
  });

  it('every skip, stop and connector code written in the source', () => {
    const codes = emittedCodes();
    expect(codes.size).toBeGreaterThan(40);
    expect([...codes].filter((c) => !(c in codeWords))).toEqual([]);
  });

  it('every cycle count, plan kind and status, scoping operator and built-in role', () => {
    expect([...countNames, ...groupCountNames].filter((c) => !(c in countWords))).toEqual([]);
    expect(planKinds.filter((c) => !(c in planKindWords))).toEqual([]);
    expect(planStatuses.filter((c) => !(c in planStatusWords))).toEqual([]);
    expect(scopingOperators.filter((c) => !(c in operatorWords))).toEqual([]);
    expect(BUILT_IN_ROLES.map((r) => [r.key, r.label])).toEqual(Object.entries(builtInRoleWords));
  });

  it('no words are empty or repeat the code', () => {
    for (const map of [actionWords, eventStatusWords, cycleKindWords, planKindWords, planStatusWords, codeWords] as Record<string, string>[]) {
      for (const [code, words] of Object.entries(map)) {
        expect(words.trim(), code).not.toBe('');
        expect(words, code).not.toBe(code);
      }
    }
  });
});

describe('sentences', () => {
  it('actions name the object', () => {
    expect(actionSentence('create', 'group')).toBe('Create group');
    expect(actionSentence('add_member', 'membership')).toBe('Add member');
    expect(actionSentence('deprovision-suspend')).toBe('Suspend user (no longer assigned)');
    expect(actionSentence('teleport')).toBe('teleport');
  });

  it('counts read as "2 groups created, 3 members added"', () => {
    expect(countsSentence({ groupsCreated: 2, membersAdded: 3 })).toBe('2 groups created, 3 members added');
    expect(countsSentence({ created: 1, updated: 0, failed: 0 })).toBe('1 user created, 0 failed');
    expect(countsSentence({})).toBe('nothing to do');
    expect(planCountsSentence({ create: 3, delete: 1, unchanged: 9, update: 0 })).toBe('Create user: 3, Delete user: 1, unchanged: 9');
  });

  it('roles by name, from the account first', () => {
    expect(roleName('custom:6164', [{ key: 'custom:6164', label: 'Light agent' }])).toBe('Light agent');
    expect(roleName('agent')).toBe('Agent');
    expect(roleName('custom:99')).toBe("Custom role 99 (not in the account's roles)");
  });

  it('codes, and scoping results naming the failing clause', () => {
    expect(codeSentence('zendesk.unauthorized')).toBe('Zendesk refused the credentials');
    expect(scopeSentence([{ name: 'Sales', passed: false, clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales', passed: false }] }])).toBe(
      'Out of scope: clause department equals Sales was false',
    );
    expect(scopeSentence([{ name: 'Sales', passed: true, clauses: [] }])).toBe('In scope: passes filter Sales');
    expect(scopeSentence([])).toBe('In scope: no scoping filter');
  });

  it('out of scope: the first false clause of each filter, groups as given', () => {
    const sales = { name: 'Sales', passed: false, clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales', passed: false }] };
    const group = { name: 'Team', passed: false, clauses: [{ attribute: 'email', operator: 'is_not_null', value: null, passed: true }, { attribute: 'groups', operator: 'in_group', value: 'Support team', passed: false }] };
    expect(outOfScopeReason([sales, group])).toBe('clause department equals Sales was false; clause groups is in group Support team was false');
    expect(outOfScopeReason([])).toBe('no scoping filter passes');
  });

  it('held back: the same counts as the staged plan, and the burst window explained when it counted', () => {
    const base = { limit: 'count', provisioned: 40, count: 1, percent: null };
    expect(heldBackSentence({ ...base, planned: 2, removing: 2, counts: { delete: 2 } })).toBe('2 removals held back (Delete user: 2): 2 at once are more than the threshold of 1.');
    const burst = heldBackSentence({ ...base, count: 10, planned: 3, removing: 12, recent: 9, burstMinutes: 10, counts: { delete: 1, 'deprovision-suspend': 2 } });
    expect(burst).toMatch(/^3 removals held back \(Delete user: 1, Suspend user \(no longer assigned\): 2\): with the 9 removals applied in the last 10 minutes they make 12, more than the threshold of 10\. /);
    expect(burst).toContain('count together for 10 minutes');
    expect(heldBackSentence({ ...base, limit: 'percent', percent: 20, planned: 10, removing: 10, counts: { suspend: 10 } })).toBe(
      '10 removals held back (Suspend user: 10): 10 at once are 25% of the 40 provisioned users, above the threshold of 20%.',
    );
    expect(heldBackSentence({ ...base, limit: 'everyone', planned: 1, removing: 4, recent: 3, provisioned: 1, counts: { delete: 1 } })).toBe(
      '1 removal held back (Delete user: 1): they would deprovision every one of the 1 provisioned user.',
    );
  });

  it('SSO: every signing-certificate state in words, and the sign-in audit actions (written through a variable, so the scan above misses them)', () => {
    expect(certificateStates.filter((c) => !(c in certificateStateWords) || !(c in certificateStateHelp))).toEqual([]);
    expect(Object.keys(certificateStateWords).sort()).toEqual([...certificateStates].sort());
    expect(Object.values(signInAuditActions).filter((a) => !(a in auditActionWords))).toEqual([]);
  });

  it('import sessions and their users have words for every state', () => {
    expect(importStatuses.filter((c) => !(c in importStatusWords))).toEqual([]);
    expect(itemViewSchema.shape.applyStatus.unwrap().options.filter((c) => !(c in importItemStatusWords))).toEqual([]);
  });
});
