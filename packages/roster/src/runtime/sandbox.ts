/**
 * Starts the Zendesk sandbox inside the Roster process (`roster serve --with-sandbox`). The sandbox is
 * its own workspace package that imports nothing from Roster; we load it by relative path (no
 * package dependency), only when asked, so a production install never loads it.
 */
import path from 'node:path';
import type { BannerInfo } from './banner.ts';

/** The embedded sandbox's state file inside Roster's data folder. */
export const SANDBOX_STATE_FILE = 'zendesk-sandbox.state';

export interface RunningSandbox {
  url: string;
  banner: NonNullable<BannerInfo['sandbox']>;
  /** The state file the sandbox keeps its accounts in (null: memory only). */
  stateFile: string | null;
  /** Registers one more redirect URI on the default OAuth client (Roster's callback once its port is known). */
  allowRedirectUri(uri: string): void;
  close(): Promise<void>;
}

export interface StartSandboxOptions {
  readonly oauthRedirectUris?: readonly string[];
  /** Roster's data folder: the sandbox keeps its state in `<dataDir>/zendesk-sandbox.state` unless `stateFile` says otherwise. */
  readonly dataDir?: string;
  /** An explicit state file, or `null` for memory only (everything gone at exit). */
  readonly stateFile?: string | null;
  /** Where a recovered (damaged) state file is reported. Default: stderr. */
  readonly warn?: (line: string) => void;
}

/** Which state file the embedded sandbox uses: explicit, else in the data folder, else none. */
export function sandboxStateFile(opts: Pick<StartSandboxOptions, 'dataDir' | 'stateFile'>): string | null {
  if (opts.stateFile !== undefined) return opts.stateFile === null ? null : path.resolve(opts.stateFile);
  return opts.dataDir ? path.join(path.resolve(opts.dataDir), SANDBOX_STATE_FILE) : null;
}

/**
 * `oauthRedirectUris` are registered on the default account's OAuth client (Roster's
 * `<public URL>/provision/oauth/callback`) besides the loopback ones, so *Authorize* works in the demo.
 * With a state file (by default in the data folder) the sandbox's accounts, users and OAuth grants
 * survive a restart, like the Roster data that links to them.
 */
export async function startSandbox(port: number, host: string, opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { createSandbox } = await import('@roster/zendesk-sandbox');
  const redirects = [...(opts.oauthRedirectUris ?? []), 'http://localhost/provision/oauth/callback', 'http://127.0.0.1/provision/oauth/callback'];
  const stateFile = sandboxStateFile(opts);
  // A state file in use, from a newer sandbox or not a state file throws with a message naming it.
  const sandbox = createSandbox({ defaultAccount: { oauthRedirectUris: [...new Set(redirects)] }, ...(stateFile ? { stateFile } : {}) });
  if (sandbox.state?.recovery) (opts.warn ?? ((line: string) => process.stderr.write(`${line}\n`)))(`WARNING: ${sandbox.state.recovery.message}`);
  let url: string;
  try {
    ({ url } = await sandbox.listen(port, host));
  } catch (e) {
    await sandbox.close();
    throw new Error(`the Zendesk sandbox cannot listen on ${host}:${port} (${(e as Error).message}); set --sandbox-port`, { cause: e });
  }
  const account = sandbox.registry.default;
  const c = account.credentials;
  return {
    url,
    stateFile,
    banner: {
      url,
      subdomain: account.subdomain,
      adminEmail: c.adminEmail,
      adminPassword: c.adminPassword,
      apiToken: c.apiToken,
      oauthClient: `${c.oauthClientId} / ${c.oauthClientSecret}`,
    },
    allowRedirectUri(uri) {
      const client = account.oauth.clientByIdentifier(c.oauthClientId);
      if (client && !client.redirectUris.includes(uri)) {
        client.redirectUris.push(uri);
        account.oauth.touchClient(client);
      }
    },
    close: () => sandbox.close(),
  };
}
