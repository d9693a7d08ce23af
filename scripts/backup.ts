/** npm run backup -- FILE — an online backup of the database, safe while Candor runs. */
import { existsSync } from 'node:fs';
import { backupDatabase } from '../src/retention/backup.js';
import { openDatabase } from '../src/db/client.js';
import { configOrExit, fail, parseCommandLine, progress } from './cli.js';

const HELP = `
Copy the database to FILE while Candor keeps running (SQLite's VACUUM INTO: a consistent copy,
every page rebuilt, so the copy keeps no trace of the order rows were written in).
Restore by pointing DATABASE_PATH at the copy (stop Candor first, then start it with the new path).

Usage:
  npm run backup -- <file>

Options:
  -h, --help   show this help

The backup holds what the database holds: until a survey is purged, its de-identified answers with
their grouping answers. Guard it like the answers themselves, and purge surveys whose results are final.
Environment: DATABASE_PATH (default ./data/candor.db).
`;

const { positionals } = parseCommandLine(HELP, {});
const file = positionals[0];
if (!file) fail(`Where to? Give a file name.\n${HELP}`, 2);
const config = configOrExit();
// Opening a missing file would create an empty database, and "back it up": say so instead.
if (!existsSync(config.databasePath)) fail(`There is no database at ${config.databasePath}: check DATABASE_PATH. Nothing was backed up.`);
const db = openDatabase(config.databasePath);
try {
  progress(`Copying ${config.databasePath} (Candor can keep running)…`);
  const { bytes } = backupDatabase(db, file);
  process.stdout.write(`Backed up ${config.databasePath} to ${file} (${Math.round(bytes / 1024)} KB). Restore with DATABASE_PATH=${file}.\n`);
} catch (err) {
  fail((err as Error).message);
} finally {
  db.close();
}
