/** The database as one named Fastify plugin: shared as `app.db`, closed (and checkpointed) on shutdown. */
import fp from 'fastify-plugin';
import type { Db } from './client.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export default fp<{ db: Db }>(
  async (app, { db }) => {
    app.decorate('db', db);
    app.addHook('onClose', async () => db.close());
  },
  { name: 'candor-db' },
);
