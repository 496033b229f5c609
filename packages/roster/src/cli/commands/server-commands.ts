/** `serve`, `worker`, `migrate`: the commands that run Roster itself on the database directly. */
import { type Command, Option } from 'commander';
import { type Config, type RawSettings, type SettingName, loadConfig, settings } from '../../config/config.ts';
import { runMigrations } from '../../runtime/migrate.ts';
import { startServer } from '../../runtime/server.ts';
import { onShutdownSignals } from '../../runtime/shutdown.ts';
import { startWorkerProcess } from '../../runtime/worker-process.ts';
import { examples } from '../command-kit.ts';
import { CliError, type CliIo } from '../io.ts';

type SettingFilter = (name: SettingName) => boolean;

/** One `--flag <value>` per setting of config/config.ts, so flags and variables never drift apart. */
function addSettingOptions(cmd: Command, include: SettingFilter): Map<string, SettingName> {
  const byAttribute = new Map<string, SettingName>();
  for (const [name, s] of Object.entries(settings) as [SettingName, (typeof settings)[SettingName]][]) {
    if (!include(name)) continue;
    const option = new Option(`${s.flag} <value>`, `${s.help} [${s.env}]${s.default ? ` (default: ${s.default})` : ''}`);
    cmd.addOption(option);
    byAttribute.set(option.attributeName(), name);
  }
  return byAttribute;
}

function configFrom(io: CliIo, cmd: Command, byAttribute: Map<string, SettingName>, extra: RawSettings = {}): Config {
  const flags: RawSettings = {};
  const values = cmd.opts<Record<string, unknown>>();
  for (const [attribute, name] of byAttribute) {
    const v = values[attribute];
    if (typeof v === 'string') flags[name] = v;
  }
  const loaded = loadConfig(io.env, { ...flags, ...extra });
  if (!loaded.ok) throw new CliError(`invalid configuration:\n${loaded.error.map((e) => `  ${e}`).join('\n')}`, 2);
  return loaded.value;
}

export function registerServerCommands(program: Command, io: CliIo): void {
  const print = (line: string) => void io.stdout.write(`${line}\n`);

  const serve = program.command('serve').description('run the API, the admin UI and (by default) a job worker');
  const serveFlags = addSettingOptions(serve, () => true);
  serve
    .option('--no-worker', 'shorthand for --worker false: no job worker in this process (run `roster worker` on PostgreSQL)')
    .option('--with-sandbox', 'shorthand for --sandbox true: also start the Zendesk sandbox (demo, development)')
    .action(async (_opts, cmd: Command) => {
      // `--worker <bool>` (a setting) and its shorthand `--no-worker` share one value: false, a string, or unset.
      const o = cmd.opts<{ worker?: string | false; withSandbox?: boolean }>();
      const extra: RawSettings = {};
      if (o.worker === false) extra.worker = 'false';
      if (o.withSandbox) extra.sandbox = 'true';
      const config = configFrom(io, cmd, serveFlags, extra);
      const starting = startServer(config, { worker: config.worker, sandbox: config.sandbox, print });
      // Registered before the banner appears: a signal right after it must still stop gracefully.
      const dispose = onShutdownSignals(async () => {
        await (await starting).close();
        print('Roster stopped.');
      }, { print });
      await starting.catch((e: unknown) => {
        dispose();
        throw e;
      });
    });
  examples(serve, [
    'roster serve                                   # embedded PGlite in ./data, worker included',
    'roster serve --with-sandbox --port 9000',
    'DATABASE_URL=postgres://roster@db/roster roster serve --no-worker --host 0.0.0.0',
  ]);

  const dbOnly: SettingFilter = (n) => n === 'dataDir' || n === 'databaseUrl' || n === 'logLevel' || n === 'secretKey';
  const worker = program.command('worker').description('run a job worker only (scale-out: any number share one PostgreSQL)');
  const workerFlags = addSettingOptions(worker, dbOnly);
  worker.action(async (_opts, cmd: Command) => {
    const config = configFrom(io, cmd, workerFlags);
    // PGlite is one process's database: a second process on the same folder would corrupt it.
    if (!config.databaseUrl) throw new CliError('roster worker needs PostgreSQL (DATABASE_URL or --database-url); with embedded PGlite, `roster serve` runs the worker itself', 2);
    const starting = startWorkerProcess(config, print);
    const dispose = onShutdownSignals(async () => {
      await (await starting).close();
      print('Worker stopped.');
    }, { print });
    await starting.catch((e: unknown) => {
      dispose();
      throw e;
    });
  });
  examples(worker, ['DATABASE_URL=postgres://roster@db/roster roster worker']);

  const migrate = program.command('migrate').description('apply pending database migrations and exit (serve and worker also do this at start)');
  const migrateFlags = addSettingOptions(migrate, (n) => n === 'dataDir' || n === 'databaseUrl');
  migrate.action(async (_opts, cmd: Command) => {
    await runMigrations(configFrom(io, cmd, migrateFlags), print);
  });
  examples(migrate, ['roster migrate --data-dir ./data', 'DATABASE_URL=postgres://roster@db/roster roster migrate']);
}
