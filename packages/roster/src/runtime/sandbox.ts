/**
 * Starts the Zendesk sandbox inside the Roster process (`roster serve --with-sandbox`). The sandbox is
 * its own workspace package that imports nothing from Roster; we load it by relative path (no
 * package dependency), only when asked, so a production install never loads it.
 */
import type { BannerInfo } from './banner.ts';

export interface RunningSandbox {
  url: string;
  banner: NonNullable<BannerInfo['sandbox']>;
  /** Registers one more redirect URI on the default OAuth client (Roster's callback once its port is known). */
  allowRedirectUri(uri: string): void;
  close(): Promise<void>;
}

/**
 * `oauthRedirectUris` are registered on the default account's OAuth client (Roster's
 * `<public URL>/provision/oauth/callback`) besides the loopback ones, so *Authorize* works in the demo.
 */
export async function startSandbox(port: number, host: string, opts: { oauthRedirectUris?: readonly string[] } = {}): Promise<RunningSandbox> {
  const { createSandbox } = await import('../../../zendesk-sandbox/src/index.ts');
  const redirects = [...(opts.oauthRedirectUris ?? []), 'http://localhost/provision/oauth/callback', 'http://127.0.0.1/provision/oauth/callback'];
  const sandbox = createSandbox({ defaultAccount: { oauthRedirectUris: [...new Set(redirects)] } });
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
      if (client && !client.redirectUris.includes(uri)) client.redirectUris.push(uri);
    },
    close: () => sandbox.close(),
  };
}
