import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildControlRouter } from './control/control-routes.ts';
import { createRequestListener } from './http/server.ts';
import { buildApiRouter } from './routes/api-routes.ts';
import type { AccountOptions } from './store/account-options.ts';
import { StateFile, type StateReport } from './persist/state-file.ts';
import { AccountRegistry } from './store/registry.ts';

export type { Account, AccountCredentials } from './store/account.ts';
export type { AccountOptions } from './store/account-options.ts';
export { accountOptionsSchema } from './store/account-options.ts';
export type { FaultConfig } from './faults/faults.ts';
export { StateFileError } from './persist/state-errors.ts';
export type { StateReport } from './persist/state-file.ts';

/** The default account's fixed credentials, so an embedded sandbox is predictable. */
export const DEFAULT_ACCOUNT = {
  subdomain: 'roster',
  adminEmail: 'admin@roster.example.com',
  adminPassword: 'sandbox-password',
  apiToken: 'sandbox-api-token',
  oauthClientId: 'roster',
  oauthClientSecret: 'sandbox-client-secret',
} as const satisfies AccountOptions;

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** The default account, also served at the root path. Default subdomain `roster`. */
  readonly defaultAccount?: Partial<AccountOptions>;
  /** Request bodies above this size get 413. Default 2 MiB. */
  readonly bodyLimitBytes?: number;
  /**
   * Keep every account in this file and load it at start (created when missing). Without it the
   * sandbox lives in memory only (the default, for tests). A file another process holds, from a
   * newer sandbox, or not a state file throws a `StateFileError`; a damaged one is recovered up to
   * the damage and reported in `state.recovery`.
   */
  readonly stateFile?: string;
}

/** A running (or ready to run) sandbox. */
export interface Sandbox {
  /** Starts listening; port 0 picks a free port. Resolves with the base URL. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the server, all job timers and open connections. */
  close(): Promise<void>;
  /** Direct access to the accounts (the same state the control API changes). */
  readonly registry: AccountRegistry;
  /** What was loaded from the state file (null in memory-only mode). */
  readonly state: StateReport | null;
}

/**
 * Creates an in-memory Zendesk Support API imitation. Nothing is shared between two sandboxes, so
 * tests can start one each on port 0.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const defaults: AccountOptions = { ...DEFAULT_ACCOUNT, ...options.defaultAccount };
  let registry: AccountRegistry;
  let stateFile: StateFile | null = null;
  let report: StateReport | null = null;
  if (options.stateFile) {
    const opened = StateFile.open(options.stateFile, (restore) => new AccountRegistry(defaults, restore));
    ({ registry, report } = opened);
    stateFile = opened.state;
    registry.stateReport = report;
    // A restored default account keeps its credentials but learns redirect URIs asked for now.
    const client = registry.default.oauth.clientByIdentifier(registry.default.credentials.oauthClientId);
    for (const uri of options.defaultAccount?.oauthRedirectUris ?? []) {
      if (client && !client.redirectUris.includes(uri)) {
        client.redirectUris.push(uri);
        registry.default.oauth.touchClient(client);
      }
    }
    stateFile.flush();
  } else registry = new AccountRegistry(defaults);
  const listener = createRequestListener({
    registry,
    flush: stateFile ? () => (stateFile as StateFile).flush() : undefined,
    api: buildApiRouter(),
    control: buildControlRouter(),
    bodyLimitBytes: options.bodyLimitBytes ?? 2 * 1024 * 1024,
  });
  const server: Server = createServer({ keepAliveTimeout: 5000 }, listener);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return {
    registry,
    state: report,
    listen(port = 4010, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = host.includes(':') ? `[${host}]` : host;
          resolve({ url: `http://${shownHost}:${address.port}`, port: address.port });
        });
      });
    },
    close() {
      registry.close();
      return new Promise((resolve) => {
        const done = () => {
          stateFile?.close();
          resolve();
        };
        if (!server.listening) return done();
        server.close(done);
        server.closeAllConnections();
      });
    },
  };
}
