/**
 * What Zendesk must hold once provisioning has converged, computed from the directory's tables with
 * plain SQL and the rules as the documentation states them — deliberately not through the engine's
 * desired-state or planner code, so a bug there cannot hide itself:
 * - a user is covered by a direct assignment or by an assigned group they are a direct member of;
 *   a direct assignment wins, else the highest role (admin > agent > custom > end user > Default
 *   Access), else the older assignment (directory/apps/pick-role.ts's contract);
 * - Default Access and uncovered or deleted users have no live account;
 * - an assigned group (not Default Access) has one Zendesk group of its name whose members are its
 *   active direct members provisioned as team members (agent, admin, custom role);
 * - active users have one live, unsuspended account named by the display name, with the directory
 *   email, external id = directory id; inactive ones are suspended, or have no account when they
 *   were deactivated before one was ever created.
 */
import pg from 'pg';

export interface ExpectedAccount {
  externalId: string;
  name: string;
  email: string;
  roleKey: string;
  suspended: boolean;
  /** Inactive and maybe never created: absent is as right as present and suspended. */
  mayBeAbsent: boolean;
}

/** An assigned directory group: one Zendesk group of its name, holding its active team members. */
export interface ExpectedGroup {
  name: string;
  /** External ids of direct members that must be in it: active, and agents, admins or custom roles (Zendesk groups hold team members only). */
  members: Set<string>;
  /** External ids of every direct member (an inactive one may or may not be in it). */
  anyMembers: Set<string>;
}

export interface ExpectedState {
  accounts: Map<string, ExpectedAccount>;
  /** Directory users (live or deleted) that must have no live account. */
  absent: Set<string>;
  groups: ExpectedGroup[];
}

/** Zendesk's role ranks (the default); another target passes its gallery entry's `roleRank`. */
const zendeskRank = (role: string): number => (role === 'admin' ? 4 : role === 'agent' ? 3 : role.startsWith('custom:') ? 2 : role === 'end-user' ? 1 : 0);

interface AssignmentRow {
  id: string;
  principal_type: 'user' | 'group';
  principal_id: string;
  role: string;
  created_at: Date;
}

function better(a: AssignmentRow, b: AssignmentRow, rank: (role: string) => number): boolean {
  if (a.principal_type !== b.principal_type) return a.principal_type === 'user';
  if (rank(a.role) !== rank(b.role)) return rank(a.role) > rank(b.role);
  if (a.created_at.getTime() !== b.created_at.getTime()) return a.created_at < b.created_at;
  return a.id < b.id;
}

export async function expectedState(databaseUrl: string, applicationId: string, rank: (role: string) => number = zendeskRank): Promise<ExpectedState> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const users = (await client.query<{ id: string; email: string; display_name: string; status: string; deleted_at: Date | null }>('select id, email, display_name, status, deleted_at from users')).rows;
    const assigned = (await client.query<AssignmentRow>('select id, principal_type, principal_id, role, created_at from assignments where application_id = $1', [applicationId])).rows;
    const members = (await client.query<{ group_id: string; member_type: string; member_id: string }>('select group_id, member_type, member_id from group_members')).rows;
    if (members.some((m) => m.member_type !== 'user')) throw new Error('nested groups are not modelled by the chaos test');
    const groupsOf = new Map<string, string[]>();
    for (const m of members) groupsOf.set(m.member_id, [...(groupsOf.get(m.member_id) ?? []), m.group_id]);
    const direct = new Map(assigned.filter((a) => a.principal_type === 'user').map((a) => [a.principal_id, a]));
    const byGroup = new Map(assigned.filter((a) => a.principal_type === 'group').map((a) => [a.principal_id, a]));

    const state: ExpectedState = { accounts: new Map(), absent: new Set(), groups: [] };
    for (const u of users) {
      const candidates = [direct.get(u.id), ...(groupsOf.get(u.id) ?? []).map((g) => byGroup.get(g))].filter((a): a is AssignmentRow => a !== undefined);
      let role: AssignmentRow | undefined;
      for (const c of candidates) if (!role || better(c, role, rank)) role = c;
      if (u.deleted_at !== null || !role || role.role === 'default-access') {
        state.absent.add(u.id);
        continue;
      }
      const active = u.status === 'active';
      state.accounts.set(u.id, { externalId: u.id, name: u.display_name, email: u.email, roleKey: role.role, suspended: !active, mayBeAbsent: !active });
    }
    const groupRows = (await client.query<{ id: string; name: string; deleted_at: Date | null }>('select id, name, deleted_at from groups')).rows;
    for (const g of groupRows) {
      const a = byGroup.get(g.id);
      if (g.deleted_at !== null || !a || a.role === 'default-access') continue;
      const direct = members.filter((m) => m.group_id === g.id).map((m) => m.member_id);
      const team = (role: string) => role === 'agent' || role === 'admin' || role.startsWith('custom:');
      state.groups.push({
        name: g.name,
        members: new Set(direct.filter((id) => { const acc = state.accounts.get(id); return acc !== undefined && !acc.suspended && team(acc.roleKey); })),
        anyMembers: new Set(direct.filter((id) => state.accounts.has(id))),
      });
    }
    return state;
  } finally {
    await client.end();
  }
}
