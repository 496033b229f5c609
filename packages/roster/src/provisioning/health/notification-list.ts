/** The notifications of an application as the API lists them: what was decided, to whom, and whether SMTP took it. */
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { provisioningNotifications } from '../../db/provisioning-schema.ts';

export const notificationSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  recipient: z.string().nullable(),
  subject: z.string(),
  /** `queued` | `sent` | `failed` | `not_configured` */
  status: z.string(),
  /** Why it was not sent (no SMTP server, no address, emails off, the SMTP server's answer). */
  error: z.string().nullable(),
  /** Times the email was handed to the SMTP server (transient refusals are retried with backoff). */
  attempts: z.number().int(),
  at: z.iso.datetime(),
});
export type NotificationView = z.infer<typeof notificationSchema>;

export async function listNotifications(executor: Executor, applicationId: string, limit: number, beforeId?: number): Promise<NotificationView[]> {
  const n = provisioningNotifications;
  const rows = await executor
    .select()
    .from(n)
    .where(and(eq(n.applicationId, applicationId), beforeId === undefined ? undefined : lt(n.id, beforeId)))
    .orderBy(desc(n.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, kind: r.kind, recipient: r.recipient, subject: r.subject, status: r.status, error: r.error, attempts: r.attempts, at: r.at.toISOString() }));
}
