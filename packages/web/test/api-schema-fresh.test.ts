/** Fails when src/api/schema.d.ts no longer matches the server's contracts. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderApiSchema, schemaFile } from '../scripts/api-schema-source.ts';

it('src/api/schema.d.ts matches the OpenAPI document of the server (else: npm run gen-api -w packages/web)', async () => {
  expect(readFileSync(schemaFile, 'utf8')).toBe(await renderApiSchema());
});
