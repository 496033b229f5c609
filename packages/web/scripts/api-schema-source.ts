/**
 * The web client's API types come from Roster's own OpenAPI document (built from the server's zod
 * contracts by `buildApp`), so the UI and the server cannot drift apart silently. This module
 * renders `src/api/schema.d.ts`; `gen-api-schema.ts` writes it and `test/api-schema-fresh.test.ts`
 * fails when the committed file is stale.
 */
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../../roster/src/api/app.ts';
import { loadConfig } from '../../roster/src/config/config.ts';
import type { Database } from '../../roster/src/db/database.ts';

export const schemaFile = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

const HEADER = `/**
 * Generated from Roster's OpenAPI document by packages/web/scripts/gen-api-schema.ts.
 * Do not edit: run \`npm run gen-api -w packages/web\` after changing a route's schema.
 */
`;

/** Roster's OpenAPI document, built in-process without listening. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_SECRET_KEY: '00'.repeat(32) });
  if (!config.ok) throw new Error(config.error.join('\n'));
  // Route modules only capture the database; producing the document runs no query.
  const database = { db: {} } as unknown as Database;
  const { app } = await buildApp({ database, config: config.value });
  try {
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}

/** The text of `src/api/schema.d.ts` for the current server contracts. */
export async function renderApiSchema(): Promise<string> {
  const ast = await openapiTS((await openApiDocument()) as never);
  return HEADER + astToString(ast);
}
