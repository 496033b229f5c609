/** `roster apps …`: the gallery, connected applications and their assignments. */
import { type Command, Option } from 'commander';
import { connectorFor } from '../../connectors/registry.ts';
import { gallery as galleryEntries } from '../../directory/apps/gallery.ts';
import { type Kit, examples, fetchPages, withPaging } from '../command-kit.ts';
import { CliError } from '../io.ts';
import type { Column } from '../output.ts';
import { registerProvisioningCommands } from './provisioning.ts';
import { registerImportCommands } from './provisioning-import.ts';
import { registerPlanCommands } from './provisioning-plans.ts';
import { registerScopeCommands } from './provisioning-scope.ts';
import { resolveAppId, resolveGroupId, resolveUserId } from './resolve.ts';
import { type RoleChoice, appRoles, roleFor } from './role-names.ts';

interface GalleryRow {
  key: string;
  name: string;
  description: string;
  roles: { key: string; label: string }[];
}

interface AppRow {
  id: string;
  type: string;
  typeName: string;
  displayName: string;
  targetUrl: string;
  version: number;
}

interface AssignmentRow {
  id: string;
  principalType: string;
  principalId: string;
  principalName: string;
  principalEmail: string | null;
  role: string;
  roleLabel: string;
}

const galleryColumns: Column<GalleryRow>[] = [
  { header: 'key', value: (g) => g.key },
  { header: 'name', value: (g) => g.name },
  { header: 'roles', value: (g) => g.roles.map((r) => r.label) },
  { header: 'description', value: (g) => g.description },
];

const roleColumns: Column<RoleChoice>[] = [
  { header: 'name', value: (r) => r.label },
  { header: 'key', value: (r) => r.key },
  { header: 'description', value: (r) => r.description },
];

const appColumns: Column<AppRow>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'name', value: (a) => a.displayName },
  { header: 'type', value: (a) => a.typeName },
  { header: 'target', value: (a) => a.targetUrl },
];

const assignmentColumns: Column<AssignmentRow>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'type', value: (a) => a.principalType },
  { header: 'principal', value: (a) => a.principalName },
  { header: 'email', value: (a) => a.principalEmail },
  { header: 'role', value: (a) => a.roleLabel },
];

export function registerAppCommands(program: Command, kit: Kit): void {
  const apps = program.command('apps').description('applications (target accounts) and who is assigned to them');
  examples(apps, ['roster apps gallery', ...galleryEntries.slice(0, 1).map((e) => addExample(e)), 'roster apps assign Support group Agents --role agent']);

  const gallery = apps.command('gallery').description('the kinds of application you can add, with their roles').action(async (_o, cmd: Command) => {
    kit.output(cmd).list(await kit.client(cmd).json<{ items: GalleryRow[] }>('GET', '/api/gallery'), galleryColumns);
  });
  examples(gallery, ['roster apps gallery']);

  const list = withPaging(apps.command('list').description('list applications')).action(async (o, cmd: Command) => {
    kit.output(cmd).list(await fetchPages<AppRow>(kit.client(cmd), '/api/apps', {}, o), appColumns);
  });
  examples(list, ['roster apps list']);

  const add = apps.command('add').description('add an application from the gallery');
  examples(add, galleryEntries.map((e) => addExample(e)));
  // One subcommand per gallery entry, its options the entry's settings.
  for (const entry of galleryEntries) {
    const methods = (connectorFor(entry.key)?.connectionMethods ?? []).map((m) => m.label).join(' or ');
    const sub = add
      .command(entry.key)
      .description(`add a ${entry.name} account (connect it afterwards in the admin UI${methods ? `: ${methods}` : ''})`)
      .requiredOption('--name <name>', `display name, e.g. "${entry.name} – Support team"`);
    for (const f of entry.settingFields) {
      const flag = `--${kebab(f.key)} <${kebab(f.key)}>`;
      if (f.required) sub.requiredOption(flag, f.description);
      else sub.option(flag, f.description);
    }
    sub.action(async (o: Record<string, string>, cmd: Command) => {
      const settings = Object.fromEntries(entry.settingFields.flatMap((f) => (o[f.key] === undefined ? [] : [[f.key, o[f.key]]])));
      const app = await kit.client(cmd).json<AppRow>('POST', '/api/apps', { body: { type: entry.key, displayName: o['name'], settings } });
      kit.output(cmd).done(`added app ${app.id} (${app.displayName})`, app);
    });
    examples(sub, [addExample(entry)]);
  }

  const assign = apps
    .command('assign <app> <type> <principal>')
    .description('assign a user (id or email) or a group (id or name) to an app (id or name) with a role')
    .requiredOption('--role <role>', 'the role by name ("Light agent") or key (agent, custom:<id>); `roster apps roles <app>` lists them')
    .option('--role-label <label>', 'the label of a custom:<id> role given by key, as the target names it')
    .action(async (appRef: string, type: string, ref: string, o: { role: string; roleLabel?: string }, cmd: Command) => {
      if (type !== 'user' && type !== 'group') throw new CliError(`<type> must be user or group, not "${type}"`, 2);
      const client = kit.client(cmd);
      const appId = await resolveAppId(client, appRef);
      const role = await roleFor(client, appId, o.role);
      const principalId = type === 'user' ? await resolveUserId(client, ref) : await resolveGroupId(client, ref);
      const roleLabel = o.roleLabel ?? (role.key.startsWith('custom:') && role.label !== role.key ? role.label : undefined);
      const a = await client.json<AssignmentRow>('POST', `/api/apps/${appId}/assignments`, { body: { principalType: type, principalId, role: role.key, ...(roleLabel ? { roleLabel } : {}) } });
      kit.output(cmd).done(`assigned ${type} ${principalId} as ${a.roleLabel} (assignment ${a.id})`, a);
    });
  examples(assign, ['roster apps assign "Helpdesk – Support" user ada@example.com --role Agent', 'roster apps assign "Helpdesk – Support" group Support --role "Light agent"']);

  const roles = apps.command('roles <app>').description("the roles an app's assignments can give: the built-in ones and the connected account's custom roles").action(async (appRef: string, _o, cmd: Command) => {
    const client = kit.client(cmd);
    const listed = await appRoles(client, await resolveAppId(client, appRef));
    kit.output(cmd).list({ items: listed.roles }, roleColumns);
    if (listed.accountError && !kit.output(cmd).json) kit.io.stderr.write(`note: the account's custom roles could not be read: ${listed.accountError}\n`);
  });
  examples(roles, ['roster apps roles "Helpdesk – Support"']);

  const assignments = withPaging(apps.command('assignments <app>').description('list who is assigned to an app'))
    .addOption(new Option('--type <type>', 'only users or only groups').choices(['user', 'group']))
    .action(async (appRef: string, o, cmd: Command) => {
      const client = kit.client(cmd);
      const appId = await resolveAppId(client, appRef);
      kit.output(cmd).list(await fetchPages<AssignmentRow>(client, `/api/apps/${appId}/assignments`, { principalType: o.type }, o), assignmentColumns);
    });
  examples(assignments, ['roster apps assignments "Helpdesk – Support"']);

  const unassign = apps.command('unassign <app> <assignment>').description('remove an assignment (its id, from `roster apps assignments`)').action(async (appRef: string, id: string, _o, cmd: Command) => {
    const client = kit.client(cmd);
    const appId = await resolveAppId(client, appRef);
    await client.json('DELETE', `/api/apps/${appId}/assignments/${id}`);
    kit.output(cmd).done(`removed assignment ${id}`, { removed: id });
  });
  examples(unassign, ['roster apps unassign "Helpdesk – Support" 8c1e…']);

  registerProvisioningCommands(apps, kit);
  registerScopeCommands(apps, kit);
  registerPlanCommands(apps, kit);
  registerImportCommands(apps, kit);
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `roster apps add <type> --name "<Name> – Support" --<setting> <example>`, from the gallery entry. */
function addExample(entry: (typeof galleryEntries)[number]): string {
  const settings = entry.settingFields.map((f) => `--${kebab(f.key)} ${f.example}`).join(' ');
  return `roster apps add ${entry.key} --name "${entry.name} – Support" ${settings}`.trim();
}
