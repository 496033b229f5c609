/**
 * `roster apps dry-run | plans | plan …`: kept provisioning plans — a dry run (what a full cycle
 * would do now, optionally exported as CSV), the plans list, one plan's actions, and the decision on
 * a plan awaiting approval or on removals staged by the deletion threshold.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { ApiClient } from '../api-client.ts';
import { type Kit, examples, fetchPages, ifMatch, positiveInt, withPaging } from '../command-kit.ts';
import { CliError } from '../io.ts';
import type { Column } from '../output.ts';
import { waitUntil } from '../wait.ts';
import { actionSentence, planCountsSentence, planKindWords, planStatusWords, wordFor } from '../../words/words.ts';
import { resolveAppId } from './resolve.ts';

interface Plan {
  id: string;
  kind: string;
  status: string;
  counts: Record<string, number>;
  reason: Record<string, unknown> | null;
  createdAt: string;
  decidedAt: string | null;
  version: number;
}

interface PlanAction {
  seq: number;
  identity: string | null;
  objectType: string;
  action: string;
  changes: { property: string; old: unknown; new: unknown }[];
  reason: string | null;
}

const planColumns: Column<Plan>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'kind', value: (p) => wordFor(planKindWords, p.kind) },
  { header: 'status', value: (p) => wordFor(planStatusWords, p.status) },
  { header: 'created', value: (p) => p.createdAt },
  { header: 'version', value: (p) => p.version },
  { header: 'counts', value: (p) => planCountsSentence(p.counts) },
];

const value = (v: unknown): string => (v === null || v === undefined ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v));
const actionColumns: Column<PlanAction>[] = [
  { header: 'seq', value: (a) => a.seq },
  { header: 'identity', value: (a) => a.identity },
  { header: 'action', value: (a) => actionSentence(a.action, a.objectType) },
  { header: 'changes', value: (a) => a.changes.map((c) => `${c.property}: ${value(c.old)} → ${value(c.new)}`).join('; ') },
  { header: 'reason', value: (a) => a.reason },
];

const plans = (id: string) => `/api/apps/${id}/provisioning/plans`;

/** Saves the plan's CSV export to `file` (relative to the working directory). */
async function exportCsv(kit: Kit, client: ApiClient, appId: string, planId: string, file: string): Promise<string> {
  const response = await client.send('GET', `${plans(appId)}/${planId}/export`, { query: { format: 'csv' }, headers: { accept: 'text/csv' } });
  const target = path.resolve(kit.io.cwd ?? process.cwd(), file);
  try {
    await fs.writeFile(target, Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    throw new CliError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
  return target;
}

export function registerPlanCommands(apps: Command, kit: Kit): void {
  const dry = apps
    .command('dry-run <app>')
    .description('compute what a full cycle would do now, without applying it (kept as a plan)')
    .option('--wait', 'wait until the plan is computed and print its counts')
    .option('--export <file.csv>', 'with --wait: also save every action as CSV')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds', positiveInt, 600)
    .action(async (appRef: string, o: { wait?: boolean; export?: string; timeout: number }, cmd: Command) => {
      if (o.export && !o.wait) throw new CliError('--export needs --wait (the plan must be computed first)', 2);
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const { plan } = await client.json<{ plan: Plan }>('POST', `/api/apps/${id}/provisioning/dry-runs`);
      const out = kit.output(cmd);
      if (!o.wait) return out.done(`dry run ${plan.id} requested (see \`roster apps plans ${appRef}\`)`, plan);
      const done = await waitUntil(kit.io, () => client.json<Plan>('GET', `${plans(id)}/${plan.id}`), (p) => p.status !== 'computing', { label: 'dry run', unit: 'actions', timeoutSeconds: o.timeout });
      if (done.status === 'failed') throw new CliError(`the dry run failed: ${JSON.stringify(done.reason)}`);
      const saved = o.export ? await exportCsv(kit, client, id, done.id, o.export) : undefined;
      out.done(`dry run ${done.id}: ${planCountsSentence(done.counts)}${saved ? `\nactions saved to ${saved}` : ''}`, { ...done, ...(saved ? { exportedTo: saved } : {}) });
    });
  examples(dry, ['roster apps dry-run Support --wait', 'roster apps dry-run Support --wait --export plan.csv']);

  const list = withPaging(apps.command('plans <app>').description('kept plans, newest first: dry runs, plans awaiting approval, staged deletions'))
    .addOption(new Option('--kind <kind>', 'only this kind').choices(['dry_run', 'approval', 'staged_deletions']))
    .addOption(new Option('--status <status>', 'only this status').choices(['computing', 'ready', 'pending', 'approved', 'discarded', 'applied', 'superseded', 'failed']))
    .action(async (appRef: string, o: { kind?: string; status?: string; limit?: number; cursor?: string; all?: boolean }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      kit.output(cmd).list(await fetchPages<Plan>(client, plans(id), { kind: o.kind, status: o.status }, o), planColumns);
    });
  examples(list, ['roster apps plans Support --status pending']);

  const plan = apps.command('plan').description('one plan: its actions, and approving or discarding it');
  examples(plan, ['roster apps plan show Support 3f2a…', 'roster apps plan approve Support 3f2a… --version 1']);

  const show = withPaging(plan.command('show <app> <planId>').description("a plan's actions in order: who, what, properties old → new, why"))
    .option('--action <action>', 'only this action (create, update, suspend, delete, …)')
    .action(async (appRef: string, planId: string, o: { action?: string; limit?: number; cursor?: string; all?: boolean }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const p = await client.json<Plan>('GET', `${plans(id)}/${planId}`);
      const out = kit.output(cmd);
      const page = await fetchPages<PlanAction>(client, `${plans(id)}/${planId}/actions`, { action: o.action }, o);
      if (out.json) return out.record({ plan: p, actions: page });
      kit.io.stdout.write(`plan ${p.id}: ${wordFor(planKindWords, p.kind)}, ${wordFor(planStatusWords, p.status).toLowerCase()}, version ${p.version}; ${planCountsSentence(p.counts)}\n`);
      out.list(page, actionColumns);
    });
  examples(show, ['roster apps plan show Support 3f2a… --action delete']);

  for (const verb of ['approve', 'discard'] as const) {
    const c = plan
      .command(`${verb} <app> <planId>`)
      .description(verb === 'approve' ? 'approve a pending plan (staged removals: allow them); a job applies it, re-checking each action' : 'discard a pending plan (staged removals: provisioning resumes; the next cycle stages them again if the cause remains)')
      .requiredOption('--version <n>', 'the version of the plan you read (`roster apps plans`): you decide on what you saw', positiveInt)
      .action(async (appRef: string, planId: string, o: { version: number }, cmd: Command) => {
        const client = kit.client(cmd);
        const id = await resolveAppId(client, appRef);
        const p = await client.json<Plan>('POST', `${plans(id)}/${planId}/${verb}`, { headers: ifMatch(o.version) });
        kit.output(cmd).done(`plan ${p.id} ${p.status}`, p);
      });
    examples(c, [`roster apps plan ${verb} Support 3f2a… --version 1`]);
  }
}
