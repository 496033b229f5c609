/** `roster groups …`: groups and their direct members. */
import { type Command, Option } from 'commander';
import type { ApiClient } from '../api-client.ts';
import { type Kit, examples, fetchPages, ifMatch, positiveInt, withPaging } from '../command-kit.ts';
import type { Column } from '../output.ts';
import { resolveGroupId, resolveUserId } from './resolve.ts';

interface GroupRow {
  id: string;
  name: string;
  description: string | null;
  memberCounts: { users: number; groups: number };
  version: number;
}

interface MemberRow {
  memberType: 'user' | 'group';
  memberId: string;
  name: string;
  email: string | null;
  status: string | null;
}

const groupColumns: Column<GroupRow>[] = [
  { header: 'id', value: (g) => g.id },
  { header: 'name', value: (g) => g.name },
  { header: 'users', value: (g) => g.memberCounts.users },
  { header: 'groups', value: (g) => g.memberCounts.groups },
  { header: 'description', value: (g) => g.description },
];

const memberColumns: Column<MemberRow>[] = [
  { header: 'type', value: (m) => m.memberType },
  { header: 'id', value: (m) => m.memberId },
  { header: 'name', value: (m) => m.name },
  { header: 'email', value: (m) => m.email },
  { header: 'status', value: (m) => m.status },
];

async function memberRef(client: ApiClient, ref: string, asGroup: boolean): Promise<{ memberType: 'user' | 'group'; memberId: string }> {
  return asGroup ? { memberType: 'group', memberId: await resolveGroupId(client, ref) } : { memberType: 'user', memberId: await resolveUserId(client, ref) };
}

export function registerGroupCommands(program: Command, kit: Kit): void {
  const groups = program.command('groups').description('groups of users (and nested groups)');
  examples(groups, ['roster groups list', 'roster groups add Support', 'roster groups members add Support ada@example.com']);

  const list = withPaging(groups.command('list').description('list groups by name'))
    .option('-q, --search <prefix>', 'name prefix')
    .option('--member <user>', 'only groups this user (id or email) is a direct member of')
    .action(async (o, cmd: Command) => {
      const client = kit.client(cmd);
      const memberUserId = o.member ? await resolveUserId(client, o.member) : undefined;
      kit.output(cmd).list(await fetchPages<GroupRow>(client, '/api/groups', { q: o.search, memberUserId }, o), groupColumns);
    });
  examples(list, ['roster groups list', 'roster groups list -q sup', 'roster groups list --member ada@example.com']);

  const add = groups.command('add <name>').description('create a group').option('--description <text>', 'what the group is for').action(async (name: string, o, cmd: Command) => {
    const group = await kit.client(cmd).json<GroupRow>('POST', '/api/groups', { body: { name, ...(o.description ? { description: o.description } : {}) } });
    kit.output(cmd).done(`created group ${group.id} (${group.name})`, group);
  });
  examples(add, ['roster groups add Support --description "Support agents"']);

  const del = groups.command('delete <group>').description('delete a group (by id or name); its members stay in the directory')
    .option('--version <n>', 'the version you read (If-Match)', positiveInt)
    .action(async (ref: string, o, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveGroupId(client, ref);
      await client.json('DELETE', `/api/groups/${id}`, { headers: ifMatch(o.version) });
      kit.output(cmd).done(`deleted group ${id}`, { deleted: id });
    });
  examples(del, ['roster groups delete Support']);

  const members = groups.command('members').description('list, add and remove direct members of a group');
  examples(members, ['roster groups members list Support', 'roster groups members add Support ada@example.com']);

  const mList = withPaging(members.command('list <group>').description('list the members of a group'))
    .option('--transitive', 'every user covered through nested groups')
    .action(async (ref: string, o, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveGroupId(client, ref);
      kit.output(cmd).list(await fetchPages<MemberRow>(client, `/api/groups/${id}/members`, { transitive: o.transitive ? 'true' : undefined }, o), memberColumns);
    });
  examples(mList, ['roster groups members list Support', 'roster groups members list Support --transitive --all']);

  const mAdd = members
    .command('add <group> <members...>')
    .description('add users (ids or emails), or with --groups nested groups (ids or names)')
    .addOption(new Option('--groups', 'the members are groups, not users'))
    .action(async (ref: string, refs: string[], o: { groups?: boolean }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveGroupId(client, ref);
      const list = [];
      for (const r of refs) list.push(await memberRef(client, r, Boolean(o.groups)));
      const result = await client.json<{ added: unknown[]; alreadyMembers: unknown[] }>('POST', `/api/groups/${id}/members/bulk`, { body: { members: list } });
      kit.output(cmd).done(`added ${result.added.length}, already members ${result.alreadyMembers.length}`, result);
    });
  examples(mAdd, ['roster groups members add Support ada@example.com grace@example.com', 'roster groups members add Everyone Support Sales --groups']);

  const mRemove = members
    .command('remove <group> <member>')
    .description('remove one direct member (a user id or email, or with --group a group id or name)')
    .option('--group', 'the member is a group')
    .action(async (ref: string, member: string, o: { group?: boolean }, cmd: Command) => {
      const client = kit.client(cmd);
      const id = await resolveGroupId(client, ref);
      const m = await memberRef(client, member, Boolean(o.group));
      await client.json('DELETE', `/api/groups/${id}/members/${m.memberType}/${m.memberId}`);
      kit.output(cmd).done(`removed ${m.memberType} ${m.memberId} from the group`, { removed: m });
    });
  examples(mRemove, ['roster groups members remove Support ada@example.com']);
}
