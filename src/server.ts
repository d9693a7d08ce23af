/** Starts Candor: reads the configuration, listens, and shuts down cleanly on SIGTERM/SIGINT. */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

const HELP = `
Start Candor: the partner forms, the results, the staff and Working Group pages and the API.

Usage:
  npm start

Configuration comes from the environment (see README, "Configuration"):
  HOST, PORT                    where to listen (127.0.0.1, 3000)
  DATABASE_PATH                 the SQLite file (./data/candor.db); folder created, migrations applied
  MIN_GROUP_SIZE, MIN_DIVERSITY default k (5) and c (1) of new surveys
  AGGREGATE_INTERVAL_SECONDS    how often the release job runs (300; 0 = never)
  RATE_LIMIT_PER_MINUTE         submissions per client address per minute (60)
  SCRUB_TERMS_PATH              deny-list for comments, one term a line
  SESSION_SECRET                signs session cookies (generated into the data folder when unset)
  LOG_LEVEL                     pino level (info)
  TRUST_PROXY                   set behind a reverse proxy: true, a number of hops, or addresses

Stops cleanly on SIGTERM or SIGINT: in-flight requests finish, the database is checkpointed and closed.
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${HELP.trim()}\n`);
    process.exit(0);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      app.log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    app.log.info(`${signal}: finishing in-flight requests, then closing the database`);
    // close() stops accepting connections, waits for in-flight requests, then runs onClose hooks
    // (the database is checkpointed and closed there).
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`Candor could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
