/** npm run purge -- SLUG — delete a closed, released survey's raw responses and unpublished comments. */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { createCandor } from '../src/candor.js';
import { openDatabase } from '../src/db/client.js';
import { purgeable, PurgeRefused, purgeSurvey } from '../src/retention/purge.js';
import { configOrExit, fail, parseCommandLine } from './cli.js';

const HELP = `
Delete a survey's raw responses (every answer with its grouping answers), the comments the Working
Group did not publish, and its invitation codes. Its released results and the Working Group's
published review are kept and stay readable. Only for a closed survey whose final release is made.
This cannot be undone (make a backup first if you need one: npm run backup -- FILE).

Usage:
  npm run purge -- <slug> [--yes]

Options:
  --yes        do not ask for confirmation
  -h, --help   show this help

Exit status 3: the answers were deleted, but a running Candor kept reading the database long enough
that they could not yet be cleared from the file itself; run the same command again to finish.

Environment: DATABASE_PATH (default ./data/candor.db).
`;

const { values, positionals } = parseCommandLine(HELP, { yes: { type: 'boolean' } });
const slug = positionals[0];
if (!slug) fail(`Which survey? Give its slug.\n${HELP}`, 2);
const config = configOrExit();
// Opening a missing file would create an empty database: a mistyped DATABASE_PATH should be said as such.
if (!existsSync(config.databasePath)) fail(`There is no database at ${config.databasePath}: check DATABASE_PATH. Nothing was deleted.`);
const candor = createCandor(openDatabase(config.databasePath), config, { writerThread: false, jobThread: false });
const { db } = candor;
try {
  const surveys = candor.surveyRepository;
  let survey;
  try {
    survey = purgeable(surveys, candor.releases, slug);
  } catch (err) {
    if (!(err instanceof PurgeRefused)) throw err;
    const why = {
      not_found: `There is no survey "${slug}".`,
      not_closed: `"${slug}" is not closed: close it first (its final release is made then).`,
      no_final_release: `"${slug}" has no final release yet: run npm run aggregate first.`,
    }[err.reason];
    fail(why);
  }
  const n = surveys.countResponses(survey.id);
  if (!values.yes) {
    if (!process.stdin.isTTY) fail('Not asking without a terminal: add --yes to confirm.', 2);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Delete the ${n} raw responses and the unpublished comments of "${slug}"? Type the slug to confirm: `);
    rl.close();
    if (answer.trim() !== slug) fail('Nothing was deleted.');
  }
  const report = purgeSurvey(db, surveys, survey);
  process.stdout.write(
    `Purged "${slug}": ${report.responses} responses (${report.answers} answers), ${report.comments} unpublished comments and ${report.invites} invitation codes deleted. Releases and the published review are kept.\n`,
  );
  if (!report.fileClean) {
    await candor.close();
    fail(
      `But Candor was reading the database the whole time, so the deleted answers are still in the database file until its next checkpoint (every aggregation run, and when Candor stops). Run "npm run purge -- ${slug} --yes" again in a minute to finish.`,
      3,
    );
  }
} finally {
  await candor.close();
}
