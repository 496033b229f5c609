/** `roster migrate`: apply pending migrations and exit (deploy step before rolling processes). */
import type { Config } from '../config/config.ts';
import { openConfiguredDatabase } from './open.ts';

export async function runMigrations(config: Pick<Config, 'databaseUrl' | 'dataDir'>, print: (line: string) => void): Promise<void> {
  const { database, description } = await openConfiguredDatabase(config, print);
  await database.close();
  print(`Migrations applied to ${description}.`);
}
