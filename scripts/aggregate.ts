/** npm run aggregate — one pass of the release job (§6): close expired surveys, make due releases. */
import { openDatabase } from '../src/db/client.js';
import { createCandor } from '../src/candor.js';
import { configOrExit, fail, parseCommandLine, progress, requireExistingDatabase } from './cli.js';

const HELP = `
Run the aggregation job once: close surveys whose closesAt has passed, make the final release of
every closed survey that has none, and interim releases where a survey asks for them (only when
at least k new people have answered). Safe to run while the server runs: a lease in the database
keeps two runs from overlapping. A full run (not --slug) also rewrites the database file
(VACUUM: no page then keeps the order its rows were written in; it takes seconds on a very large
file and free disk space of about twice its size). Every run empties the write-ahead log.

Usage:
  npm run aggregate [-- --slug <survey>] [--quiet]

Options:
  --slug <survey>   release only this survey (as POST /api/surveys/:slug/release does)
  --quiet           no progress on standard error
  -h, --help        show this help

Environment: DATABASE_PATH (default ./data/candor.db).
`;

const { values } = parseCommandLine(HELP, { slug: { type: 'string' }, quiet: { type: 'boolean' } });
const config = configOrExit();
requireExistingDatabase(config.databasePath);
const quiet = values.quiet === true;
const started = Date.now();
const candor = createCandor(openDatabase(config.databasePath), config, {
  writerThread: false,
  jobThread: false,
  warn: (message) => process.stderr.write(`${message}\n`),
  jobProgress: {
    progress: (slug) => {
      const n = surveys.countResponses(surveys.findBySlug(slug)?.id ?? -1);
      if (!quiet) progress(`${slug}: aggregating ${n.toLocaleString('en')} responses`);
      return (done, total, questionId) => {
        if (!quiet) progress(`  ${done}/${total} ${questionId} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      };
    },
    rewriting: () => {
      if (!quiet) progress(`rewriting the database file so that no page keeps the order of its rows (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    },
  },
});
const { job, surveyRepository: surveys } = candor;

try {
  if (values.slug) {
    const survey = surveys.findBySlug(values.slug);
    if (!survey) fail(`No survey "${values.slug}".`);
    const outcome = await job.release(survey);
    process.stdout.write(outcome.released ? `${survey.slug}: ${outcome.final ? 'final' : 'interim'} release made (${outcome.releasedAt})\n` : `${survey.slug}: nothing released (${outcome.reason})\n`);
  } else {
    const summary = await job.run();
    if (!summary) fail('Another aggregation run holds the lease; try again in a minute.');
    for (const slug of summary.closed) process.stdout.write(`${slug}: closed (closesAt passed)\n`);
    for (const r of summary.released) process.stdout.write(`${r.slug}: ${r.final ? 'final' : 'interim'} release made\n`);
    for (const s of summary.skipped) process.stdout.write(`${s.slug}: nothing released (${s.reason})\n`);
    for (const f of summary.failed) process.stderr.write(`${f.slug}: the release failed (${f.error}); the next run tries again\n`);
    if (summary.closed.length + summary.released.length + summary.skipped.length + summary.failed.length === 0) process.stdout.write('Nothing to do.\n');
    if (summary.failed.length > 0) process.exitCode = 1;
  }
  if (job.walPending() && !candor.db.checkpoint(15_000)) {
    process.stderr.write('The write-ahead log could not be emptied (another connection kept reading); Candor empties it at its next run.\n');
  }
} finally {
  await candor.close();
}
