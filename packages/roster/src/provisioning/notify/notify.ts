/**
 * Failure notifications are decided inside the caller's transaction (a `provisioning_notifications`
 * row plus a `provisioning.notify` job) and mailed after it commits by the job (send-job.ts): a
 * rolled-back decision never mails anyone, and a slow SMTP server never holds an engine transaction.
 * The row is what the API and UI list, whether or not an email went out.
 */
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { provisioningConfigs, provisioningNotifications } from '../../db/provisioning-schema.ts';
import { type Queue, enqueue } from '../../jobs/queue.ts';
import { provisioningSettingsSchema } from '../config/settings-schema.ts';

export const notificationKinds = ['quarantined', 'quarantine_lifted', 'staged_deletions', 'approval_required', 'credentials_expired', 'cycle_failed'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** `queued` until the send job settles it (retries of a transient refusal included); then `sent`, `failed` (SMTP refused it) or `not_configured`. */
export type NotificationStatus = 'queued' | 'sent' | 'failed' | 'not_configured';

export interface NotificationMessage {
  kind: NotificationKind;
  /** Names the application and the state, e.g. `Roster: "Helpdesk – Support" is quarantined`. */
  subject: string;
  /** Plain text: what happened, counts, advice. The link to the application page is added when sent. */
  text: string;
}

/** The pg-boss queue of the send job; its handler is in send-job.ts. */
export const notifyQueue = 'provisioning.notify';

export interface NotifyJobData {
  notificationId: number;
  applicationId: string;
  text: string;
}

// Only the two fields, read leniently: the rest of the settings is not this module's to judge.
const recipientSettings = provisioningSettingsSchema.pick({ notificationEmail: true, sendFailureEmails: true }).strip();

/**
 * Records one notification of an application and, when the application has failure emails on and
 * an address, queues its email. Call inside the transaction that changes the state it reports.
 */
export async function notify(executor: Executor, queue: Queue | undefined, applicationId: string, message: NotificationMessage): Promise<{ id: number; status: NotificationStatus }> {
  const [config] = await executor.select({ settings: provisioningConfigs.settings }).from(provisioningConfigs).where(eq(provisioningConfigs.applicationId, applicationId));
  const parsed = recipientSettings.safeParse(config?.settings ?? {});
  const settings = parsed.success ? parsed.data : { notificationEmail: null, sendFailureEmails: false };
  const recipient = settings.notificationEmail;
  const skipped = !settings.sendFailureEmails
    ? 'Failure emails are off for this application (settings.sendFailureEmails).'
    : !recipient
      ? 'No notification email is set for this application (settings.notificationEmail).'
      : null;
  const [row] = await executor
    .insert(provisioningNotifications)
    .values({ applicationId, kind: message.kind, recipient, subject: message.subject, status: skipped ? 'not_configured' : 'queued', error: skipped })
    .returning({ id: provisioningNotifications.id });
  const id = row!.id;
  if (skipped) return { id, status: 'not_configured' };
  if (!queue) {
    await markNotification(executor, id, 'failed', 'This process runs without a job queue, so it cannot send emails.');
    return { id, status: 'failed' };
  }
  const job = await enqueue(queue, executor, notifyQueue, { notificationId: id, applicationId, text: message.text } satisfies NotifyJobData, { retryLimit: 3, retryDelay: 30, retryBackoff: true });
  if (job === null) {
    // pg-boss inserts nothing for a queue no worker has created yet: say so instead of `queued` forever.
    await markNotification(executor, id, 'failed', 'No worker has started on this database, so nothing sends emails yet.');
    return { id, status: 'failed' };
  }
  return { id, status: 'queued' };
}

/** Settles a notification; `attempts`: how many times the SMTP server was tried, when it was. */
export async function markNotification(executor: Executor, id: number, status: Exclude<NotificationStatus, 'queued'>, error: string | null, attempts?: number): Promise<void> {
  await executor.update(provisioningNotifications).set({ status, error, ...(attempts === undefined ? {} : { attempts }) }).where(eq(provisioningNotifications.id, id));
}
