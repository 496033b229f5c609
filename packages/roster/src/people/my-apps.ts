/**
 * My Apps: the applications a directory user is assigned to (directly or through groups), read through
 * the engine's effective assignments, so it shows exactly what provisioning and SSO grant. Default
 * Access ("assigned but not provisioned") opens nothing. Each app opens at /sso/apps/{id}/start.
 */
import { asc, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../db/database.ts';
import { applications } from '../db/schema.ts';
import { DEFAULT_ACCESS } from '../connectors/app-roles.ts';
import { effectiveAssignments } from '../directory/apps/effective-assignments.ts';

export const myAppSchema = z.object({ id: z.uuid(), displayName: z.string(), type: z.string(), role: z.string(), roleLabel: z.string(), startUrl: z.string() });
export type MyApp = z.infer<typeof myAppSchema>;

export async function myApps(executor: Executor, userId: string): Promise<MyApp[]> {
  const apps = await executor.select({ id: applications.id, displayName: applications.displayName, type: applications.type }).from(applications).where(isNull(applications.deletedAt)).orderBy(asc(applications.displayName));
  const out: MyApp[] = [];
  for (const a of apps) {
    const [mine] = await effectiveAssignments(executor, a.id, { userIds: [userId] });
    if (mine && mine.role !== DEFAULT_ACCESS.key) out.push({ ...a, role: mine.role, roleLabel: mine.roleLabel, startUrl: `/sso/apps/${a.id}/start` });
  }
  return out;
}
