/**
 * `roster serve`: database (migrated), secret key, owner, queue, optional in-process worker and
 * Zendesk sandbox, the HTTP API and UI; then one banner. `close()` undoes it all in reverse order.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { ensureOwner } from '../admins/bootstrap.ts';
import { buildApp } from '../api/app.ts';
import { markInterruptedImports } from '../csv-import/import-runs.ts';
import type { ApiApp } from '../api/context.ts';
import { loggerOptions } from '../api/logger.ts';
import { type Config, derivedPublicUrl, settings } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { type Queue, startQueue } from '../jobs/queue.ts';
import { formatBanner, frameBanner, readyLogRecord } from './banner.ts';
import { prettyDestination } from './log-format.ts';
import { openConfiguredDatabase } from './open.ts';
import { type RunningSandbox, startSandbox } from './sandbox.ts';
import { loadSecretKey } from './secret-key.ts';
import { startLeaseHolder } from '../provisioning/run/lease-holder.ts';
import { startWorker } from './worker.ts';

export interface ServeOptions {
  worker: boolean;
  sandbox: boolean;
  /** Where progress lines and the banner go (default: stdout). */
  print?: (text: string) => void;
  /** Logs are JSON lines (default: when stdout is not a terminal): the banner is then framed and comes after the start-up records. */
  jsonLogs?: boolean;
}

export interface RunningServer {
  /** The URL admins use (publicUrl, or the bound address when listening on port 0 without ROSTER_PUBLIC_URL). */
  url: string;
  /** Where this process actually listens (differs from `url` behind a proxy or with ROSTER_PUBLIC_URL). */
  listenUrl: string;
  /** The configuration the app and worker run with (secret key, sandbox URL, effective public URL). */
  config: Config;
  app: ApiApp;
  database: Database;
  queue: Queue;
  sandbox: RunningSandbox | undefined;
  banner: string;
  /** Graceful: stop accepting, finish in-flight requests, stop the queue and sandbox, close the database. */
  close(): Promise<void>;
}

export async function startServer(config: Config, opts: ServeOptions): Promise<RunningServer> {
  const print = opts.print ?? ((text: string) => void process.stdout.write(`${text}\n`));
  const log = pino(loggerOptions(config.logLevel), ...(process.stdout.isTTY ? [prettyDestination(process.stdout)] : []));
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (e) {
        log.error({ err: e }, 'error while stopping');
      }
    }
  };
  try {
    const { database, description } = await openConfiguredDatabase(config, print);
    closers.push(() => database.close());

    const secret = await loadSecretKey(config);
    if (secret.source === 'created-file') {
      print(`Created the secret key file ${secret.file} (back it up with the database).`);
      if (config.databaseUrl) print('With PostgreSQL, give every other serve and worker process this key as ROSTER_SECRET_KEY.');
    }
    // Later modules read the key from the configuration, whichever source it came from.
    let effective: Config = { ...config, secretKey: Buffer.from(secret.key), worker: opts.worker, sandbox: opts.sandbox };

    const owner = await ensureOwner(database.db, { email: config.adminEmail, password: config.adminPassword });
    // PGlite's folder is this process's alone, so any import still `running` there died with an earlier process.
    const interrupted = await markInterruptedImports(database.db, { everyRunning: database.driver === 'pglite' });
    if (interrupted > 0) print(`${interrupted} CSV import(s) stopped with an earlier process: marked interrupted (their counts are what was committed).`);

    // Leases this process takes (its worker's runs, provision on demand) name it, so others see at once when it dies;
    // given up only after the queue stopped (closers run in reverse), so jobs finishing gracefully keep their leases.
    closers.push(await startLeaseHolder(database, log));
    const queue = await startQueue(database, { supervise: true });
    closers.push(() => queue.stop({ graceful: true, wait: true, timeout: 10_000 }));

    let sandbox: RunningSandbox | undefined;
    if (opts.sandbox) {
      // With ROSTER_PORT=0 the public URL is known only once listening: registered below instead.
      const portKnown = !(config.port === 0 && config.publicUrl === derivedPublicUrl(config.host, 0));
      // Its accounts survive restarts in <data-dir>/zendesk-sandbox.state, beside the links Roster keeps to them.
      sandbox = await startSandbox(config.sandboxPort, config.host, { dataDir: config.dataDir, oauthRedirectUris: portKnown ? [`${config.publicUrl}/provision/oauth/callback`] : [] });
      closers.push(() => (sandbox as RunningSandbox).close());
      // The one place the embedded sandbox becomes the Zendesk target: unless ROSTER_ZENDESK_URL names another.
      if (config.targetUrls['zendesk'] === settings.zendeskUrlTemplate.default) effective = { ...effective, targetUrls: { ...effective.targetUrls, zendesk: `${sandbox.url}/{subdomain}` } };
    }

    if (!opts.worker && !config.databaseUrl) print('Note: no job worker runs; with embedded PGlite only this process can work jobs (drop --no-worker).');
    if (opts.worker) {
      const worker = await startWorker({ database, queue, config: effective, secretKey: secret.key, log });
      closers.push(() => worker.stop());
    }

    const { app } = await buildApp({ database, config: effective, queue, logger: log });
    closers.push(() => app.close());
    await app.listen({ port: config.port, host: config.host }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES' && e.code !== 'EADDRNOTAVAIL') throw e;
      throw new Error(`cannot listen on ${config.host}:${config.port} (${e.code}); choose another --port / ROSTER_PORT or --host / ROSTER_HOST`, { cause: e });
    });
    const bound = app.server.address() as AddressInfo;
    // On port 0 the derived URL is only known now; ctx.config is read per request, so this reaches the OAuth redirect too.
    if (config.port === 0 && config.publicUrl === derivedPublicUrl(config.host, 0)) {
      effective.publicUrl = derivedPublicUrl(config.host, bound.port);
      sandbox?.allowRedirectUri(`${effective.publicUrl}/provision/oauth/callback`);
    }
    const url = effective.publicUrl;
    const listenUrl = derivedPublicUrl(config.host, bound.port);

    const info = { url, database: description, owner, worker: opts.worker, sandbox: sandbox?.banner };
    const banner = formatBanner(info);
    const jsonLogs = opts.jsonLogs ?? !process.stdout.isTTY;
    // Fastify logs "Server listening" just after listen() resolves: let it and the ready record out (flushed) first, so the banner comes last, as one block.
    await new Promise((resolve) => setImmediate(resolve));
    if (jsonLogs) log.info(readyLogRecord(info), 'Roster is ready (the banner follows)');
    await new Promise<void>((resolve) => log.flush(() => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    print(frameBanner(banner, jsonLogs));
    return { url, listenUrl, config: effective, app, database, queue, sandbox, banner, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
