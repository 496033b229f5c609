import { parseArgs } from 'node:util';
import { z } from 'zod';
import { planNameSchema } from './store/plan.ts';

/** Parsed command line of `zendesk-sandbox`. */
export const cliOptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4010),
  host: z.string().min(1).default('127.0.0.1'),
  subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).default('roster'),
  adminEmail: z.email().optional(),
  adminPassword: z.string().min(1).optional(),
  apiToken: z.string().min(1).optional(),
  oauthClientId: z.string().min(1).optional(),
  oauthClientSecret: z.string().min(1).optional(),
  oauthRedirectUri: z.array(z.url()).optional(),
  plan: planNameSchema.default('enterprise'),
  stateFile: z.string().min(1).optional(),
  help: z.boolean().default(false),
});
export type CliOptions = z.infer<typeof cliOptionsSchema>;

export const USAGE = `zendesk-sandbox — an in-memory imitation of the Zendesk Support API

Usage: zendesk-sandbox [options]
  --port <n>                 port to listen on (default 4010; 0 = any free port)
  --host <addr>              address to bind (default 127.0.0.1)
  --subdomain <name>         default account's subdomain (default roster)
  --admin-email <email>      default account's owner admin email
  --admin-password <pw>      owner admin password (for the OAuth sign-in page)
  --api-token <token>        the account's API token
  --oauth-client-id <id>     the seeded OAuth client's identifier
  --oauth-client-secret <s>  the seeded OAuth client's secret
  --oauth-redirect-uri <u>   a redirect URI to register (repeatable)
  --plan <name>              team|growth|professional|enterprise|enterprise_plus|high_volume|unlimited
  --state-file <path>        keep every account in this file and load it at start
                             (default: in memory only, everything is gone at exit)
  --help                     show this text
`;

/** Reads argv once; every bad value is reported together. */
export function parseCli(argv: readonly string[]): { ok: true; options: CliOptions } | { ok: false; message: string } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        subdomain: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-password': { type: 'string' },
        'api-token': { type: 'string' },
        'oauth-client-id': { type: 'string' },
        'oauth-client-secret': { type: 'string' },
        'oauth-redirect-uri': { type: 'string', multiple: true },
        plan: { type: 'string' },
        'state-file': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const camel = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), v]));
  const parsed = cliOptionsSchema.safeParse(camel);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n') };
  return { ok: true, options: parsed.data };
}
