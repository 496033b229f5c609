/**
 * `roster apps import …`: import users from a connected target account. A session reads and
 * classifies every user of the account (a job: `--wait` follows it), its items are reviewed by category,
 * and a confirmed selection is applied by another job.
 */
import { type Command, Option } from 'commander';
import type { ApiClient } from '../api-client.ts';
import { type Kit, examples, fetchPages, ifMatch, positiveInt, withPaging } from '../command-kit.ts';
import { CliError } from '../io.ts';
import type { Column } from '../output.ts';
import { waitUntil } from '../wait.ts';
import { importItemStatusWords, importStatusWords, wordFor } from '../../words/words.ts';
import { resolveAppId } from './resolve.ts';

interface Session {
  id: string;
  status: string;
  counts: Record<string, number>;
  progress: { phase: string; done: number; total: number | null };
  notImported: { target: string; reason: string }[];
  error: { code: string; message: string; advice?: string } | null;
  createdAt: string;
  finishedAt: string | null;
  version: number;
}

interface Item {
  targetId: string;
  category: string;
  identity: string;
  differences: { field: string; directory: unknown; target: unknown }[];
  reason: string | null;
  applyStatus: string | null;
}

const countText = (c: Record<string, number>): string =>
  Object.entries(c)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

const itemColumns: Column<Item>[] = [
  { header: 'target id', value: (i) => i.targetId },
  { header: 'identity', value: (i) => i.identity },
  { header: 'category', value: (i) => i.category },
  { header: 'applied', value: (i) => wordFor(importItemStatusWords, i.applyStatus) },
  { header: 'differences or reason', value: (i) => i.reason ?? i.differences.map((d) => `${d.field}: ${JSON.stringify(d.directory)} → ${JSON.stringify(d.target)}`).join('; ') },
];

const sessions = (id: string) => `/api/apps/${id}/provisioning/import-sessions`;

const sessionRecord = (s: Session): Record<string, unknown> => ({
  session: s.id,
  status: s.status,
  progress: `${s.progress.phase} ${s.progress.done}${s.progress.total === null ? '' : `/${s.progress.total}`}`,
  counts: countText(s.counts) || 'none yet',
  ...(s.notImported.length ? { 'not imported': s.notImported.map((n) => `${n.target} (${n.reason})`).join('; ') } : {}),
  ...(s.error ? { error: `${s.error.code}: ${s.error.message}${s.error.advice ? ` ${s.error.advice}` : ''}` } : {}),
  version: s.version,
});

/** Polls the session while it is in `busy`; prints it; exit 1 when it ended failed. */
async function follow(kit: Kit, client: ApiClient, appId: string, sessionId: string, busy: string, label: string, timeout: number): Promise<Session> {
  const s = await waitUntil(kit.io, () => client.json<Session>('GET', `${sessions(appId)}/${sessionId}`), (x) => x.status !== busy, {
    label,
    unit: 'users',
    timeoutSeconds: timeout,
    progress: (x) => ({ done: x.progress.done, total: x.progress.total }),
  });
  return s;
}

export function registerImportCommands(apps: Command, kit: Kit): void {
  const imp = apps.command('import').description('import users from the connected target account: read and classify, review, confirm');
  examples(imp, ['roster apps import start Support --wait', 'roster apps import items Support 5b1c… --category conflict', 'roster apps import confirm Support 5b1c… --category new --source-profile target --version 2 --wait']);

  const print = (cmd: Command, s: Session) => {
    const out = kit.output(cmd);
    if (out.json) out.record(s);
    else out.record(sessionRecord(s));
    if (s.status === 'failed') throw new CliError(`the import session failed${s.error ? `: ${s.error.message}` : ''}`);
  };

  const start = imp
    .command('start <app>')
    .description('start a session: a job reads and classifies every user of the target account (new, update, activate, deactivate, conflict, unchanged)')
    .option('--wait', 'follow the read with a progress bar and print the counts')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds', positiveInt, 600)
    .action(async (appRef: string, o: { wait?: boolean; timeout: number }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const s = await client.json<Session>('POST', sessions(id));
      print(cmd, o.wait ? await follow(kit, client, id, s.id, 'reading', 'reading', o.timeout) : s);
    });
  examples(start, ['roster apps import start Support --wait']);

  const list = withPaging(imp.command('list <app>').description('import sessions, newest first')).action(async (appRef: string, o: { limit?: number; cursor?: string; all?: boolean }, cmd: Command) => {
    const client = kit.client(cmd);
    const id = await resolveAppId(client, appRef);
    kit.output(cmd).list(await fetchPages<Session>(client, sessions(id), {}, o), [
      { header: 'id', value: (s) => s.id },
      { header: 'status', value: (s) => wordFor(importStatusWords, s.status) },
      { header: 'created', value: (s) => s.createdAt },
      { header: 'version', value: (s) => s.version },
      { header: 'counts', value: (s) => countText(s.counts) },
    ]);
  });
  examples(list, ['roster apps import list Support']);

  const show = imp.command('show <app> <session>').description('one session: status, progress, counts per category, version').action(async (appRef: string, sessionId: string, _o, cmd: Command) => {
    const client = kit.client(cmd);
    const id = await resolveAppId(client, appRef);
    print(cmd, await client.json<Session>('GET', `${sessions(id)}/${sessionId}`));
  });
  examples(show, ['roster apps import show Support 5b1c…']);

  const items = withPaging(imp.command('items <app> <session>').description("a session's items: target user, category, differences or conflict reason, apply status"))
    .addOption(new Option('--category <category>', 'only this category').choices(['new', 'update', 'activate', 'deactivate', 'conflict', 'unchanged']))
    .addOption(new Option('--apply-status <status>', 'only items in this apply state').choices(['pending', 'applied', 'failed', 'none']))
    .option('-q, --search <text>', 'email or name')
    .action(async (appRef: string, sessionId: string, o: { category?: string; applyStatus?: string; search?: string; limit?: number; cursor?: string; all?: boolean }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      kit.output(cmd).list(await fetchPages<Item>(client, `${sessions(id)}/${sessionId}/items`, { category: o.category, applyStatus: o.applyStatus, search: o.search }, o), itemColumns);
    });
  examples(items, ['roster apps import items Support 5b1c… --category conflict']);

  const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)];
  const confirm = imp
    .command('confirm <app> <session>')
    .description('apply a selection (a job, in batches): categories and/or target user ids; items already confirmed are never applied twice')
    .option('--category <categories>', 'new, update, activate, deactivate (comma-separated or repeated)', collect)
    .option('--target-id <ids>', 'user ids in the target (comma-separated or repeated)', collect)
    .addOption(new Option('--source-profile <which>', 'for updates: whose profile wins').choices(['target', 'directory']))
    .requiredOption('--version <n>', 'the session version you read (`roster apps import show`): you confirm what you reviewed', positiveInt)
    .option('--wait', 'follow the apply with a progress bar and print the counts')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds', positiveInt, 600)
    .action(async (appRef: string, sessionId: string, o: { category?: string[]; targetId?: string[]; sourceProfile?: string; version: number; wait?: boolean; timeout: number }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const body = { ...(o.category ? { categories: o.category } : {}), ...(o.targetId ? { targetIds: o.targetId } : {}), ...(o.sourceProfile ? { sourceProfile: o.sourceProfile } : {}) };
      const s = await client.json<Session & { selected: number }>('POST', `${sessions(id)}/${sessionId}/confirm`, { body, headers: ifMatch(o.version) });
      if (!o.wait) return print(cmd, s);
      const done = await follow(kit, client, id, s.id, 'applying', 'applying', o.timeout);
      print(cmd, done);
      if ((done.counts['failed'] ?? 0) > 0) throw new CliError(`${done.counts['failed']} users were not imported (roster apps import items … --apply-status failed)`);
    });
  examples(confirm, ['roster apps import confirm Support 5b1c… --category new,update --source-profile target --version 2 --wait', 'roster apps import confirm Support 5b1c… --target-id 1001,1002 --version 3']);
}
