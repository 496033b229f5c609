/**
 * Who a sign-in is for, as the application sees them: the user's effective assignment (role) and
 * their attributes rendered by the same compiled mappings the provisioning engine uses, so what SSO
 * sends and what provisioning writes never disagree. Refusals are values naming why.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { SsoSubject } from '../connectors/contract.ts';
import type { Executor } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { effectiveAssignments } from '../directory/apps/effective-assignments.ts';
import { loadProvisioningConfig } from '../provisioning/config/load-config.ts';
import { withManagerEmails } from '../provisioning/desired/manager-emails.ts';
import { DEFAULT_ACCESS_ROLE, renderDesired } from '../provisioning/desired/render-desired.ts';
import { cachedRenderContext } from './render-cache.ts';

export interface SsoRefusal {
  code: 'sso_not_assigned' | 'sso_default_access' | 'sso_user_inactive' | 'sso_mapping_error' | 'sso_unknown_user';
  message: string;
  advice: string;
}

export type SubjectResult = { ok: true; subject: SsoSubject; displayName: string } | { ok: false; refusal: SsoRefusal; email: string | null };

export async function resolveSubject(executor: Executor, applicationId: string, userId: string): Promise<SubjectResult> {
  // Independent reads at once: on PostgreSQL they go out on separate pool connections.
  const [[row], [assignment], render] = await Promise.all([
    executor.select().from(users).where(and(eq(users.id, userId), isNull(users.deletedAt))),
    effectiveAssignments(executor, applicationId, { userIds: [userId] }),
    loadProvisioningConfig(executor, applicationId).then((config) => cachedRenderContext(executor, config)),
  ]);
  if (!row) return { ok: false, email: null, refusal: { code: 'sso_unknown_user', message: 'There is no such user in the directory.', advice: 'Choose a user of the directory.' } };
  if (row.status !== 'active') {
    return { ok: false, email: row.email, refusal: { code: 'sso_user_inactive', message: `${row.email} is deactivated in the directory.`, advice: 'Reactivate the user in Roster to let them sign in.' } };
  }
  if (!assignment) {
    return { ok: false, email: row.email, refusal: { code: 'sso_not_assigned', message: `${row.email} is not assigned to this application.`, advice: 'Assign the user (or a group of theirs) to the application with a role.' } };
  }
  if (assignment.role === DEFAULT_ACCESS_ROLE) {
    return {
      ok: false,
      email: row.email,
      refusal: { code: 'sso_default_access', message: `${row.email} is assigned with Default Access, which gives no account in the application.`, advice: 'Give the assignment a role of the application.' },
    };
  }
  if (!render.ok) return { ok: false, email: row.email, refusal: { code: 'sso_mapping_error', message: render.error.message, advice: 'Fix the mappings on the Provisioning tab.' } };
  const [withManager] = await withManagerEmails(executor, [row]);
  const rendered = renderDesired(withManager!, assignment.role, render.value);
  if ('skipped' in rendered) {
    return { ok: false, email: row.email, refusal: { code: 'sso_mapping_error', message: rendered.skipped.reason, advice: "Fix the mapping or the user's attributes." } };
  }
  const d = rendered.desired;
  return {
    ok: true,
    displayName: row.displayName,
    subject: { userId: row.id, email: row.email, givenName: row.givenName, familyName: row.familyName, attributes: { ...d.createAttributes, ...d.attributes }, externalId: d.externalId, roleKey: d.roleKey },
  };
}
