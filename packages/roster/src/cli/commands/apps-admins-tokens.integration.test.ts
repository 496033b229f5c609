import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';
import { cli, openCliServer } from '../cli.test-support.ts';

describe.each(openTestDatabase.drivers())('roster apps, admins and tokens on %s', (driver) => {
  let h: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ h, env } = await openCliServer(driver));
  });
  afterAll(async () => h?.close());

  it('adds a Zendesk app, assigns a user and a group by name, lists and removes an assignment', async () => {
    expect((await cli(['apps', 'gallery'], env)).stdout).toMatch(/zendesk\s+Zendesk\s+Default Access,End user,Agent,Admin/);
    const added = await cli(['apps', 'add', 'zendesk', '--name', 'Zendesk CLI', '--subdomain', 'https://acme-cli.zendesk.com'], env);
    expect(added.stdout).toMatch(/^added app [0-9a-f-]{36} \(Zendesk CLI\)/);
    expect((await cli(['apps', 'list'], env)).stdout).toMatch(/Zendesk CLI\s+Zendesk\s+https:\/\/acme-cli\.zendesk\.com/);

    await cli(['users', 'add', 'agent@apps.test', '--display-name', 'Agent Smith'], env);
    await cli(['groups', 'add', 'Agents'], env);
    expect((await cli(['apps', 'assign', 'Zendesk CLI', 'user', 'agent@apps.test', '--role', 'agent'], env)).stdout).toMatch(/as Agent \(assignment /);
    // Roles by name, without regard to case; an unknown name lists the choices, once.
    expect((await cli(['apps', 'assign', 'Zendesk CLI', 'group', 'Agents', '--role', 'end USER'], env)).code).toBe(0);
    const bad = await cli(['apps', 'assign', 'Zendesk CLI', 'user', 'agent@apps.test', '--role', 'boss'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: no role "boss" in this application; choose one of: "Default Access" \(default-access\), "End user" \(end-user\), "Agent" \(agent\), "Admin" \(admin\) \(the account's custom roles could not be read: .*\)\n$/);
    const roles = await cli(['apps', 'roles', 'Zendesk CLI'], env);
    expect(roles.stdout).toMatch(/^NAME +KEY +DESCRIPTION\nDefault Access +default-access +Assigned, but not provisioned\./);
    expect(roles.stdout).toMatch(/^Agent +agent /m);
    expect(roles.stderr).toMatch(/^note: the account's custom roles could not be read/);
    // A validation error prints each problem once.
    const invalid = await cli(['users', 'add', 'not-an-email'], env);
    expect(invalid.stderr.match(/must be/g)?.length).toBe(1);
    expect((await cli(['apps', 'assign', 'Zendesk CLI', 'robot', 'x'], env)).code).toBe(2);

    const list = JSON.parse((await cli(['apps', 'assignments', 'Zendesk CLI', '--json'], env)).stdout) as { items: { id: string; principalName: string; roleLabel: string }[] };
    expect(list.items.map((a) => [a.principalName, a.roleLabel]).sort()).toEqual([['Agent Smith', 'Agent'], ['Agents', 'End user']]);
    const table = await cli(['apps', 'assignments', 'Zendesk CLI', '--type', 'user'], env);
    expect(table.stdout).toMatch(/user\s+Agent Smith\s+agent@apps\.test\s+Agent/);
    expect(table.stdout).not.toMatch(/End user/);
    const agent = list.items.find((a) => a.principalName === 'Agent Smith')!;
    expect((await cli(['apps', 'unassign', 'Zendesk CLI', agent.id], env)).code).toBe(0);
    expect((await cli(['apps', 'assignments', 'Zendesk CLI'], env)).stdout).not.toMatch(/Agent Smith/);
  });

  it('creates an admin with a one-time password, resets it, disables and re-enables them', async () => {
    const added = await cli(['admins', 'add', 'lin@admins.test', '--name', 'Lin Ma', '--permissions', 'view_apps,view_logs'], env);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/created admin [0-9a-f-]{36} \(lin@admins\.test\)\none-time password: \S{12,}/);
    expect((await cli(['admins', 'list'], env)).stdout).toMatch(/lin@admins\.test\s+Lin Ma\s+admin\s+active\s+view_apps,view_logs/);
    expect((await cli(['admins', 'reset-password', 'lin@admins.test'], env)).stdout).toMatch(/password of lin@admins\.test reset; 0 API token\(s\) revoked; one-time password: \S{12,}/);
    expect((await cli(['admins', 'disable', 'lin@admins.test'], env)).stdout).toBe('lin@admins.test is now disabled; 0 API token(s) revoked\n');
    expect((await cli(['admins', 'disable', 'lin@admins.test', '--enable'], env)).stdout).toBe('lin@admins.test is now active\n');
    const missing = await cli(['admins', 'add', 'x@admins.test'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--name <name>'/);
  });

  it('logs in with a one-time password, sets a new one and prints a working token', async () => {
    const added = await cli(['admins', 'add', 'new@login.test', '--name', 'New Admin', '--json'], env);
    const otp = (JSON.parse(added.stdout) as { oneTimePassword: string }).oneTimePassword;
    const url = { ROSTER_URL: env['ROSTER_URL'] };
    const wrong = await cli(['login', '--email', 'new@login.test'], { ...url, ROSTER_PASSWORD: 'not-the-password' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error invalid_credentials: /);
    const needsNew = await cli(['login', '--email', 'new@login.test', '--password', otp], url);
    expect(needsNew).toMatchObject({ code: 2, stderr: expect.stringMatching(/one-time password: choose your own with --new-password/) });
    const ok = await cli(['login', '--email', 'new@login.test', '--new-password', 'a-long-new-password', '--token-name', 'my-cli', '--json'], { ...url, ROSTER_PASSWORD: otp });
    expect(ok.code).toBe(0);
    const token = (JSON.parse(ok.stdout) as { value: string }).value;
    expect((await cli(['tokens', 'list'], { ...url, ROSTER_TOKEN: token })).stdout).toMatch(/my-cli\s+rst_/);
    const again = await cli(['login', '--email', 'new@login.test'], { ...url, ROSTER_PASSWORD: 'a-long-new-password' });
    expect(again.stdout).toMatch(/^rst_\S+\n\(new API token "cli"/);
  });

  it('creates a token that works, lists it and revokes it', async () => {
    const created = JSON.parse((await cli(['tokens', 'create', 'laptop', '--expires-in-days', '7', '--json'], env)).stdout) as { value: string; token: { id: string } };
    expect(created.value).toMatch(/^rst_/);
    const withNew = { ...env, ROSTER_TOKEN: created.value };
    expect((await cli(['tokens', 'list'], withNew)).stdout).toMatch(/laptop\s+rst_/);
    expect((await cli(['tokens', 'revoke', created.token.id], env)).stdout).toMatch(/^revoked token .* \(laptop\)/);
    const refused = await cli(['users', 'list'], withNew);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error unauthenticated: /);
  });
});
