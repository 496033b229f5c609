import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET_KEY_HEX } from '../../../test/test-app.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/smtp-sink.ts';
import { type Config, loadConfig } from '../../config/config.ts';
import { provisioningConfigs, provisioningNotifications } from '../../db/provisioning-schema.ts';
import { applications } from '../../db/schema.ts';
import type { WorkerContext } from '../../jobs/handler.ts';
import { type Queue, startQueue } from '../../jobs/queue.ts';
import { type Worker, startWorker } from '../../runtime/worker.ts';
import { settingsDefaultsFor } from '../config/default-settings.ts';
import { type NotifyJobData, notify } from './notify.ts';
import { createNotifyJob } from './send-job.ts';

const silent = { info: () => undefined, error: () => undefined, warn: () => undefined };

function configWith(env: Record<string, string>, dataDir: string): Config {
  const c = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ROSTER_PUBLIC_URL: 'https://roster.example.test', ...env });
  if (!c.ok) throw new Error(c.error.join('\n'));
  return c.value;
}

describe.each(openTestDatabase.drivers())('failure notifications through a real SMTP server on %s', (driver) => {
  let t: TestDatabase;
  let queue: Queue;
  let worker: Worker;
  let smtp: SmtpSink;
  let config: Config;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await openTestDatabase(driver);
    queue = await startQueue(t.database, { supervise: false });
    config = configWith({ ROSTER_SMTP_URL: smtp.url, ROSTER_MAIL_FROM: 'Roster Alerts <alerts@roster.example.test>' }, t.location.dataDir);
    worker = await startWorker({ database: t.database, queue, config, secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), log: silent, handlers: [createNotifyJob({ retryDelaysSeconds: [1, 2] })] });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await queue?.stop({ graceful: true, wait: true, timeout: 10_000 });
    await t?.close();
    await smtp?.close();
  });

  async function appWith(name: string, settings: { notificationEmail: string | null; sendFailureEmails: boolean }): Promise<string> {
    const [app] = await t.database.db.insert(applications).values({ type: 'zendesk', displayName: name, settings: { subdomain: 'acme' } }).returning({ id: applications.id });
    await t.database.db.insert(provisioningConfigs).values({ applicationId: app!.id, enabled: true, state: 'idle', settings: { ...settingsDefaultsFor('zendesk'), ...settings } });
    return app!.id;
  }
  const row = async (id: number) => (await t.database.db.select().from(provisioningNotifications).where(eq(provisioningNotifications.id, id)))[0]!;
  async function until<T>(probe: () => Promise<T | false>): Promise<T> {
    const end = Date.now() + 20_000;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      // The worker polls its queue now rather than at its 1 s interval: a mail job starts once it is due.
      worker.wake();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  async function settled(id: number) {
    const end = Date.now() + 20_000;
    for (;;) {
      const r = await row(id);
      if (r.status !== 'queued') return r;
      if (Date.now() > end) throw new Error(`notification ${id} still queued`);
      worker.wake();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('mails the configured address once the transaction commits: recipient, sender, subject, body and link', async () => {
    const appId = await appWith(`Zendesk ${driver} – Support`, { notificationEmail: 'ops@example.test', sendFailureEmails: true });
    const subject = `Roster: "Zendesk ${driver} – Support" is quarantined`;
    const sent = await t.database.db.transaction((tx) => notify(tx, queue, appId, { kind: 'quarantined', subject, text: '12 of 20 actions failed in the last cycle (60%).\nAdvice: check the Zendesk status page.' }));
    expect(sent.status).toBe('queued');
    const r = await settled(sent.id);
    expect(r).toMatchObject({ status: 'sent', error: null, recipient: 'ops@example.test', kind: 'quarantined', subject });
    const mail = smtp.received.find((m) => m.subject === subject)!;
    expect(mail.envelopeTo).toEqual(['ops@example.test']);
    expect(mail.envelopeFrom).toBe('alerts@roster.example.test');
    expect(mail.from).toContain('alerts@roster.example.test');
    expect(mail.user).toBe('roster');
    expect(mail.text).toContain('12 of 20 actions failed in the last cycle (60%).');
    expect(mail.text).toContain('Advice: check the Zendesk status page.');
    expect(mail.text).toContain(`https://roster.example.test/apps/${appId}`);
  });

  it('a refusal for now (4xx) is retried with backoff until the server accepts it; the row records the attempts', async () => {
    const appId = await appWith(`Retry ${driver}`, { notificationEmail: 'ops@example.test', sendFailureEmails: true });
    const subject = `Roster: "Retry ${driver}" failed`;
    const refusedBefore = smtp.refused;
    smtp.refuseNext(2, 451);
    const started = Date.now();
    const queued = await t.database.db.transaction((tx) => notify(tx, queue, appId, { kind: 'cycle_failed', subject, text: 'x' }));
    const r = await settled(queued.id);
    expect(r).toMatchObject({ status: 'sent', error: null, attempts: 3 });
    expect(smtp.refused - refusedBefore).toBe(2);
    expect(smtp.received.filter((m) => m.subject === subject)).toHaveLength(1);
    // Backoff: 1 s then 2 s between the attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
  });

  it('a refusal that lasts past the retries ends failed, saying how many attempts; a permanent refusal (5xx) fails at once', async () => {
    const appId = await appWith(`Refused ${driver}`, { notificationEmail: 'ops@example.test', sendFailureEmails: true });
    smtp.refuseNext(10, 452);
    const lasting = await t.database.db.transaction((tx) => notify(tx, queue, appId, { kind: 'cycle_failed', subject: `lasting ${driver}`, text: 'x' }));
    const first = await until(async () => (await row(lasting.id)).attempts === 1 && (await row(lasting.id)));
    expect(first).toMatchObject({ status: 'queued', error: expect.stringContaining('Attempt 1 refused') });
    expect(await settled(lasting.id)).toMatchObject({ status: 'failed', attempts: 3, error: expect.stringMatching(/^Refused 3 times by the SMTP server, the last answer: .*452/) });

    smtp.refuseNext(1, 554);
    const permanent = await t.database.db.transaction((tx) => notify(tx, queue, appId, { kind: 'cycle_failed', subject: `permanent ${driver}`, text: 'x' }));
    expect(await settled(permanent.id)).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('554') });
    smtp.refuseNext(0);
  });

  it('records but does not mail when failure emails are off or no address is set; a rolled-back decision leaves nothing', async () => {
    const off = await appWith('Emails off', { notificationEmail: 'ops@example.test', sendFailureEmails: false });
    const noAddress = await appWith('No address', { notificationEmail: null, sendFailureEmails: true });
    const before = smtp.received.length;
    const a = await t.database.db.transaction((tx) => notify(tx, queue, off, { kind: 'cycle_failed', subject: 'off', text: 'x' }));
    const b = await t.database.db.transaction((tx) => notify(tx, queue, noAddress, { kind: 'cycle_failed', subject: 'no address', text: 'x' }));
    expect(await row(a.id)).toMatchObject({ status: 'not_configured', error: expect.stringContaining('sendFailureEmails') });
    expect(await row(b.id)).toMatchObject({ status: 'not_configured', recipient: null, error: expect.stringContaining('notificationEmail') });

    const on = await appWith('Rolled back', { notificationEmail: 'ops@example.test', sendFailureEmails: true });
    await expect(
      t.database.db.transaction(async (tx) => {
        await notify(tx, queue, on, { kind: 'cycle_failed', subject: 'rolled back', text: 'x' });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await t.database.db.select().from(provisioningNotifications).where(eq(provisioningNotifications.applicationId, on))).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.received.length).toBe(before);
  });

  it('without ROSTER_SMTP_URL the row says not_configured and the process warns once', async () => {
    const appId = await appWith('No SMTP', { notificationEmail: 'ops@example.test', sendFailureEmails: true });
    const warnings: string[] = [];
    const ctx: WorkerContext = {
      database: t.database,
      queue,
      config: configWith({}, t.location.dataDir),
      secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'),
      log: { ...silent, warn: (_o, msg) => warnings.push(msg ?? '') },
    };
    // Two rows written directly (no job), handed to the real handler as its worker would.
    const ids = await t.database.db
      .insert(provisioningNotifications)
      .values([1, 2].map((n) => ({ applicationId: appId, kind: 'cycle_failed', recipient: 'ops@example.test', subject: `no smtp ${n}`, status: 'queued' })))
      .returning({ id: provisioningNotifications.id });
    const job = createNotifyJob();
    for (const { id } of ids) await job.handle([{ id: String(id), name: job.queue, data: { notificationId: id, applicationId: appId, text: 'x' } satisfies NotifyJobData }] as never, ctx);
    for (const { id } of ids) expect(await row(id)).toMatchObject({ status: 'not_configured', error: expect.stringContaining('ROSTER_SMTP_URL') });
    // Once per process: another test file's worker may have warned already, so at most one here.
    expect(warnings.length).toBeLessThanOrEqual(1);
  });

  it('a refused login marks the row failed, without the password in the stored error', async () => {
    const appId = await appWith('Bad password', { notificationEmail: 'ops@example.test', sendFailureEmails: true });
    const wrong = smtp.url.replace('mail-pass-123', 'wrong-pass-456');
    const ctx: WorkerContext = { database: t.database, queue, config: configWith({ ROSTER_SMTP_URL: wrong }, t.location.dataDir), secretKey: Buffer.from(TEST_SECRET_KEY_HEX, 'hex'), log: silent };
    const [{ id }] = (await t.database.db.insert(provisioningNotifications).values({ applicationId: appId, kind: 'credentials_expired', recipient: 'ops@example.test', subject: 'bad password', status: 'queued' }).returning({ id: provisioningNotifications.id })) as [{ id: number }];
    const job = createNotifyJob();
    await job.handle([{ id: String(id), name: job.queue, data: { notificationId: id, applicationId: appId, text: 'x' } satisfies NotifyJobData }] as never, ctx);
    const r = await row(id);
    expect(r.status).toBe('failed');
    expect(r.attempts).toBe(1);
    expect(r.error).toMatch(/auth|login|535|Invalid/i);
    expect(r.error).not.toContain('wrong-pass-456');
  });
});
