/** Lets commands take an email or a name where the API wants an id. */
import type { ApiClient } from '../api-client.ts';
import { CliError } from '../io.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user id, or the id of the user with that email. */
export async function resolveUserId(client: ApiClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  if (!ref.includes('@')) throw new CliError(`"${ref}" is neither a user id nor an email`, 2);
  const page = await client.json<{ items: { id: string }[] }>('GET', '/api/users', { query: { email: ref, limit: 1 } });
  const user = page.items[0];
  if (!user) throw new CliError(`no user with the email ${ref}`);
  return user.id;
}

/** A group id, or the id of the group with exactly that name (case-insensitive). */
export async function resolveGroupId(client: ApiClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const page = await client.json<{ items: { id: string; name: string }[] }>('GET', '/api/groups', { query: { q: ref, limit: 50 } });
  const group = page.items.find((g) => g.name.toLowerCase() === ref.toLowerCase());
  if (!group) throw new CliError(`no group named "${ref}"`);
  return group.id;
}

/** An app id, or the id of the app with exactly that name. */
export async function resolveAppId(client: ApiClient, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const page = await client.json<{ items: { id: string; displayName: string }[] }>('GET', '/api/apps', { query: { limit: 500 } });
  const app = page.items.find((a) => a.displayName.toLowerCase() === ref.toLowerCase());
  if (!app) throw new CliError(`no app named "${ref}"`);
  return app.id;
}
