/** survey:import FILE — creates a survey (a draft) from a JSON definition file, with every problem listed. */
import { readFileSync } from 'node:fs';
import { createCandor } from '../src/candor.js';
import { openDatabase } from '../src/db/client.js';
import { CandorError } from '../src/errors.js';
import { createI18n, isLocale } from '../src/i18n/index.js';
import { configOrExit, fail, parseCommandLine } from './cli.js';

const HELP = `
Create a survey from a JSON definition file (see README, "Survey definitions").

Usage:
  npm run survey:import -- <file.json> [--open] [--lang en|es|fr]

Options:
  --open         open the survey for answers at once (otherwise it stays a draft)
  --lang <xx>    language of the messages about problems (default en)
  -h, --help     show this help

Every problem in the definition is listed with its JSON path; nothing is saved unless there are none.
Environment: DATABASE_PATH, MIN_GROUP_SIZE, MIN_DIVERSITY (defaults for k and c).
`;

const { values, positionals } = parseCommandLine(HELP, { open: { type: 'boolean' }, lang: { type: 'string' } });
const file = positionals[0];
if (!file) fail(`Which file?\n${HELP}`, 2);
const lang = values.lang ?? 'en';
if (!isLocale(lang)) fail(`--lang must be en, es or fr`, 2);
const t = createI18n().getFixedT(lang);

let input: unknown;
try {
  // Editors on Windows often save JSON with a byte-order mark: JSON.parse refuses it.
  input = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
} catch (err) {
  fail(`Cannot read ${file} as JSON: ${(err as Error).message}`);
}

const config = configOrExit();
const candor = createCandor(openDatabase(config.databasePath), config, { writerThread: false, jobThread: false });
try {
  const service = candor.surveys;
  let survey = service.create(input);
  if (values.open) survey = service.update(survey.slug, { status: 'open' });
  process.stdout.write(`Created "${survey.slug}" (${survey.status}), k = ${survey.definition.minGroupSize}, ${survey.definition.questions.length} questions.\n`);
} catch (err) {
  if (!(err instanceof CandorError)) throw err;
  const lines = [t(`errors:${err.code}`, err.params)];
  for (const p of err.problems) lines.push(`  ${p.path}: ${t(`problems:${p.code}`, p.params ?? {})}`);
  fail(lines.join('\n'));
} finally {
  await candor.close();
}
