/**
 * The `provisioning.notify` job: mails one recorded notification (notify.ts) through the configured
 * SMTP server and writes the outcome on its row. A transient refusal (4xx, server unreachable) is
 * tried again after a growing delay — the row stays `queued` with the attempt count and the last
 * answer — until it is accepted (`sent`) or the attempts run out (`failed`, saying how many); a
 * permanent refusal (5xx) is `failed` at once. Without ROSTER_SMTP_URL the row says
 * `not_configured` and the process warns once; the notification still shows in the API and UI.
 */
import { eq, sql } from 'drizzle-orm';
import { provisioningNotifications } from '../../db/provisioning-schema.ts';
import type { JobHandler, WorkerContext } from '../../jobs/handler.ts';
import { enqueue } from '../../jobs/queue.ts';
import { type Mailer, smtpMailer } from './mailer.ts';
import { type NotifyJobData, markNotification, notifyQueue } from './notify.ts';

let warnedNoSmtp = false;

/** Seconds before each retry of a transiently refused email: 6 attempts over about 2 hours. */
export const NOTIFY_RETRY_DELAYS_SECONDS = [30, 120, 600, 1_800, 3_600] as const;

export interface NotifyJobOptions {
  mailer?: (smtpUrl: string) => Mailer;
  /** Delays before the 2nd, 3rd, … attempt; their count is the number of retries. */
  retryDelaysSeconds?: readonly number[];
}

export function createNotifyJob(opts: NotifyJobOptions = {}): JobHandler<NotifyJobData> {
  const mailerFor = opts.mailer ?? smtpMailer;
  const delays = opts.retryDelaysSeconds ?? NOTIFY_RETRY_DELAYS_SECONDS;
  return {
    queue: notifyQueue,
    batchSize: 5,
    async handle(jobs, ctx) {
      for (const job of jobs) await sendOne(job.data, ctx, mailerFor, delays);
    },
  };
}

async function sendOne(data: NotifyJobData, ctx: WorkerContext, mailerFor: (smtpUrl: string) => Mailer, delays: readonly number[]): Promise<void> {
  const db = ctx.database.db;
  const [row] = await db.select().from(provisioningNotifications).where(eq(provisioningNotifications.id, data.notificationId));
  // Already settled (a retried job) or deleted with its application.
  if (!row || row.status !== 'queued' || !row.recipient) return;
  const smtpUrl = ctx.config.smtpUrl;
  if (!smtpUrl) {
    if (!warnedNoSmtp) {
      warnedNoSmtp = true;
      (ctx.log.warn ?? ctx.log.info).call(ctx.log, { notificationId: row.id, kind: row.kind }, 'failure emails are not sent: no SMTP server is configured (ROSTER_SMTP_URL)');
    }
    await markNotification(db, row.id, 'not_configured', 'No SMTP server is configured (ROSTER_SMTP_URL).');
    return;
  }
  const link = `${ctx.config.publicUrl.replace(/\/+$/, '')}/apps/${row.applicationId}`;
  const sent = await mailerFor(smtpUrl).send({
    from: ctx.config.mailFrom,
    to: row.recipient,
    subject: row.subject,
    text: `${data.text.trimEnd()}\n\nOpen the application in Roster: ${link}\n\n— Roster provisioning\n`,
  });
  const attempts = row.attempts + 1;
  if (sent.ok) {
    await markNotification(db, row.id, 'sent', null, attempts);
    return;
  }
  const delay = sent.transient ? delays[attempts - 1] : undefined;
  if (delay !== undefined) {
    ctx.log.error({ notificationId: row.id, kind: row.kind, attempts, retryInSeconds: delay, error: sent.error }, 'failure email refused by the SMTP server for now; it is tried again');
    await db.transaction(async (tx) => {
      await tx
        .update(provisioningNotifications)
        .set({ attempts: sql`${provisioningNotifications.attempts} + 1`, error: `Attempt ${attempts} refused, tried again in ${delay} s: ${sent.error}` })
        .where(eq(provisioningNotifications.id, row.id));
      await enqueue(ctx.queue, tx, notifyQueue, data, { startAfter: new Date(Date.now() + delay * 1_000), retryLimit: 3, retryDelay: 30, retryBackoff: true });
    });
    return;
  }
  ctx.log.error({ notificationId: row.id, kind: row.kind, attempts, error: sent.error }, 'failure email was not accepted by the SMTP server');
  const error = sent.transient ? `Refused ${attempts} times by the SMTP server, the last answer: ${sent.error}` : sent.error;
  await markNotification(db, row.id, 'failed', error, attempts);
}
