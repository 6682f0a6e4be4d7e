import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` only diffs the schema against drizzle/; it never connects to a database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/server/db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
});
