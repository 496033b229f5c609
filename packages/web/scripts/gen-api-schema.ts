/** Writes src/api/schema.d.ts from Roster's OpenAPI document (see api-schema-source.ts). */
import { writeFileSync } from 'node:fs';
import { renderApiSchema, schemaFile } from './api-schema-source.ts';

writeFileSync(schemaFile, await renderApiSchema());
console.log(`wrote ${schemaFile}`);
