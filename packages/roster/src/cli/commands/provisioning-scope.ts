/**
 * `roster apps on-demand | scope-preview | escrow …`: provision one user or group now with every
 * step printed, preview a scoping filter change before saving it, and the escrow of failed objects.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { type Kit, examples, fetchPages, withPaging } from '../command-kit.ts';
import { CliError } from '../io.ts';
import { type Column, formatRecord } from '../output.ts';
import { resolveAppId, resolveGroupId, resolveUserId } from './resolve.ts';

interface Step {
  name: string;
  outcome: string;
  detail: string;
}

interface OnDemand {
  result: string;
  steps: Step[];
  users?: { identity: string; result: string; steps: Step[] }[];
  group?: { result: string; detail: string };
}

interface EscrowItem {
  objectType: string;
  directoryId: string;
  identity: string | null;
  attempts: number;
  nextAttemptAt: string;
  lastError: { code: string; message: string; advice: string | null } | null;
}

const escrowColumns: Column<EscrowItem>[] = [
  { header: 'id', value: (e) => e.directoryId },
  { header: 'type', value: (e) => e.objectType },
  { header: 'identity', value: (e) => e.identity },
  { header: 'attempts', value: (e) => e.attempts },
  { header: 'next attempt', value: (e) => e.nextAttemptAt },
  { header: 'last error', value: (e) => (e.lastError ? `${e.lastError.code}: ${e.lastError.message}` : '') },
];

const stepLines = (steps: Step[], indent = ''): string => steps.map((s) => `${indent}${s.name.padEnd(10)} ${s.outcome.padEnd(12)} ${s.detail}`).join('\n');

/** Reads the filters file: an array of scoping filters, or `{ "scope"?, "scopingFilters" }`. */
async function readFilters(kit: Kit, file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(kit.io.cwd ?? process.cwd(), file), 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not JSON: ${(e as Error).message}`, 2);
  }
  if (Array.isArray(parsed)) return { scopingFilters: parsed };
  if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  throw new CliError(`${file} must hold an array of scoping filters or { "scope", "scopingFilters" }`, 2);
}

export function registerScopeCommands(apps: Command, kit: Kit): void {
  const onDemand = apps
    .command('on-demand <app>')
    .description('provision one user (or one group: its users, then the group) now, printing every step; exit 1 when it failed')
    .option('--user <user>', 'a user id or email')
    .option('--group <group>', 'a group id or name')
    .action(async (appRef: string, o: { user?: string; group?: string }, cmd: Command) => {
      if (Boolean(o.user) === Boolean(o.group)) throw new CliError('give either --user or --group', 2);
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const body = o.user ? { userId: await resolveUserId(client, o.user) } : { groupId: await resolveGroupId(client, o.group as string) };
      const r = await client.json<OnDemand>('POST', `/api/apps/${id}/provisioning/on-demand`, { body });
      const out = kit.output(cmd);
      if (out.json) out.record(r);
      else {
        if (r.steps.length) kit.io.stdout.write(`${stepLines(r.steps)}\n`);
        for (const u of r.users ?? []) kit.io.stdout.write(`${u.identity}: ${u.result}\n${stepLines(u.steps, '  ')}\n`);
        if (r.group) kit.io.stdout.write(`group: ${r.group.result} ${r.group.detail}\n`);
        kit.io.stdout.write(`result: ${r.result}\n`);
      }
      if (r.result === 'failed') throw new CliError('provisioning on demand failed (see the steps above)');
    });
  examples(onDemand, ['roster apps on-demand Support --user ada@example.com', 'roster apps on-demand Support --group Agents --json']);

  const preview = apps
    .command('scope-preview <app>')
    .description('who would enter and leave scope with these scoping filters (nothing is saved)')
    .requiredOption('--filters <file.json>', 'a JSON array of scoping filters, or { "scope": "assigned"|"all", "scopingFilters": [...] }')
    .action(async (appRef: string, o: { filters: string }, cmd: Command) => {
      const body = await readFilters(kit, o.filters);
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const r = await client.json<{ current: number; proposed: number; entering: { count: number; users: { email: string }[] }; leaving: { count: number; users: { email: string }[] }; leavingProvisioned: number; leavingAction: string; dropsEveryone: boolean; staged: boolean; note: string | null }>(
        'POST',
        `/api/apps/${id}/provisioning/scope-preview`,
        { body },
      );
      const out = kit.output(cmd);
      if (out.json) return out.record(r);
      const names = (l: { count: number; users: { email: string }[] }) => `${l.count}${l.users.length ? `: ${l.users.map((u) => u.email).join(', ')}${l.count > l.users.length ? ', …' : ''}` : ''}`;
      out.record({
        'in scope now': r.current,
        'in scope after': r.proposed,
        entering: names(r.entering),
        leaving: names(r.leaving),
        'leaving, provisioned': `${r.leavingProvisioned} (${r.leavingAction})`,
        ...(r.dropsEveryone ? { warning: 'every provisioned user would leave scope' } : {}),
        ...(r.staged ? { staged: 'yes: the deletion threshold would stage these removals for approval' } : {}),
        ...(r.note ? { note: r.note } : {}),
      });
    });
  examples(preview, ['roster apps scope-preview Support --filters filters.json']);

  const escrow = apps.command('escrow').description('objects whose last action failed and wait for a retry');
  examples(escrow, ['roster apps escrow list Support', 'roster apps escrow retry Support']);
  const list = withPaging(escrow.command('list <app>').description('escrowed objects, next attempt first')).action(async (appRef: string, o: { limit?: number; cursor?: string; all?: boolean }, cmd: Command) => {
    const client = kit.client(cmd);
    const id = await resolveAppId(client, appRef);
    kit.output(cmd).list(await fetchPages<EscrowItem>(client, `/api/apps/${id}/provisioning/escrow`, {}, o), escrowColumns);
  });
  examples(list, ['roster apps escrow list Support --all']);
  const retry = escrow
    .command('retry <app> [ids...]')
    .description('retry now: every escrowed object, or those directory ids')
    .action(async (appRef: string, ids: string[], _o, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const r = await client.json<{ queued: number; directoryIds: string[] }>('POST', `/api/apps/${id}/provisioning/escrow/retry`, { body: ids.length ? { directoryIds: ids } : {} });
      kit.output(cmd).done(formatRecord({ 'retry queued for': r.queued }), r);
    });
  examples(retry, ['roster apps escrow retry Support', 'roster apps escrow retry Support 8c1e… 9d2f…']);
}
