/** A throw-away database on a PostgreSQL server, for test files and benchmarks. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function run(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Creates `<prefix>_<random>` on the server of `serverUrl`; `drop()` removes it (forcing out sessions).
 * With `template`, the new database is a copy of that one (`create database … template …`, a file
 * copy on the server: no migration to run); the template must have no open session.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string, opts: { template?: string | undefined } = {}): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  if (opts.template !== undefined && !IDENTIFIER.test(opts.template)) throw new Error(`template database name "${opts.template}" is not a plain identifier`);
  await run(serverUrl, opts.template ? `create database ${name} template ${opts.template}` : `create database ${name}`);
  return { name, url: databaseUrlOf(serverUrl, name), drop: () => run(serverUrl, `drop database if exists ${name} with (force)`) };
}

/** `serverUrl` with its database replaced by `name`. */
export function databaseUrlOf(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The migrated PostgreSQL template of this vitest run (see global-setup.ts), when there is one. */
export const pgTemplateOf = (): string | undefined => process.env['ROSTER_TEST_PG_TEMPLATE'] || undefined;
