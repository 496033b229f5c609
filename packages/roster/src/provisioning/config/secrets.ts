/**
 * The encrypted part of a connection: one JSON object encrypted with the secret key (AES-256-GCM,
 * db/crypto.ts). Decrypted only to call the target; never returned by the API.
 */
import type { Executor } from '../../db/database.ts';
import { decryptSecret, encryptSecret } from '../../db/crypto.ts';
import { findConfigRow } from './config-row.ts';
import { type ConnectionSecrets, connectionSecretsSchema } from './connection-schema.ts';

/** The application's secrets, `{}` when none are stored. Throws when the key cannot decrypt them (a configuration problem). */
export async function loadSecrets(executor: Executor, key: Buffer, applicationId: string): Promise<ConnectionSecrets> {
  const row = await findConfigRow(executor, applicationId);
  return row?.secrets ? decryptSecrets(key, row.secrets) : {};
}

export function decryptSecrets(key: Buffer, ciphertext: string): ConnectionSecrets {
  return connectionSecretsSchema.parse(JSON.parse(decryptSecret(key, ciphertext)));
}

/** The column value for `secrets`; null when there is nothing to keep. */
export function encryptSecrets(key: Buffer, secrets: ConnectionSecrets): string | null {
  const present = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined && v !== null));
  return Object.keys(present).length === 0 ? null : encryptSecret(key, JSON.stringify(present));
}

/** Names of the secrets present, for the clear-text `storedSecrets` list. */
export const secretNames = (secrets: ConnectionSecrets): string[] =>
  Object.keys(secrets).filter((k) => secrets[k] !== undefined && secrets[k] !== null).sort();
