/**
 * The words of the health notifications: a subject naming the application and its state, and a
 * plain-text body with what happened, the figures and the advice (the send job adds the link).
 */
import type { NotificationMessage } from '../notify/notify.ts';
import type { NoticeFacts, NoticeKind } from './assess-run.ts';

const CAUSES: Record<string, string> = {
  configuration: 'the target refused the connection or the configuration',
  failure_rate: 'too many actions failed in one run',
  failed_runs: 'several runs in a row failed entirely',
};

const run = (f: NoticeFacts) => (f.kind === 'incremental' ? 'incremental batch' : `${f.kind.replace('_', '-')} cycle`);
const every = (m: number | null) => (m === null ? null : m >= 60 ? `${Math.round(m / 6) / 10} hours` : `${m} minutes`);

export function healthMessage(kind: NoticeKind, appName: string, f: NoticeFacts): NotificationMessage {
  const lines: string[] = [];
  const figures = `Last ${run(f)}: ${f.attempted} action(s) attempted, ${f.failed} failed.`;
  const error = f.error ? [`Error: ${f.error.message} (${f.error.code})`, `Advice: ${f.error.advice}`] : [];
  switch (kind) {
    case 'credentials_expired':
      lines.push(
        `The target refused the credentials Roster holds for "${appName}", so provisioning is quarantined: no change reaches the target until the connection works again.`,
        ...error,
        `Full cycles now run every ${every(f.nextCycleInMinutes)}; directory changes wait in escrow and are applied by the next successful cycle, which also lifts the quarantine.`,
        'To recover now: reconnect the application (authorize again, or save a new API token) on its Provisioning tab, then run a cycle.',
      );
      break;
    case 'quarantined':
      lines.push(
        `Provisioning of "${appName}" is quarantined: ${CAUSES[f.cause ?? ''] ?? 'failures passed the threshold'}.`,
        figures,
        ...(f.cause === 'failed_runs' ? [`Runs in a row that failed entirely: ${f.failedRuns}.`] : []),
        ...error,
        `Full cycles now run every ${every(f.nextCycleInMinutes)} (doubling while they fail, up to 24 hours); failed users wait in escrow.`,
        'Advice: open the provisioning log filtered on failed events to see the errors; fix their cause, then run a cycle now. The next successful cycle lifts the quarantine and you will get one more email.',
      );
      break;
    case 'quarantine_lifted':
      lines.push(
        `Provisioning of "${appName}" is out of quarantine: a full cycle succeeded.`,
        figures,
        ...(f.quarantinedAt ? [`Quarantined since ${f.quarantinedAt}.`] : []),
        'Cycles run on their usual schedule again; users still in escrow are retried.',
      );
      break;
    case 'cycle_failed':
      lines.push(`A provisioning ${run(f)} of "${appName}" failed before it finished.`, figures, ...error, 'Roster retries on the next cycle; if this keeps happening the application is quarantined and you will be told.');
      break;
  }
  const states: Record<NoticeKind, string> = {
    credentials_expired: 'credentials refused, quarantined',
    quarantined: 'quarantined',
    quarantine_lifted: 'quarantine lifted',
    cycle_failed: 'cycle failed',
  };
  return { kind, subject: `Roster: "${appName}" provisioning ${states[kind]}`, text: lines.join('\n\n') };
}
