import { defineConfig } from 'drizzle-kit';

// Generates versioned SQL migrations from src/db/schema.ts: `npx drizzle-kit generate` in this folder.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
});
