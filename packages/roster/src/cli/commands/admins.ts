/** `roster admins …`: the people who administer Roster (needs manage_admins). */
import { type Command, Option } from 'commander';
import type { ApiClient } from '../api-client.ts';
import { type Kit, examples, fetchPages, ifMatch, positiveInt, withPaging } from '../command-kit.ts';
import { CliError } from '../io.ts';
import type { Column } from '../output.ts';

interface AdminRow {
  id: string;
  email: string;
  name: string;
  role: string;
  permissions: string[];
  status: string;
  lastLoginAt: string | null;
  version: number;
}

const adminColumns: Column<AdminRow>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'email', value: (a) => a.email },
  { header: 'name', value: (a) => a.name },
  { header: 'role', value: (a) => a.role },
  { header: 'status', value: (a) => a.status },
  { header: 'last login', value: (a) => a.lastLoginAt },
  { header: 'permissions', value: (a) => (a.role === 'owner' ? 'all' : a.permissions) },
];

const permissionsHelp = 'view_apps, assign_apps, import_users, manage_users, manage_provisioning, view_logs, manage_admins';

/** An admin by id or email. */
async function findAdmin(client: ApiClient, ref: string): Promise<AdminRow> {
  if (!ref.includes('@')) return client.json<AdminRow>('GET', `/api/admins/${ref}`);
  const all = await fetchPages<AdminRow>(client, '/api/admins', {}, { all: true, limit: 500 });
  const admin = all.items.find((a) => a.email.toLowerCase() === ref.toLowerCase());
  if (!admin) throw new CliError(`no admin with the email ${ref}`);
  return admin;
}

export function registerAdminCommands(program: Command, kit: Kit): void {
  const admins = program.command('admins').description('admin accounts (Organization Owner and Organization Admins)');
  examples(admins, ['roster admins list', 'roster admins add lin@example.com --name "Lin Ma"']);

  const list = withPaging(admins.command('list').description('list admins by email')).action(async (o, cmd: Command) => {
    kit.output(cmd).list(await fetchPages<AdminRow>(kit.client(cmd), '/api/admins', {}, o), adminColumns);
  });
  examples(list, ['roster admins list', 'roster admins list --json']);

  const add = admins
    .command('add <email>')
    .description('create an admin; without --password a one-time password is printed once')
    .requiredOption('--name <name>', 'full name')
    .addOption(new Option('--role <role>', 'owner or admin').choices(['owner', 'admin']).default('admin'))
    .option('--permissions <list>', `comma-separated: ${permissionsHelp}`)
    .option('--password <password>', 'initial password (at least 12 characters; changed at first sign-in)')
    .action(async (email: string, o: { name: string; role: string; permissions?: string; password?: string }, cmd: Command) => {
      const body: Record<string, unknown> = { email, name: o.name, role: o.role };
      if (o.permissions) body['permissions'] = o.permissions.split(',').map((p) => p.trim()).filter(Boolean);
      if (o.password) body['password'] = o.password;
      const result = await kit.client(cmd).json<{ admin: AdminRow; oneTimePassword?: string }>('POST', '/api/admins', { body });
      const pw = result.oneTimePassword ? `\none-time password: ${result.oneTimePassword}  (shown only now)` : '';
      kit.output(cmd).done(`created admin ${result.admin.id} (${result.admin.email})${pw}`, result);
    });
  examples(add, ['roster admins add lin@example.com --name "Lin Ma" --permissions view_apps,assign_apps,view_logs', 'roster admins add kim@example.com --name Kim --role owner']);

  const disable = admins
    .command('disable <admin>')
    .description('disable an admin (by id or email): ends their sessions and revokes their API tokens')
    .option('--enable', 'enable the admin again instead')
    .option('--version <n>', 'the version you read (default: the current one)', positiveInt)
    .action(async (ref: string, o: { enable?: boolean; version?: number }, cmd: Command) => {
      const client = kit.client(cmd);
      const admin = await findAdmin(client, ref);
      const status = o.enable ? 'active' : 'disabled';
      const updated = await client.json<AdminRow & { tokensRevoked?: number }>('PATCH', `/api/admins/${admin.id}`, { body: { status }, headers: ifMatch(o.version ?? admin.version) });
      const revoked = updated.tokensRevoked === undefined ? '' : `; ${updated.tokensRevoked} API token(s) revoked`;
      kit.output(cmd).done(`${updated.email} is now ${updated.status}${revoked}`, updated);
    });
  examples(disable, ['roster admins disable lin@example.com', 'roster admins disable lin@example.com --enable']);

  const reset = admins
    .command('reset-password <admin>')
    .description("reset an admin's password (by id or email): ends their sessions, revokes their API tokens; they must change it at next sign-in")
    .option('--password <password>', 'the new password (default: a one-time password printed once)')
    .action(async (ref: string, o: { password?: string }, cmd: Command) => {
      const client = kit.client(cmd);
      const admin = await findAdmin(client, ref);
      const result = await client.json<{ admin: AdminRow; oneTimePassword?: string; tokensRevoked: number }>('POST', `/api/admins/${admin.id}/password`, { body: o.password ? { password: o.password } : {} });
      const pw = result.oneTimePassword ? `; one-time password: ${result.oneTimePassword}  (shown only now)` : '';
      kit.output(cmd).done(`password of ${admin.email} reset; ${result.tokensRevoked} API token(s) revoked${pw}`, result);
    });
  examples(reset, ['roster admins reset-password lin@example.com']);
}
