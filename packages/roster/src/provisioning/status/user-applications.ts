/**
 * Each person, each app: for one directory user, every application with whether they are assigned
 * (directly or through which group), their role by name, the linked target account, the last
 * provisioning event about their account (not their group memberships) with its result, and a pending retry (escrow). Read-only.
 */
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { links, provisioningConfigs, provisioningEvents, provisioningRetries } from '../../db/provisioning-schema.ts';
import { applications, groups } from '../../db/schema.ts';
import { effectiveAssignments } from '../../directory/apps/effective-assignments.ts';
import { lockUser } from '../../directory/users/get-user.ts';
import { roleName } from '../../words/words.ts';
import { readStoredConnection } from '../config/connection-schema.ts';
import { connectorFor } from '../../connectors/registry.ts';

export const userApplicationSchema = z.object({
  applicationId: z.string(),
  displayName: z.string(),
  type: z.string(),
  /** Provisioning switched on, and the application's state (`idle`, `paused`, `quarantined`, …; `off` before it is configured). */
  provisioningEnabled: z.boolean(),
  state: z.string(),
  assigned: z.boolean(),
  /** How the assignment reaches the user: their own, or a group's (named). */
  via: z.object({ principalType: z.enum(['user', 'group']), groupId: z.string().nullable(), groupName: z.string().nullable() }).nullable(),
  role: z.string().nullable(),
  /** The role by name ("Light agent"), from the account's roles as last read. */
  roleName: z.string().nullable(),
  /** The linked account in the target (its user id there), and the link's state. */
  targetId: z.string().nullable(),
  linkState: z.string().nullable(),
  lastEvent: z
    .object({ id: z.number(), at: z.string(), action: z.string(), objectType: z.string(), status: z.string(), errorCode: z.string().nullable(), errorMessage: z.string().nullable(), advice: z.string().nullable() })
    .nullable(),
  /** A failed action waiting for its retry. */
  escrow: z.object({ attempts: z.number(), nextAttemptAt: z.string(), lastError: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable() }).nullable(),
});
export type UserApplication = z.infer<typeof userApplicationSchema>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Every live application, ordered by name. A deleted or unknown user is a 404 naming `id`. */
export async function readUserApplications(executor: Executor, userId: string): Promise<UserApplication[]> {
  await lockUser(executor, userId, false);
  const apps = await executor
    .select({ id: applications.id, displayName: applications.displayName, type: applications.type, enabled: provisioningConfigs.enabled, state: provisioningConfigs.state, connection: provisioningConfigs.connection })
    .from(applications)
    .leftJoin(provisioningConfigs, eq(provisioningConfigs.applicationId, applications.id))
    .where(isNull(applications.deletedAt))
    .orderBy(applications.displayName);
  if (apps.length === 0) return [];
  const appIds = apps.map((a) => a.id);
  const [linkRows, retryRows] = await Promise.all([
    executor.select().from(links).where(and(inArray(links.applicationId, appIds), eq(links.objectType, 'user'), eq(links.directoryId, userId))),
    executor.select().from(provisioningRetries).where(and(inArray(provisioningRetries.applicationId, appIds), eq(provisioningRetries.objectType, 'user'), eq(provisioningRetries.directoryId, userId))),
  ]);
  const out: UserApplication[] = [];
  for (const a of apps) {
    const [assignment] = await effectiveAssignments(executor, a.id, { userIds: [userId] });
    const [event] = await executor
      .select()
      .from(provisioningEvents)
      .where(and(eq(provisioningEvents.applicationId, a.id), eq(provisioningEvents.objectType, 'user'), eq(provisioningEvents.directoryId, userId)))
      .orderBy(desc(provisioningEvents.at), desc(provisioningEvents.id))
      .limit(1);
    let via: UserApplication['via'] = null;
    if (assignment) {
      const groupId = assignment.via.principalType === 'group' ? assignment.via.principalId : null;
      const [group] = groupId ? await executor.select({ name: groups.name }).from(groups).where(eq(groups.id, groupId)) : [];
      via = { principalType: assignment.via.principalType, groupId, groupName: group?.name ?? null };
    }
    const roles = readStoredConnection(a.connection ?? {}).catalogue?.roles ?? connectorFor(a.type)?.builtInRoles ?? [];
    const link = linkRows.find((l) => l.applicationId === a.id);
    const retry = retryRows.find((r) => r.applicationId === a.id);
    out.push({
      applicationId: a.id,
      displayName: a.displayName,
      type: a.type,
      provisioningEnabled: a.enabled ?? false,
      state: a.state ?? 'off',
      assigned: assignment !== undefined,
      via,
      role: assignment?.role ?? null,
      // The account's roles first; then the label saved with a custom-role assignment.
      roleName: assignment ? roleName(assignment.role, [...roles, ...(assignment.roleLabel !== assignment.role ? [{ key: assignment.role, label: assignment.roleLabel }] : [])]) : null,
      targetId: link?.targetId ?? null,
      linkState: link?.state ?? null,
      lastEvent: event
        ? { id: event.id, at: event.at.toISOString(), action: event.action, objectType: event.objectType, status: event.status, errorCode: event.errorCode, errorMessage: event.errorMessage, advice: event.advice }
        : null,
      escrow: retry
        ? { attempts: retry.attempts, nextAttemptAt: retry.nextAttemptAt.toISOString(), lastError: retry.lastError ? { code: str(retry.lastError['code']), message: str(retry.lastError['message']) } : null }
        : null,
    });
  }
  return out;
}
