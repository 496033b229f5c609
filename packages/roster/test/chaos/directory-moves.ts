/**
 * The chaos test's directory side: a seeded random sequence of admin changes made through Roster's
 * HTTP API (creates, edits of mapped fields, role changes, deactivations and reactivations,
 * unassignments, group moves, deletions). It remembers only what it needs to pick the next move;
 * the expected Zendesk state is read back from the database afterwards (expected-state.ts).
 */

/** `app.inject` reduced to what the driver needs. */
export type Api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) => Promise<{ status: number; body: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API bodies read loosely

export interface RoleChoice {
  key: string;
  label?: string;
}

interface Assignment {
  id: string;
  version: number;
  role: string;
}

interface DirUser {
  id: string;
  version: number;
  active: boolean;
  direct: Assignment | null;
  groups: Set<string>;
}

interface DirGroup {
  id: string;
  assignment: Assignment | null;
}

export interface DirectoryDriver {
  /** Creates `users` users and `groups` assigned groups, spread over direct and group assignments. */
  seed(users: number, groups: number): Promise<void>;
  /** One random change; returns its name (for the log of the run). */
  step(): Promise<string>;
  /** Moves made, by name, and API answers other than 2xx (a move on a stale pick). */
  stats(): { moves: Record<string, number>; refused: number };
}

export function createDirectoryDriver(api: Api, applicationId: string, roles: readonly RoleChoice[], random: () => number, tag: string): DirectoryDriver {
  const users = new Map<string, DirUser>();
  const groups: DirGroup[] = [];
  const moves: Record<string, number> = {};
  let refused = 0;
  let serial = 0;
  const pick = <T>(list: readonly T[]): T | undefined => (list.length ? list[Math.floor(random() * list.length)] : undefined);
  const someRole = (): RoleChoice => pick(roles)!;
  const label = (r: RoleChoice) => (r.label ? { roleLabel: r.label } : {});
  const nextEmail = () => `${tag}-${++serial}@chaos.example.com`;
  const ok = (r: { status: number }) => {
    if (r.status >= 300) refused += 1;
    return r.status < 300;
  };

  const assign = async (principalType: 'user' | 'group', principalId: string, role: RoleChoice): Promise<Assignment | null> => {
    const r = await api('POST', `/api/apps/${applicationId}/assignments`, { principalType, principalId, role: role.key, ...label(role) });
    return ok(r) ? { id: r.body['id'], version: r.body['version'], role: role.key } : null;
  };
  const createUser = async (): Promise<DirUser | null> => {
    const n = serial + 1;
    const r = await api('POST', '/api/users', { email: nextEmail(), givenName: 'Chaos', familyName: `User ${n}`, displayName: `Chaos User ${n}` });
    if (!ok(r)) return null;
    const u: DirUser = { id: r.body['id'], version: r.body['version'], active: true, direct: null, groups: new Set() };
    users.set(u.id, u);
    return u;
  };
  const joinGroup = async (u: DirUser, g: DirGroup) => {
    if (ok(await api('POST', `/api/groups/${g.id}/members/bulk`, { members: [{ memberType: 'user', memberId: u.id }] }))) u.groups.add(g.id);
  };
  const leaveGroup = async (u: DirUser, groupId: string) => {
    if (ok(await api('DELETE', `/api/groups/${groupId}/members/user/${u.id}`))) u.groups.delete(groupId);
  };
  const patchUser = async (u: DirUser, body: Record<string, unknown>) => {
    const r = await api('PATCH', `/api/users/${u.id}`, { ...body, version: u.version });
    if (ok(r)) u.version = r.body['version'];
  };
  const setRole = async (a: Assignment, role: RoleChoice) => {
    const r = await api('PATCH', `/api/apps/${applicationId}/assignments/${a.id}`, { role: role.key, ...label(role), version: a.version });
    if (ok(r)) {
      a.version = r.body['version'];
      a.role = role.key;
    }
  };
  /** Places a new or unassigned user: a direct assignment, a group, or both. */
  const place = async (u: DirUser) => {
    const x = random();
    if (x < 0.45) u.direct = await assign('user', u.id, someRole());
    else if (x < 0.9) await joinGroup(u, pick(groups)!);
    else {
      u.direct = await assign('user', u.id, someRole());
      await joinGroup(u, pick(groups)!);
    }
  };

  type Move = [name: string, weight: number, run: () => Promise<boolean>];
  const live = () => [...users.values()];
  const moveList: Move[] = [
    ['create', 8, async () => {
      const u = await createUser();
      if (u) await place(u);
      return u !== null;
    }],
    ['rename', 12, async () => {
      const u = pick(live());
      if (!u) return false;
      const n = ++serial;
      await patchUser(u, { familyName: `Renamed ${n}`, displayName: `Chaos Renamed ${n}` });
      return true;
    }],
    ['change email', 6, async () => {
      const u = pick(live());
      if (!u) return false;
      await patchUser(u, { email: nextEmail() });
      return true;
    }],
    ['change role', 8, async () => {
      const u = pick(live().filter((x) => x.direct));
      if (!u) return false;
      await setRole(u.direct!, someRole());
      return true;
    }],
    ['change group role', 2, async () => {
      const g = pick(groups.filter((x) => x.assignment));
      if (!g) return false;
      await setRole(g.assignment!, someRole());
      return true;
    }],
    ['deactivate', 6, async () => {
      const u = pick(live().filter((x) => x.active));
      if (!u) return false;
      const r = await api('POST', `/api/users/${u.id}/deactivate`);
      if (ok(r)) Object.assign(u, { active: false, version: r.body['version'] });
      return true;
    }],
    ['reactivate', 6, async () => {
      const u = pick(live().filter((x) => !x.active));
      if (!u) return false;
      const r = await api('POST', `/api/users/${u.id}/activate`);
      if (ok(r)) Object.assign(u, { active: true, version: r.body['version'] });
      return true;
    }],
    ['unassign', 6, async () => {
      const u = pick(live().filter((x) => x.direct));
      if (!u) return false;
      if (ok(await api('DELETE', `/api/apps/${applicationId}/assignments/${u.direct!.id}`))) u.direct = null;
      return true;
    }],
    ['assign', 5, async () => {
      const u = pick(live().filter((x) => !x.direct));
      if (!u) return false;
      u.direct = await assign('user', u.id, someRole());
      return true;
    }],
    ['group move', 8, async () => {
      const u = pick(live().filter((x) => x.groups.size > 0));
      if (!u) return false;
      const from = pick([...u.groups])!;
      const to = pick(groups.filter((g) => !u.groups.has(g.id)));
      await leaveGroup(u, from);
      if (to) await joinGroup(u, to);
      return true;
    }],
    ['leave group', 3, async () => {
      const u = pick(live().filter((x) => x.groups.size > 0));
      if (!u) return false;
      await leaveGroup(u, pick([...u.groups])!);
      return true;
    }],
    ['default access', 2, async () => {
      const u = pick(live().filter((x) => x.direct));
      if (!u) return false;
      await setRole(u.direct!, { key: 'default-access' });
      return true;
    }],
    ['delete user', 2, async () => {
      const u = pick(live());
      if (!u) return false;
      if (ok(await api('DELETE', `/api/users/${u.id}`))) users.delete(u.id);
      return true;
    }],
  ];
  const totalWeight = moveList.reduce((n, [, w]) => n + w, 0);

  return {
    async seed(count, groupCount) {
      for (let i = 0; i < groupCount; i++) {
        const r = await api('POST', '/api/groups', { name: `${tag} group ${i}` });
        if (!ok(r)) throw new Error(`creating a group failed: ${r.status} ${JSON.stringify(r.body)}`);
        // Every group is assigned, each with its own role (ranks decide for users in two groups).
        const g: DirGroup = { id: r.body['id'], assignment: null };
        g.assignment = await assign('group', g.id, roles[i % roles.length]!);
        groups.push(g);
      }
      for (let i = 0; i < count; i++) {
        const u = await createUser();
        // A few stay unassigned: they must never reach Zendesk.
        if (u && random() < 0.93) await place(u);
      }
    },
    async step() {
      for (;;) {
        let x = random() * totalWeight;
        const move = moveList.find(([, w]) => (x -= w) < 0) ?? moveList[0]!;
        if (await move[2]()) {
          moves[move[0]] = (moves[move[0]] ?? 0) + 1;
          return move[0];
        }
      }
    },
    stats: () => ({ moves: { ...moves }, refused }),
  };
}
