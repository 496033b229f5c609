/**
 * The `provisioning.notify` job: mails one recorded notification (notify.ts) through the configured
 * SMTP server and writes the outcome on its row. Without ROSTER_SMTP_URL the row says
 * `not_configured` and the process warns once; the notification still shows in the API and UI.
 */
import { eq } from 'drizzle-orm';
import { provisioningNotifications } from '../../db/provisioning-schema.ts';
import type { JobHandler, WorkerContext } from '../../jobs/handlers.ts';
import { type Mailer, smtpMailer } from './mailer.ts';
import { type NotifyJobData, markNotification, notifyQueue } from './notify.ts';

let warnedNoSmtp = false;

export function createNotifyJob(opts: { mailer?: (smtpUrl: string) => Mailer } = {}): JobHandler<NotifyJobData> {
  const mailerFor = opts.mailer ?? smtpMailer;
  return {
    queue: notifyQueue,
    batchSize: 5,
    async handle(jobs, ctx) {
      for (const job of jobs) await sendOne(job.data, ctx, mailerFor);
    },
  };
}

async function sendOne(data: NotifyJobData, ctx: WorkerContext, mailerFor: (smtpUrl: string) => Mailer): Promise<void> {
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
  if (sent.ok) await markNotification(db, row.id, 'sent', null);
  else {
    ctx.log.error({ notificationId: row.id, kind: row.kind, error: sent.error }, 'failure email was not accepted by the SMTP server');
    await markNotification(db, row.id, 'failed', sent.error);
  }
}
