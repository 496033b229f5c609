/**
 * Roles by name on the command line: `--role "Light agent"` is resolved against the roles the
 * application offers — the gallery entry's (Default Access and the built-in ones) and the connected
 * account's (custom roles, read live). A key (`agent`, `custom:6164…`) is taken as it is.
 */
import type { ApiClient } from '../api-client.ts';
import { ApiError } from '../api-client.ts';
import { CliError } from '../io.ts';

export interface RoleChoice {
  key: string;
  label: string;
  kind?: string;
  description?: string;
}

export type RoleResolution = { ok: true; role: RoleChoice } | { ok: false; message: string };

const listChoices = (roles: readonly RoleChoice[]) => roles.map((r) => `"${r.label}" (${r.key})`).join(', ');

/** Pure: a key as it is, else one role whose name matches without regard to case; ambiguous or unknown names list the choices. */
export function resolveRole(input: string, roles: readonly RoleChoice[]): RoleResolution {
  const byKey = roles.find((r) => r.key === input);
  if (byKey) return { ok: true, role: byKey };
  const wanted = input.trim().toLowerCase();
  const named = roles.filter((r) => r.label.toLowerCase() === wanted);
  if (named.length === 1) return { ok: true, role: named[0] as RoleChoice };
  if (named.length > 1) return { ok: false, message: `the role name "${input}" is ambiguous: ${listChoices(named)}; pass the key instead` };
  if (input.startsWith('custom:')) return { ok: true, role: { key: input, label: input } };
  return { ok: false, message: `no role "${input}" in this application; choose one of: ${listChoices(roles)}` };
}

interface AppRef {
  id: string;
  type: string;
}

/**
 * The roles an application offers: the gallery's, then the account's (duplicates by key dropped).
 * An application not connected yet offers the gallery's only; `accountError` says why.
 */
export async function appRoles(client: ApiClient, appId: string): Promise<{ roles: RoleChoice[]; accountError: string | null }> {
  const app = await client.json<AppRef>('GET', `/api/apps/${appId}`);
  const gallery = await client.json<{ items: { key: string; roles: RoleChoice[] }[] }>('GET', '/api/gallery');
  const roles: RoleChoice[] = [...(gallery.items.find((g) => g.key === app.type)?.roles ?? [])];
  let accountError: string | null = null;
  try {
    const account = await client.json<{ items: RoleChoice[] }>('GET', `/api/apps/${appId}/provisioning/roles`);
    for (const r of account.items) if (!roles.some((x) => x.key === r.key)) roles.push(r);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    accountError = e.message;
  }
  return { roles, accountError };
}

/** `--role` to a role of the application, or a clear error listing the choices. */
export async function roleFor(client: ApiClient, appId: string, input: string): Promise<RoleChoice> {
  const { roles, accountError } = await appRoles(client, appId);
  const resolved = resolveRole(input, roles);
  if (resolved.ok) return resolved.role;
  throw new CliError(`${resolved.message}${accountError ? ` (the account's custom roles could not be read: ${accountError})` : ''}`);
}
