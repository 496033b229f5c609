/**
 * Configuration is read here and nowhere else: environment variables, overridden by CLI flags of
 * the same meaning. A bad value names itself (all of them at once) at start.
 */
import path from 'node:path';
import { z } from 'zod';
import { type Result, err, ok } from '../errors/result.ts';

/** Every setting, its environment variable and its CLI flag. The README table is generated from the same facts. */
export const settings = {
  port: { env: 'ROSTER_PORT', flag: '--port', help: 'HTTP port of the API and admin UI', default: '8080' },
  host: { env: 'ROSTER_HOST', flag: '--host', help: 'address to listen on', default: '127.0.0.1' },
  dataDir: { env: 'ROSTER_DATA_DIR', flag: '--data-dir', help: 'folder for the embedded PGlite database and the key file', default: './data' },
  databaseUrl: { env: 'DATABASE_URL', flag: '--database-url', help: 'postgres://… to use PostgreSQL instead of embedded PGlite', default: undefined },
  publicUrl: { env: 'ROSTER_PUBLIC_URL', flag: '--public-url', help: 'URL admins, directory users (invitation links; the passkeys\' relying party) and OAuth redirects use to reach Roster', default: undefined },
  secretKey: { env: 'ROSTER_SECRET_KEY', flag: '--secret-key', help: '32-byte key (64 hex chars or base64) that encrypts secrets at rest; default: a key file in the data folder', default: undefined },
  adminEmail: { env: 'ROSTER_ADMIN_EMAIL', flag: '--admin-email', help: 'email of the Organization Owner created on first start', default: undefined },
  adminPassword: { env: 'ROSTER_ADMIN_PASSWORD', flag: '--admin-password', help: 'password of that owner (default: a one-time password printed once)', default: undefined },
  logLevel: { env: 'ROSTER_LOG_LEVEL', flag: '--log-level', help: 'fatal | error | warn | info | debug | trace | silent', default: 'info' },
  worker: { env: 'ROSTER_WORKER', flag: '--worker', help: 'run a job worker inside `serve` (true | false)', default: 'true' },
  sandbox: { env: 'ROSTER_SANDBOX', flag: '--sandbox', help: 'start the Zendesk sandbox alongside (true | false)', default: 'false' },
  sandboxPort: { env: 'ROSTER_SANDBOX_PORT', flag: '--sandbox-port', help: 'port of the embedded Zendesk sandbox', default: '4010' },
  trustProxy: { env: 'ROSTER_TRUST_PROXY', flag: '--trust-proxy', help: 'behind a reverse proxy: true, a hop count, or comma-separated proxy addresses/CIDRs, so client addresses (login throttling, logs) come from X-Forwarded-For', default: 'false' },
  zendeskUrlTemplate: { env: 'ROSTER_ZENDESK_URL', flag: '--zendesk-url', help: 'Zendesk base URL template; {subdomain} is replaced', default: 'https://{subdomain}.zendesk.com' },
  smtpUrl: { env: 'ROSTER_SMTP_URL', flag: '--smtp-url', help: "SMTP server for failure emails and directory users' invitation and password-reset emails: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://… (TLS); unset: no emails are sent", default: undefined },
  mailFrom: { env: 'ROSTER_MAIL_FROM', flag: '--mail-from', help: 'sender of failure, invitation and password-reset emails', default: 'Roster <roster@localhost>' },
  metricsToken: { env: 'ROSTER_METRICS_TOKEN', flag: '--metrics-token', help: 'bearer token /metrics requires (at least 16 characters); unset: /metrics is open', default: undefined },
} as const;

export type SettingName = keyof typeof settings;

const booleanString = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const secretKey = z
  .string()
  .transform((v, ctx) => {
    const buf = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
    if (buf.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes: 64 hex characters or 44 base64 characters' });
      return z.NEVER;
    }
    return buf;
  });

const configSchema = z.object({
  port,
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  publicUrl: httpUrl.optional(),
  secretKey: secretKey.optional(),
  adminEmail: z.email('must be an email address').optional(),
  adminPassword: z.string().min(12, 'must be at least 12 characters').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  worker: booleanString,
  sandbox: booleanString,
  sandboxPort: port,
  trustProxy: z.string().transform((v): boolean | number | string[] => {
    if (v === 'true' || v === 'false') return v === 'true';
    if (/^\d+$/.test(v)) return Number(v);
    return v.split(',').map((x) => x.trim()).filter(Boolean);
  }),
  zendeskUrlTemplate: z.string().includes('{subdomain}', { message: 'must contain {subdomain}' }),
  // The URL carries the SMTP password: it is never logged or returned (see provisioning/notify/mailer.ts).
  smtpUrl: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  mailFrom: z.string().min(3).max(300),
  // A secret like the API tokens: never logged or returned.
  metricsToken: z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces').optional(),
});

export type Config = Omit<z.infer<typeof configSchema>, 'zendeskUrlTemplate'> & {
  /** The URL admins use, derived from host and port when ROSTER_PUBLIC_URL is not set. */
  publicUrl: string;
  dataDir: string;
  /** Where this process reaches targets: a URL template per connector type (connectors/target-facts.ts `TargetUrls`). */
  targetUrls: Readonly<Record<string, string>>;
};

export type RawSettings = Partial<Record<SettingName, string>>;

/**
 * Merge environment and flags (flags win) and parse. Returns every problem at once, each naming
 * the variable or flag it came from.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: RawSettings = {}): Result<Config, string[]> {
  const raw: Record<string, string | undefined> = {};
  const origin: Record<string, string> = {};
  for (const [name, s] of Object.entries(settings) as [SettingName, (typeof settings)[SettingName]][]) {
    const fromFlag = flags[name];
    const fromEnv = env[s.env];
    if (fromFlag !== undefined) {
      raw[name] = fromFlag;
      origin[name] = s.flag;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[name] = fromEnv;
      origin[name] = s.env;
    } else {
      raw[name] = s.default;
      origin[name] = `${s.env} (default)`;
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    return err(parsed.error.issues.map((i) => `${origin[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`));
  }
  const { zendeskUrlTemplate, ...c } = parsed.data;
  const dataDir = path.resolve(c.dataDir);
  const publicUrl = (c.publicUrl ?? derivedPublicUrl(c.host, c.port)).replace(/\/+$/, '');
  // Keyed by connector type; the flag keeps the name admins already use.
  return ok({ ...c, dataDir, publicUrl, targetUrls: { zendesk: zendeskUrlTemplate } });
}

/** The public URL when ROSTER_PUBLIC_URL is not set: the listening address (a wildcard host reads as localhost). */
export function derivedPublicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** For `--help` texts and the README. */
export function describeSettings(): string {
  return Object.values(settings)
    .map((s) => `  ${s.flag.padEnd(16)} ${s.env.padEnd(22)} ${s.help}${s.default ? ` (default ${s.default})` : ''}`)
    .join('\n');
}
