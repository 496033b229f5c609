/**
 * The impact of a scope or scoping filter change before it is saved: how many users are in scope
 * now and would be, who enters and who leaves (the first 50 of each, by email), how many of those
 * leaving hold a provisioned account (and so would be deprovisioned), and whether the change would
 * deprovision every provisioned user — which the engine never does in one go: such a plan goes
 * through the staged-deletion path (deletion prevention) and waits for an admin.
 *
 * In scope = a candidate (assigned with a role other than Default Access, or any user with scope
 * `all`) passing the filters — the same rule as the desired state (desired/load-desired.ts).
 * Read-only.
 */
import { isNull, and } from 'drizzle-orm';
import { anyOf } from '../../db/any-of.ts';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import { AppError } from '../../errors/app-error.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import type { ProvisioningSettings, ScopingFilter } from '../config/settings-schema.ts';
import { directorySourceAttributes } from '../config/target-catalogue.ts';
import { DEFAULT_ACCESS_ROLE } from '../desired/render-desired.ts';
import { readUserLinks } from '../links/user-links.ts';
import { liveGroupIds } from './live-groups.ts';
import { type LoadedScope, loadScope } from './load-scope.ts';
import { scopingGroupIds, validateScoping } from './validate-scoping.ts';

export const PREVIEW_LIST_SIZE = 50;

export interface PreviewUser {
  id: string;
  email: string;
  name: string;
}

export interface ScopePreview {
  current: number;
  proposed: number;
  entering: { count: number; users: PreviewUser[] };
  leaving: { count: number; users: PreviewUser[] };
  /** Users leaving scope that hold an account Roster provisioned (or linked): each would be deprovisioned. */
  leavingProvisioned: number;
  /** What leaving users' accounts get, per the sync actions. */
  leavingAction: 'delete' | 'suspend' | 'none';
  /** Every provisioned user would leave scope (none stays). */
  dropsEveryone: boolean;
  /** The deprovisioning would pass the saved deletion threshold (or drop everyone): it is staged for an admin's approval. */
  staged: boolean;
  /** What the numbers mean for the admin, when there is something to warn about. */
  note: string | null;
}

export interface ScopePreviewInput {
  scope?: ProvisioningSettings['scope'] | undefined;
  scopingFilters: ScopingFilter[];
}

type UserRow = typeof users.$inferSelect;

export async function previewScope(executor: Executor, applicationId: string, input: ScopePreviewInput): Promise<ScopePreview> {
  const config = await loadProvisioningConfig(executor, applicationId);
  const issues = validateScoping(input.scopingFilters, await directorySourceAttributes(executor), await liveGroupIds(executor, scopingGroupIds(input.scopingFilters)), { path: 'body' });
  if (issues.length > 0) throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues });
  const now = { scope: config.settings.scope, filters: config.settings.scopingFilters };
  const next = { scope: input.scope ?? config.settings.scope, filters: input.scopingFilters };

  const roles = new Map((await effectiveAssignments(executor, applicationId)).map((a) => [a.userId, a.role]));
  const rows = await candidateRows(executor, roles, now.scope === 'all' || next.scope === 'all');
  const [scopeNow, scopeNext] = [await loadScope(executor, now.filters), await loadScope(executor, next.filters)];
  const inScope = (row: UserRow, scope: 'assigned' | 'all', filters: LoadedScope): boolean => {
    const role = roles.get(row.id) ?? (scope === 'all' ? 'end-user' : undefined);
    return role !== undefined && role !== DEFAULT_ACCESS_ROLE && filters.passes(row);
  };

  const links = await readUserLinks(executor, applicationId);
  const linked = new Set(links.map((l) => l.directoryId));
  // As the deletion gate counts them (plans/deletion-threshold.ts): accounts Roster provisioned, active or suspended.
  const provisioned = new Set(links.filter((l) => l.state === 'provisioned' || l.state === 'suspended').map((l) => l.directoryId));
  let current = 0;
  let proposed = 0;
  let leavingProvisioned = 0;
  let provisionedStaying = 0;
  const entering: UserRow[] = [];
  const leaving: UserRow[] = [];
  for (const row of rows) {
    const a = inScope(row, now.scope, scopeNow);
    const b = inScope(row, next.scope, scopeNext);
    if (a) current++;
    if (b) proposed++;
    if (b && provisioned.has(row.id)) provisionedStaying++;
    if (a && !b) {
      leaving.push(row);
      if (linked.has(row.id)) leavingProvisioned++;
    } else if (b && !a) entering.push(row);
  }
  const sync = config.settings.syncActions;
  const leavingAction = !sync.delete ? 'none' : sync.deprovision;
  const dropsEveryone = provisioned.size > 0 && provisionedStaying === 0;
  const staged = leavingAction !== 'none' && leavingProvisioned > 0 && (dropsEveryone || passesThreshold(config.settings.deletionThreshold, leavingProvisioned, provisioned.size));
  return {
    current,
    proposed,
    entering: { count: entering.length, users: firstByEmail(entering) },
    leaving: { count: leaving.length, users: firstByEmail(leaving) },
    leavingProvisioned,
    leavingAction,
    dropsEveryone,
    staged,
    note: noteFor({ dropsEveryone, staged, leavingAction, leavingProvisioned }),
  };
}

const CHUNK = 5_000;

async function candidateRows(executor: Executor, roles: ReadonlyMap<string, string>, everyone: boolean): Promise<UserRow[]> {
  if (everyone || roles.size > CHUNK) return executor.select().from(users).where(isNull(users.deletedAt));
  if (roles.size === 0) return [];
  return executor.select().from(users).where(and(anyOf(users.id, [...roles.keys()]), isNull(users.deletedAt)));
}

/** The deletion gate's rule (plans/deletion-threshold.ts): more removals than `count`, or a larger share than `percent`. */
function passesThreshold(t: ProvisioningSettings['deletionThreshold'], removals: number, provisioned: number): boolean {
  if (!t.enabled) return false;
  if (t.count !== null && removals > t.count) return true;
  return t.percent !== null && provisioned > 0 && (removals / provisioned) * 100 > t.percent;
}

function firstByEmail(rows: UserRow[]): PreviewUser[] {
  return rows
    .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0))
    .slice(0, PREVIEW_LIST_SIZE)
    .map((r) => ({ id: r.id, email: r.email, name: r.displayName }));
}

function noteFor(p: { dropsEveryone: boolean; staged: boolean; leavingAction: string; leavingProvisioned: number }): string | null {
  if (p.leavingProvisioned === 0) return null;
  if (p.leavingAction === 'none') return `${p.leavingProvisioned} provisioned users would leave scope; the delete sync action is off, so their accounts are left as they are.`;
  const verb = p.leavingAction === 'suspend' ? 'suspended' : 'deleted';
  if (p.dropsEveryone) return `This change leaves none of the provisioned users in scope. It may be saved, but the ${p.leavingProvisioned} accounts are not ${verb} at once: the deprovisioning is staged and waits for an admin to allow or discard it (deletion prevention).`;
  if (p.staged) return `${p.leavingProvisioned} accounts would be ${verb}, more than the deletion threshold allows at once: the deprovisioning is staged and waits for an admin to allow or discard it.`;
  return `${p.leavingProvisioned} accounts would be ${verb} at the next cycle.`;
}
