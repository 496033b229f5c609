/**
 * `roster login`: signs in with email and password (as the admin UI does), changes a one-time
 * password when the server requires it, creates an API token for the CLI and signs out again. This
 * is how the owner gets a first token from the banner's one-time password, without a browser.
 */
import type { Command } from 'commander';
import { toApiError } from '../api-client.ts';
import { loadClientConfig } from '../client-config.ts';
import { type Kit, examples, positiveInt } from '../command-kit.ts';
import { CliError } from '../io.ts';

interface LoginOptions {
  email: string;
  password?: string;
  newPassword?: string;
  tokenName: string;
  expiresInDays?: number;
}

export function registerLoginCommand(program: Command, kit: Kit): void {
  const login = program
    .command('login')
    .description('sign in with email and password and print a new API token for the CLI (ROSTER_TOKEN)')
    .requiredOption('--email <email>', 'your admin email')
    .option('--password <password>', 'your password [ROSTER_PASSWORD] (prefer the variable: flags show in the process list)')
    .option('--new-password <password>', 'when signing in with a one-time password: the password to set (at least 12 characters)')
    .option('--token-name <name>', 'name of the token, to recognise it in `roster tokens list`', 'cli')
    .option('--expires-in-days <n>', 'expire the token after n days (default: never)', positiveInt)
    .action(async (o: LoginOptions, cmd: Command) => {
      const config = loadClientConfig(kit.io.env, { url: cmd.optsWithGlobals<{ url?: string }>().url });
      const password = o.password ?? kit.io.env['ROSTER_PASSWORD'];
      if (!password) throw new CliError('no password: pass --password or set ROSTER_PASSWORD', 2);
      const fetchImpl = kit.io.fetch ?? fetch;
      const call = async (method: string, path: string, body: unknown, session?: { cookie: string; csrf: string }) => {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (body !== undefined) headers['content-type'] = 'application/json';
        if (session) Object.assign(headers, { cookie: session.cookie, 'x-csrf-token': session.csrf });
        let response: Response;
        try {
          response = await fetchImpl(new URL(path.slice(1), `${config.url}/`), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        } catch (e) {
          throw new CliError(`cannot reach Roster at ${config.url} (${(e as Error).message}); is \`roster serve\` running? (--url / ROSTER_URL)`);
        }
        if (!response.ok) throw await toApiError(response);
        return response;
      };

      const signedIn = await call('POST', '/api/session', { email: o.email, password });
      const cookie = (signedIn.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c?.startsWith('roster_session='));
      const state = (await signedIn.json()) as { admin: { mustChangePassword: boolean }; csrfToken: string | null };
      if (!cookie || !state.csrfToken) throw new CliError('the server signed in but returned no session cookie');
      const session = { cookie, csrf: state.csrfToken };
      try {
        if (state.admin.mustChangePassword) {
          if (!o.newPassword) throw new CliError('this is a one-time password: choose your own with --new-password (at least 12 characters)', 2);
          await call('POST', '/api/session/password', { currentPassword: password, newPassword: o.newPassword }, session);
        }
        const created = (await (await call('POST', '/api/tokens', { name: o.tokenName, ...(o.expiresInDays ? { expiresInDays: o.expiresInDays } : {}) }, session)).json()) as { token: { id: string }; value: string };
        kit.output(cmd).done(`${created.value}\n(new API token "${o.tokenName}", shown only now: export ROSTER_TOKEN=<it>)`, created);
      } finally {
        await call('DELETE', '/api/session', undefined, session).catch(() => undefined);
      }
    });
  examples(login, [
    'ROSTER_PASSWORD=<one-time password from the banner> roster login --email owner@roster.local --new-password "a long new password"',
    'export ROSTER_TOKEN=$(ROSTER_PASSWORD=… roster login --email lin@example.com --json | jq -r .value)',
  ]);
}
