/** The non-secret field values of a stored connection, by form key. */
import type { StoredConnection } from './connection-schema.ts';

/** `fields`, plus the top-level `clientId` / `adminEmail` of connections stored before `fields` existed. */
export function storedFieldValues(stored: StoredConnection): Record<string, string> {
  const legacy: Record<string, string> = {};
  if (stored.clientId !== undefined) legacy['clientId'] = stored.clientId;
  if (stored.adminEmail !== undefined) legacy['adminEmail'] = stored.adminEmail;
  return { ...legacy, ...stored.fields };
}
