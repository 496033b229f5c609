/**
 * `roster apps provisioning …`: an application's provisioning — state and summary, connection (API
 * token or OAuth), Test connection, on/off, pause/resume, a full cycle now (`--wait`), restart and
 * the provisioning log. One file per group of verbs; plans, scope and import live beside it.
 */
import { type Command, Option } from 'commander';
import type { ApiClient } from '../api-client.ts';
import { type Kit, examples, fetchPages, ifMatch, keyValue, positiveInt, withPaging } from '../command-kit.ts';
import { CliError } from '../io.ts';
import { type Column, formatRecord } from '../output.ts';
import { readSecret, waitUntil } from '../wait.ts';
import { actionSentence, codeSentence, countsSentence, cycleKindWords, cycleStatusWords, eventStatusWords, planCountsSentence, wordFor } from '../../words/words.ts';
import { resolveAppId } from './resolve.ts';

/** What `connect --method` reads of a gallery entry. */
interface GalleryMethods {
  key: string;
  connectionMethods: { method: string; fields: { key: string; type: string; required: boolean }[] }[];
}

type Json = Record<string, unknown>;

interface Cycle {
  id: string;
  kind: string;
  status: string;
  counts: Record<string, number>;
  progress: { total: number; done: number };
  error: Json | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

interface SyncStatus {
  state: string;
  stateReason: Json | null;
  running: Cycle | null;
  lastCompleted: Cycle | null;
  lastCycleAt: string | null;
  nextCycleAt: string | null;
  awaitingApproval: boolean;
  pendingPlan: { id: string; kind: string; counts: Record<string, number>; version: number } | null;
  escrowed: number;
  quarantine: { since: string | null; cause: string | null; failedRuns: number } | null;
}

interface ConfigView {
  applicationId: string;
  enabled: boolean;
  state: string;
  stateReason: Json | null;
  connection: { method: string | null; subdomain: string | null; clientId: string | null; adminEmail: string | null; connected: boolean; hasClientSecret: boolean; connectedAt: string | null; scopes: string[] };
  settings: Json & { mappings: unknown[]; scopingFilters: unknown[]; scope: string; requireApproval: boolean; provisionGroups: boolean; cycleIntervalMinutes: number; deletionThreshold: Json; syncActions: Json };
  settingsSaved: boolean;
  redirectUrl: string;
  version: number;
}

interface EventRow {
  id: number;
  at: string;
  identity: string | null;
  objectType: string;
  action: string;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  advice: string | null;
}

const counts = (c: Record<string, number> | undefined): string => countsSentence(c ?? {});

const describeCycle = (c: Cycle | null): string => (c ? `${wordFor(cycleKindWords, c.kind)}, ${wordFor(cycleStatusWords, c.status).toLowerCase()} at ${c.finishedAt ?? c.startedAt}: ${counts(c.counts)}${c.durationMs === null ? '' : ` (${(c.durationMs / 1000).toFixed(1)} s)`}` : 'none yet');

const reasonText = (r: Json | null): string | null => (r ? [r['message'], r['advice']].filter((x) => typeof x === 'string' && x).join(' — ') || JSON.stringify(r) : null);

/** The record `show` prints: what the Provisioning tab's Overview shows, without secrets. */
export function summarize(config: ConfigView, status: SyncStatus): Json {
  const s = config.settings;
  const conn = config.connection;
  return {
    enabled: config.enabled ? 'on' : 'off',
    state: status.state,
    ...(reasonText(status.stateReason) ? { reason: reasonText(status.stateReason) } : {}),
    connection: conn.method ? `${conn.method === 'oauth' ? `OAuth client ${conn.clientId}` : conn.adminEmail ? `API token as ${conn.adminEmail}` : conn.method} — ${conn.connected ? `connected since ${conn.connectedAt}` : 'not connected yet'}` : 'none',
    ...(conn.method === 'oauth' ? { 'oauth redirect url': config.redirectUrl } : {}),
    settings: `${config.settingsSaved ? '' : '(defaults) '}scope ${s.scope}, ${s.mappings.length} mappings, ${s.scopingFilters.length} scoping filters, every ${s.cycleIntervalMinutes} min, approval ${s.requireApproval ? 'required' : 'not required'}, groups ${s.provisionGroups ? 'on' : 'off'}`,
    running: status.running ? `${wordFor(cycleKindWords, status.running.kind)}: ${status.running.progress.done}/${status.running.progress.total}` : 'nothing',
    'last cycle': describeCycle(status.lastCompleted),
    'next cycle': status.nextCycleAt ?? 'not scheduled',
    'awaiting approval': status.awaitingApproval ? `yes: plan ${status.pendingPlan?.id} (version ${status.pendingPlan?.version}; roster apps plan approve|discard)` : 'no',
    'staged deletions': status.pendingPlan?.kind === 'staged_deletions' ? `plan ${status.pendingPlan.id} (version ${status.pendingPlan.version}): ${planCountsSentence(status.pendingPlan.counts)}` : 'none',
    escrow: status.escrowed,
    ...(status.quarantine ? { quarantine: `since ${status.quarantine.since}: ${status.quarantine.cause}, ${status.quarantine.failedRuns} failed runs in a row` } : {}),
    version: config.version,
  };
}

const eventColumns: Column<EventRow>[] = [
  { header: 'id', value: (e) => e.id },
  { header: 'at', value: (e) => e.at },
  { header: 'object', value: (e) => e.objectType },
  { header: 'identity', value: (e) => e.identity },
  { header: 'action', value: (e) => actionSentence(e.action, e.objectType) },
  { header: 'status', value: (e) => wordFor(eventStatusWords, e.status) },
  { header: 'error', value: (e) => (e.errorCode ? `${codeSentence(e.errorCode)}: ${e.errorMessage ?? ''}${e.advice ? ` (${e.advice})` : ''}` : '') },
];

const base = (id: string) => `/api/apps/${id}/provisioning`;

/**
 * Starts a full cycle; with `wait`, follows `/status` until a full cycle that started after the
 * request (by the server's clock: its Date header, whole seconds) has finished.
 */
async function runCycle(kit: Kit, client: ApiClient, id: string, wait: { timeout: number } | undefined): Promise<Cycle | null> {
  const response = await client.send('POST', `${base(id)}/cycles`);
  await response.body?.cancel();
  if (!wait) return null;
  const requestedAt = Date.parse(response.headers.get('date') ?? '') - 1000;
  if (Number.isNaN(requestedAt)) throw new CliError('the server sent no Date header, so --wait cannot tell its cycle from earlier ones');
  const done = await waitUntil(
    kit.io,
    () => client.json<SyncStatus>('GET', `${base(id)}/status`),
    (s) => s.running === null && s.lastCompleted !== null && Date.parse(s.lastCompleted.startedAt) >= requestedAt,
    { label: 'cycle', unit: 'objects', timeoutSeconds: wait.timeout, progress: (s) => (s.running ? { done: s.running.progress.done, total: s.running.progress.total } : undefined) },
  );
  return done.lastCompleted;
}

export function registerProvisioningCommands(apps: Command, kit: Kit): void {
  const prov = apps.command('provisioning').description("an application's provisioning: state, connection, on/off, cycles, log");
  examples(prov, ['roster apps provisioning show Support', 'ZENDESK_API_TOKEN=… roster apps provisioning connect Support --admin-email admin@acme.com', 'roster apps provisioning run Support --wait']);

  const show = prov.command('show <app>').description('state and why, connection (no secrets), settings summary, last and next cycle, approval, staged deletions').action(async (appRef: string, _o, cmd: Command) => {
    const client = kit.client(cmd);
    const id = await resolveAppId(client, appRef);
    const [config, status] = await Promise.all([client.json<ConfigView>('GET', base(id)), client.json<SyncStatus>('GET', `${base(id)}/status`)]);
    const out = kit.output(cmd);
    if (out.json) out.record({ config, status });
    else out.record(summarize(config, status));
  });
  examples(show, ['roster apps provisioning show "Helpdesk – Support"', 'roster apps provisioning show Support --json | jq .status.lastCompleted']);

  const connect = prov
    .command('connect <app>')
    .description("save the connection: an admin email and API token, an OAuth client (then open the printed Authorize URL), or any method of the application's connector with --method and --field")
    .option('--admin-email <email>', 'API token: the admin of the target account the token acts as')
    .option('--api-token <->', 'API token: "-" reads it from standard input; left out, ZENDESK_API_TOKEN is used')
    .option('--oauth-client-id <id>', "OAuth: the client's unique identifier in the target")
    .option('--oauth-client-secret <->', 'OAuth: "-" reads the secret from standard input; left out, ZENDESK_OAUTH_CLIENT_SECRET is used')
    .option('--method <method>', "a connection method of the application's connector (GET /api/gallery lists each with its fields), e.g. bearer")
    .option('--field <key=value>', 'a field of --method (repeatable); a secret field takes "-" (standard input) or, left out, ROSTER_CONNECTION_<KEY> (e.g. ROSTER_CONNECTION_CLIENT_SECRET)', keyValue)
    .option('--version <n>', 'the configuration version you read (If-Match; default: the current one)', positiveInt)
    .action(async (appRef: string, o: { adminEmail?: string; apiToken?: string; oauthClientId?: string; oauthClientSecret?: string; method?: string; field?: Record<string, string>; version?: number }, cmd: Command) => {
      if ([o.adminEmail, o.oauthClientId, o.method].filter(Boolean).length !== 1) throw new CliError('give one of --admin-email (API token), --oauth-client-id (OAuth) or --method with --field', 2);
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const body: Record<string, string | undefined> = o.method
        ? await methodBody(client, id, o.method, o.field ?? {})
        : o.adminEmail
          ? { method: 'api_token', adminEmail: o.adminEmail, apiToken: await readSecret(kit.io, o.apiToken, 'ZENDESK_API_TOKEN', '--api-token') }
          : { method: 'oauth', clientId: o.oauthClientId, clientSecret: await readSecret(kit.io, o.oauthClientSecret, 'ZENDESK_OAUTH_CLIENT_SECRET', '--oauth-client-secret') };
      // Left out, --version is the configuration's version now: the write still names what it replaces.
      const version = o.version ?? (await client.json<ConfigView>('GET', base(id))).version;
      const config = await client.json<ConfigView>('PUT', `${base(id)}/connection`, { body, headers: ifMatch(version) });
      const out = kit.output(cmd);
      if (body['method'] === 'api_token') return out.done(`saved the API token connection (as ${o.adminEmail}); check it with \`roster apps provisioning test\``, config);
      if (body['method'] !== 'oauth') return out.done(`saved the ${body['method']} connection; check it with \`roster apps provisioning test\``, config);
      const auth = await client.json<{ authorizeUrl: string; expiresAt: string }>('POST', `${base(id)}/oauth/authorize`);
      out.done(`saved the OAuth client. Register this redirect URL on it in the target:\n  ${config.redirectUrl}\nthen open this address in a browser signed in as an admin of the target account (valid until ${auth.expiresAt}):\n  ${auth.authorizeUrl}`, { ...config, ...auth });
    });

  /** The body of `--method` from its form (the application's gallery entry): secrets only from standard input or the environment. */
  async function methodBody(client: ApiClient, appId: string, method: string, given: Record<string, string>): Promise<Record<string, string>> {
    const app = await client.json<{ type: string }>('GET', `/api/apps/${encodeURIComponent(appId)}`);
    const entry = (await client.json<{ items: GalleryMethods[] }>('GET', '/api/gallery')).items.find((e) => e.key === app.type);
    const form = entry?.connectionMethods.find((m) => m.method === method);
    if (!form) throw new CliError(`--method ${method}: the application offers ${(entry?.connectionMethods ?? []).map((m) => m.method).join(', ') || 'no connection method'}`, 2);
    const unknown = Object.keys(given).filter((k) => !form.fields.some((f) => f.key === k));
    if (unknown.length) throw new CliError(`--field ${unknown.join(', ')}: not a field of ${method} (${form.fields.map((f) => f.key).join(', ')})`, 2);
    const body: Record<string, string> = { method };
    for (const f of form.fields) {
      const env = `ROSTER_CONNECTION_${f.key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
      if (f.type === 'secret' && (f.required || given[f.key] !== undefined)) body[f.key] = await readSecret(kit.io, given[f.key], env, `--field ${f.key}`);
      else if (given[f.key] !== undefined) body[f.key] = given[f.key]!;
    }
    return body;
  }
  examples(connect, [
    'ZENDESK_API_TOKEN=… roster apps provisioning connect Support --admin-email admin@acme.com',
    'pass show roster/api-token | roster apps provisioning connect Support --admin-email admin@acme.com --api-token -',
    'ZENDESK_OAUTH_CLIENT_SECRET=… roster apps provisioning connect Support --oauth-client-id roster',
    'ROSTER_CONNECTION_TOKEN=… roster apps provisioning connect "Acme SCIM" --method bearer',
    'ROSTER_CONNECTION_CLIENT_SECRET=… roster apps provisioning connect "Acme SCIM" --method oauth_client_credentials --field tokenUrl=https://acme.example/oauth/token --field clientId=roster',
  ]);
  connect.addHelpText('after', 'Secrets are never taken as argument values: other local users see arguments in `ps`, and the shell keeps them in its history.\n');

  const test = prov.command('test <app>').description('Test connection: each step with its outcome; exit 1 when a step fails').action(async (appRef: string, _o, cmd: Command) => {
    const client = kit.client(cmd);
    const id = await resolveAppId(client, appRef);
    const r = await client.json<{ ok: boolean; steps: { name: string; ok: boolean; message: string }[]; actingAs: { email: string | null; role: string } | null; warnings: string[] }>('POST', `${base(id)}/test`);
    const out = kit.output(cmd);
    if (out.json) out.record(r);
    else {
      for (const s of r.steps) kit.io.stdout.write(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name}: ${s.message}\n`);
      if (r.actingAs) kit.io.stdout.write(`acting as ${r.actingAs.email ?? '?'} (${r.actingAs.role})\n`);
      for (const w of r.warnings) kit.io.stdout.write(`warning: ${w}\n`);
    }
    if (!r.ok) throw new CliError('the connection test failed (see above)');
  });
  examples(test, ['roster apps provisioning test Support']);

  const verbs = [
    ['enable', 'switch provisioning on (Test connection must pass; starts the initial cycle)', 'on'],
    ['disable', 'switch provisioning off', 'off'],
    ['pause', 'pause a switched-on application: no work starts until resumed', 'paused'],
    ['resume', 'resume: a catch-up cycle follows', 'resumed'],
  ] as const;
  for (const [verb, description, word] of verbs) {
    const c = prov
      .command(`${verb} <app>`)
      .description(description)
      .option('--version <n>', 'the version you read (If-Match)', positiveInt)
      .action(async (appRef: string, o: { version?: number }, cmd: Command) => {
        const client = kit.client(cmd);
        const id = await resolveAppId(client, appRef);
        const config = await client.json<ConfigView>('POST', `${base(id)}/${verb}`, { headers: ifMatch(o.version) });
        kit.output(cmd).done(`provisioning ${word}: state ${config.state} (version ${config.version})`, config);
      });
    examples(c, [`roster apps provisioning ${verb} Support`]);
  }

  const run = prov
    .command('run <app>')
    .description('run a full cycle now (provisioning must be on); --wait follows it with a progress bar and prints its counts')
    .option('--wait', 'wait for the cycle to finish')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds', positiveInt, 600)
    .action(async (appRef: string, o: { wait?: boolean; timeout: number }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const cycle = await runCycle(kit, client, id, o.wait ? { timeout: o.timeout } : undefined);
      const out = kit.output(cmd);
      if (!cycle) return out.done('cycle requested (follow it with `roster apps provisioning show`)', { requested: true });
      out.done(`cycle ${cycle.status}: ${counts(cycle.counts)}`, cycle);
      if (cycle.status !== 'completed') throw new CliError(`the cycle ended ${cycle.status}${cycle.error ? `: ${reasonText(cycle.error)}` : ''}`);
    });
  examples(run, ['roster apps provisioning run Support', 'roster apps provisioning run Support --wait --json']);

  const restart = prov
    .command('restart <app>')
    .description('restart: cancel the running cycle, clear escrow and quarantine, supersede pending plans, keep or reset links, then an initial cycle')
    .addOption(new Option('--links <what>', 'keep: Roster still knows which target user is whose; reset: forget it and match again').choices(['keep', 'reset']).makeOptionMandatory())
    .option('--version <n>', 'the version you read (default: the current one)', positiveInt)
    .action(async (appRef: string, o: { links: string; version?: number }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const version = o.version ?? (await client.json<ConfigView>('GET', base(id))).version;
      const r = await client.json<ConfigView & { restart: Record<string, number | boolean> }>('POST', `${base(id)}/restart`, { body: { links: o.links }, headers: ifMatch(version) });
      kit.output(cmd).done(`restarted:\n${formatRecord(r.restart)}`, r);
    });
  examples(restart, ['roster apps provisioning restart Support --links keep', 'roster apps provisioning restart Support --links reset --version 7']);

  const logs = withPaging(prov.command('logs <app>').description('the provisioning log, newest first'))
    .option('--user <user>', 'a directory user id, or part of the email or name')
    .option('--action <action>', 'create, update, suspend, unsuspend, delete, link, skip, …')
    .addOption(new Option('--status <status>', 'outcome').choices(['success', 'failed', 'skipped']))
    .option('--from <time>', 'from this ISO 8601 time (with offset), inclusive')
    .option('--to <time>', 'until this ISO 8601 time, exclusive')
    .option('--cycle <id>', 'one cycle (ids: --json of `roster apps provisioning show`)')
    .action(async (appRef: string, o: { user?: string; action?: string; status?: string; from?: string; to?: string; cycle?: string; limit?: number; cursor?: string; all?: boolean }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveAppId(client, appRef);
      const page = await fetchPages<EventRow>(client, `${base(id)}/events`, { user: o.user, action: o.action, status: o.status, from: o.from, to: o.to, cycleId: o.cycle }, o);
      kit.output(cmd).list(page, eventColumns);
    });
  examples(logs, ['roster apps provisioning logs Support --status failed', 'roster apps provisioning logs Support --user ada@ --from 2026-05-01T00:00:00Z']);
}
