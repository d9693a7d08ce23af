// drizzle-kit reads this to turn src/db/schema.ts into reviewed SQL files in migrations/.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
