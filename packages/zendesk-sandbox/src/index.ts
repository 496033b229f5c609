import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildControlRouter } from './control/control-routes.ts';
import { createRequestListener } from './http/server.ts';
import { buildApiRouter } from './routes/api-routes.ts';
import type { AccountOptions } from './store/account-options.ts';
import { AccountRegistry } from './store/registry.ts';

export type { Account, AccountCredentials } from './store/account.ts';
export type { AccountOptions } from './store/account-options.ts';
export { accountOptionsSchema } from './store/account-options.ts';
export type { FaultConfig } from './faults/faults.ts';

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
}

/** A running (or ready to run) sandbox. */
export interface Sandbox {
  /** Starts listening; port 0 picks a free port. Resolves with the base URL. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops the server, all job timers and open connections. */
  close(): Promise<void>;
  /** Direct access to the accounts (the same state the control API changes). */
  readonly registry: AccountRegistry;
}

/**
 * Creates an in-memory Zendesk Support API imitation. Nothing is shared between two sandboxes, so
 * tests can start one each on port 0.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const registry = new AccountRegistry({ ...DEFAULT_ACCOUNT, ...options.defaultAccount });
  const listener = createRequestListener({
    registry,
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
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
