import { defineConfig } from 'drizzle-kit';

// Generates versioned SQL migrations from src/db/schema.ts, src/db/provisioning-schema.ts, src/db/people-schema.ts and src/db/sso-schema.ts: `npx drizzle-kit generate` in this folder.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/schema.ts', './src/db/provisioning-schema.ts', './src/db/people-schema.ts', './src/db/sso-schema.ts'],
  out: './migrations',
});
