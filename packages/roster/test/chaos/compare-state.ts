/**
 * The chaos test's verdict: the sandbox's users against the expected state, as a list of precise
 * differences (empty when provisioning converged). Read from the sandbox's control snapshot, so
 * nothing of Roster's connector is involved in reading it.
 */
import type { ExpectedState } from './expected-state.ts';

/** A user as the sandbox snapshot shows it (fields read here only). */
export interface SnapshotUser {
  id: number;
  external_id: string | null;
  email: string | null;
  name: string;
  role: string;
  custom_role_id: number | null;
  suspended: boolean;
  active: boolean;
  owner: boolean;
}

/** The role key of a sandbox user, from its raw fields (Zendesk: a custom role makes an agent). */
function roleKeyOf(u: SnapshotUser): string {
  if (u.role === 'agent' && u.custom_role_id !== null && u.custom_role_id !== undefined) return `custom:${u.custom_role_id}`;
  return u.role;
}

export interface SnapshotGroups {
  groups: { id: number; name: string; deleted: boolean; default: boolean }[];
  group_memberships: { user_id: number; group_id: number }[];
}

/**
 * `byHand`: emails of accounts the harness created by hand in Zendesk (no external id). One Roster
 * never claimed (its user not provisioned) is not Roster's and is left out; a claimed one must carry
 * the external id like any other.
 */
export function compareState(expected: ExpectedState, snapshot: readonly SnapshotUser[], zendeskGroups?: SnapshotGroups, byHand: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const live = snapshot.filter((u) => !u.owner && u.active && !(u.external_id === null && u.email !== null && byHand.has(u.email.toLowerCase()) && !expectsEmail(expected, u.email)));
  const byExternal = new Map<string, SnapshotUser[]>();
  const byEmail = new Map<string, SnapshotUser[]>();
  for (const u of live) {
    if (u.external_id === null) {
      problems.push(`account ${u.id} (${u.email}) has no external id: not created by Roster`);
      continue;
    }
    byExternal.set(u.external_id, [...(byExternal.get(u.external_id) ?? []), u]);
    if (u.email) byEmail.set(u.email.toLowerCase(), [...(byEmail.get(u.email.toLowerCase()) ?? []), u]);
  }
  for (const [externalId, list] of byExternal) if (list.length > 1) problems.push(`duplicate accounts for ${externalId}: ${list.map((u) => u.id).join(', ')}`);
  for (const [email, list] of byEmail) if (list.length > 1) problems.push(`duplicate email ${email}: accounts ${list.map((u) => u.id).join(', ')}`);

  for (const [externalId, want] of expected.accounts) {
    const got = byExternal.get(externalId)?.[0];
    if (!got) {
      if (!want.mayBeAbsent) problems.push(`missing account for ${externalId} (${want.email}, ${want.roleKey})`);
      continue;
    }
    const diff: string[] = [];
    if (got.name !== want.name) diff.push(`name ${JSON.stringify(got.name)} ≠ ${JSON.stringify(want.name)}`);
    if ((got.email ?? '').toLowerCase() !== want.email.toLowerCase()) diff.push(`email ${got.email} ≠ ${want.email}`);
    if (roleKeyOf(got) !== want.roleKey) diff.push(`role ${roleKeyOf(got)} ≠ ${want.roleKey}`);
    if (got.suspended !== want.suspended) diff.push(`suspended ${got.suspended} ≠ ${want.suspended}`);
    if (diff.length) problems.push(`account ${got.id} of ${externalId}: ${diff.join('; ')}`);
  }
  for (const [externalId, list] of byExternal) {
    if (expected.accounts.has(externalId)) continue;
    const why = expected.absent.has(externalId) ? 'should have been deleted (unassigned, Default Access or deleted in the directory)' : 'unknown to the directory';
    problems.push(`live account ${list.map((u) => u.id).join(', ')} for ${externalId}: ${why}`);
  }
  if (zendeskGroups) problems.push(...compareGroups(expected, snapshot, zendeskGroups));
  return problems;
}

const expectsEmail = (expected: ExpectedState, email: string): boolean => [...expected.accounts.values()].some((a) => !a.mayBeAbsent && a.email.toLowerCase() === email.toLowerCase());

/** Each assigned directory group once in Zendesk, with exactly its active team members (inactive ones may stay). */
function compareGroups(expected: ExpectedState, snapshot: readonly SnapshotUser[], z: SnapshotGroups): string[] {
  const problems: string[] = [];
  const externalOf = new Map(snapshot.filter((u) => u.active && u.external_id !== null).map((u) => [u.id, u.external_id as string]));
  for (const want of expected.groups) {
    const found = z.groups.filter((g) => !g.deleted && g.name === want.name);
    if (found.length !== 1) {
      problems.push(`group ${JSON.stringify(want.name)}: ${found.length} live Zendesk groups of that name`);
      continue;
    }
    const members = new Set(z.group_memberships.filter((m) => m.group_id === found[0]!.id).flatMap((m) => externalOf.get(m.user_id) ?? []));
    const missing = [...want.members].filter((id) => !members.has(id));
    const extra = [...members].filter((id) => !want.anyMembers.has(id));
    if (missing.length) problems.push(`group ${JSON.stringify(want.name)}: members missing in Zendesk: ${missing.join(', ')}`);
    if (extra.length) problems.push(`group ${JSON.stringify(want.name)}: members in Zendesk that are not (active) members in the directory: ${extra.join(', ')}`);
  }
  return problems;
}
