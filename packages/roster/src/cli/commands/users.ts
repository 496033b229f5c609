/** `roster users …`: the directory's people, through the HTTP API. */
import { type Command, Option } from 'commander';
import { type Kit, examples, fetchPages, ifMatch, keyValue, positiveInt, withPaging } from '../command-kit.ts';
import type { Column } from '../output.ts';
import { registerUserImportCommands } from './users-import.ts';
import { resolveUserId } from './resolve.ts';

interface UserRow {
  id: string;
  email: string;
  displayName: string;
  status: string;
  department: string | null;
  jobTitle: string | null;
  version: number;
}

export const userColumns: Column<UserRow>[] = [
  { header: 'id', value: (u) => u.id },
  { header: 'email', value: (u) => u.email },
  { header: 'name', value: (u) => u.displayName },
  { header: 'status', value: (u) => u.status },
  { header: 'department', value: (u) => u.department },
  { header: 'title', value: (u) => u.jobTitle },
];

/** CLI flag → API field, for add and update. */
const fieldFlags = [
  ['--given-name <text>', 'givenName'],
  ['--family-name <text>', 'familyName'],
  ['--display-name <text>', 'displayName'],
  ['--phone <text>', 'phone'],
  ['--mobile <text>', 'mobile'],
  ['--job-title <text>', 'jobTitle'],
  ['--department <text>', 'department'],
  ['--employee-id <text>', 'employeeId'],
  ['--manager-id <id>', 'managerId'],
  ['--locale <tag>', 'locale'],
  ['--time-zone <zone>', 'timeZone'],
  ['--organization <text>', 'organization'],
  ['--location <text>', 'location'],
] as const;

function addFieldOptions(cmd: Command): Command {
  for (const [flag, field] of fieldFlags) cmd.option(flag, `set ${field}`);
  return cmd.option('--custom <key=value>', 'set a custom attribute (repeatable)', keyValue);
}

function bodyFrom(opts: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [, field] of fieldFlags) if (typeof opts[field] === 'string') body[field] = opts[field];
  if (opts['custom']) body['custom'] = opts['custom'];
  if (typeof opts['email'] === 'string') body['email'] = opts['email'];
  return body;
}

export function registerUserCommands(program: Command, kit: Kit): void {
  const users = program.command('users').description('list, search and change directory users');
  examples(users, ['roster users list -q ada', 'roster users add ada@example.com --given-name Ada', 'roster users import people.csv --dry-run']);

  const list = withPaging(users.command('list').description('list users (sorted by display name)'))
    .option('-q, --search <prefix>', 'prefix of email, name or employee id')
    .addOption(new Option('--status <status>', 'only active or inactive users').choices(['active', 'inactive']))
    .option('--department <text>', 'exact department')
    .option('--job-title <text>', 'exact job title')
    .option('--organization <text>', 'exact organization')
    .option('--location <text>', 'exact location')
    .option('--email <email>', 'exact email')
    .option('--custom <key=value>', 'exact custom attribute value (repeatable)', keyValue)
    .addOption(new Option('--sort <field>', 'sort key').choices(['displayName', 'email', 'createdAt']))
    .addOption(new Option('--order <order>', 'sort order').choices(['asc', 'desc']))
    .action(async (o, cmd: Command) => {
      const query: Record<string, string | undefined> = {
        q: o.search, status: o.status, department: o.department, jobTitle: o.jobTitle, organization: o.organization,
        location: o.location, email: o.email, sort: o.sort, order: o.order,
      };
      for (const [k, v] of Object.entries((o.custom ?? {}) as Record<string, string>)) query[`custom.${k}`] = v;
      kit.output(cmd).list(await fetchPages<UserRow>(kit.client(cmd), '/api/users', query, o), userColumns);
    });
  examples(list, ['roster users list', 'roster users list -q ada --status active', 'roster users list --department Sales --all --json', 'roster users list --custom costCenter=A']);

  const get = users.command('get <user>').description('show one user (by id or email)').action(async (ref: string, _o, cmd: Command) => {
    const client = kit.client(cmd);
    kit.output(cmd).record(await client.json('GET', `/api/users/${await resolveUserId(client, ref)}`));
  });
  examples(get, ['roster users get ada@example.com', 'roster users get 5f0c…-… --json']);

  const add = addFieldOptions(users.command('add <email>').description('create a user')).action(async (email: string, o, cmd: Command) => {
    const user = await kit.client(cmd).json<UserRow>('POST', '/api/users', { body: { ...bodyFrom(o), email } });
    kit.output(cmd).done(`created user ${user.id} (${user.email})`, user);
  });
  examples(add, ['roster users add ada@example.com --given-name Ada --family-name Lovelace --department Math', 'roster users add bo@example.com --custom costCenter=B']);

  const update = addFieldOptions(users.command('update <user>').description('change some fields of a user (by id or email)'))
    .option('--email <email>', 'change the primary email')
    .option('--version <n>', 'the version you read: refuse the change if someone changed the user since (If-Match); without it the current version is read first and sent', positiveInt)
    .action(async (ref: string, o, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveUserId(client, ref);
      // The server refuses a PATCH without a version; reading it just before keeps the window small.
      const version = (o.version as number | undefined) ?? (await client.json<UserRow>('GET', `/api/users/${id}`)).version;
      const user = await client.json<UserRow>('PATCH', `/api/users/${id}`, { body: bodyFrom(o), headers: ifMatch(version) });
      kit.output(cmd).done(`updated user ${user.id} (now version ${user.version})`, user);
    });
  examples(update, ['roster users update ada@example.com --job-title "Chief Analyst"', 'roster users update 5f0c… --department R&D --version 3']);

  for (const [verb, help] of [['deactivate', 'set a user inactive (suspended in connected apps)'], ['activate', 'set a user active again']] as const) {
    const c = users.command(`${verb} <user>`).description(help).option('--version <n>', 'the version you read (If-Match)', positiveInt).action(async (ref: string, o, cmd: Command) => {
      const client = kit.client(cmd);
      const user = await client.json<UserRow>('POST', `/api/users/${await resolveUserId(client, ref)}/${verb}`, { headers: ifMatch(o.version) });
      kit.output(cmd).done(`${user.email} is now ${user.status}`, user);
    });
    examples(c, [`roster users ${verb} ada@example.com`]);
  }

  const del = users.command('delete <user>').description('delete a user (removed from connected apps; the email becomes free)')
    .option('--version <n>', 'the version you read (If-Match)', positiveInt)
    .action(async (ref: string, o, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveUserId(client, ref);
      await client.json('DELETE', `/api/users/${id}`, { headers: ifMatch(o.version) });
      kit.output(cmd).done(`deleted user ${id}`, { deleted: id });
    });
  examples(del, ['roster users delete ada@example.com']);

  registerUserImportCommands(users, kit);
}
