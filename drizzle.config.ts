// Serves `npm run db:check` (drizzle-kit check) only. drizzle-kit no longer generates the
// migrations: they are written by hand in migrations/ (README, "The database and its migrations").
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
