/** The one block `roster serve` prints when it is ready: where to go and how to sign in. */

export interface BannerInfo {
  url: string;
  database: string;
  owner: { email: string; oneTimePassword?: string | undefined };
  worker: boolean;
  sandbox?: { url: string; subdomain: string; adminEmail: string; adminPassword: string; apiToken: string; oauthClient: string } | undefined;
}

export function formatBanner(info: BannerInfo): string {
  const lines = [
    '',
    `Roster is running`,
    `  admin UI        ${info.url}/`,
    `  API docs        ${info.url}/api/docs`,
    `  database        ${info.database}`,
    `  worker          ${info.worker ? 'in this process' : 'off (run `roster worker`)'}`,
    `  owner           ${info.owner.email}`,
  ];
  if (info.owner.oneTimePassword) {
    lines.push(`  one-time pw     ${info.owner.oneTimePassword}   (shown only now; you choose a new one at first sign-in)`);
  }
  // The CLI signs in once and keeps an API token; a one-time password must be replaced on the way.
  lines.push(
    info.owner.oneTimePassword
      ? `  CLI sign-in     ROSTER_PASSWORD='<one-time pw>' npx roster login --email ${info.owner.email} --new-password '<your new password>'`
      : `  CLI sign-in     ROSTER_PASSWORD='<your password>' npx roster login --email ${info.owner.email}`,
  );
  if (info.sandbox) {
    const s = info.sandbox;
    lines.push(
      `  Zendesk sandbox ${s.url}   (subdomain ${s.subdomain})`,
      `    admin login   ${s.adminEmail} / ${s.adminPassword}`,
      `    API token     ${s.apiToken}`,
      `    OAuth client  ${s.oauthClient}`,
    );
  }
  lines.push('Stop with Ctrl+C.', '');
  return lines.join('\n');
}

const RULE = '='.repeat(72);

/**
 * The banner as printed. With JSON logs (stdout not a terminal: a container, a service manager) it
 * is framed by rules, so the block stands out between log records and `grep -A` finds it; on a
 * terminal the pretty logs already leave it readable.
 */
export function frameBanner(banner: string, jsonLogs: boolean): string {
  if (!jsonLogs) return banner;
  return ['', RULE, ...banner.split('\n').filter((l, i, all) => l !== '' || (i > 0 && i < all.length - 1)), RULE, ''].join('\n');
}

/** One log record saying Roster is ready, for log collectors; no secret (the one-time password stays in the banner). */
export function readyLogRecord(info: BannerInfo): Record<string, unknown> {
  return {
    adminUrl: `${info.url}/`,
    apiDocs: `${info.url}/api/docs`,
    owner: info.owner.email,
    oneTimePasswordInBanner: Boolean(info.owner.oneTimePassword),
    ...(info.sandbox ? { sandboxUrl: info.sandbox.url } : {}),
  };
}

/** A PostgreSQL URL with its password hidden, for the banner and logs. */
export function describeDatabase(driver: 'pglite' | 'postgres', where: string): string {
  if (driver === 'pglite') return `embedded PGlite in ${where}`;
  try {
    const u = new URL(where);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}
