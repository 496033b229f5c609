/**
 * Settings of the client commands (users, groups, apps, admins, tokens): where the server is and
 * which API token to send. These describe the caller, not the server, so they live here and not in
 * config/config.ts (the server's one configuration); main.ts still passes the environment in.
 */
import { z } from 'zod';
import { CliError } from './io.ts';

export const clientSettings = {
  url: { env: 'ROSTER_URL', flag: '--url', help: 'base URL of a running Roster server', default: 'http://127.0.0.1:8080' },
  token: { env: 'ROSTER_TOKEN', flag: '--token', help: 'API token (create one with `roster tokens create` or in the admin UI)', default: undefined },
} as const;

const clientConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((u) => u.replace(/\/+$/, '')),
  token: z.string().min(1, 'must not be empty').optional(),
});

export type ClientConfig = z.infer<typeof clientConfigSchema>;

/** Flags win over the environment; a bad value names its flag or variable; exit code 2. */
export function loadClientConfig(env: Record<string, string | undefined>, flags: { url?: string | undefined; token?: string | undefined }): ClientConfig {
  const origin = { url: '', token: '' };
  const raw: Record<'url' | 'token', string | undefined> = { url: undefined, token: undefined };
  for (const name of ['url', 'token'] as const) {
    const s = clientSettings[name];
    const fromEnv = env[s.env];
    if (flags[name] !== undefined) [raw[name], origin[name]] = [flags[name], s.flag];
    else if (fromEnv) [raw[name], origin[name]] = [fromEnv, s.env];
    else [raw[name], origin[name]] = [s.default, `${s.env} (default)`];
  }
  const parsed = clientConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CliError(parsed.error.issues.map((i) => `${origin[i.path[0] as 'url' | 'token']}: ${i.message}`).join('\n'), 2);
  }
  return parsed.data;
}
