/**
 * The release bench's child process (one per round, so each round starts cold in memory):
 *   generate <db> <responses>   build a closed survey of N responses × 20 questions, one transaction
 *   pair <db> raw,job|job,raw   in this one process, on that file and in that order, each with its
 *                               own connection: the raw SQL (every question overall, and by the
 *                               grouping question) and Candor's real final release of the survey
 *   run <db>                    one scheduled run of the job on the released survey: nothing to
 *                               release, and the file rewritten (VACUUM) since it is new to the job
 * Prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/db/client.js';
import { createReleaseJob } from '../../src/releases/job.js';
import { countWritesForRewrite, createReleaseRepository } from '../../src/releases/repository.js';
import { VALUE_SEPARATOR } from '../../src/responses/validate.js';
import { resolveDefinition, type SurveyDefinition } from '../../src/surveys/definition.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { seededRandom } from '../seeded-random.js';

export const SLUG = 'bench-million';
const L = (text: string) => ({ en: text, es: text, fr: text });
const OPTIONS = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `o${i + 1}`, label: L(`Option ${i + 1}`) }));

/** 20 questions: one grouping question, Likert, single choice, rating and multi-choice. */
export function benchDefinition(): SurveyDefinition {
  const questions: SurveyDefinition['questions'] = [
    { id: 'region', type: 'single_choice', grouping: true, prompt: L('Region'), options: OPTIONS(4) },
  ];
  for (let i = 1; i <= 8; i++) questions.push({ id: `likert_${i}`, type: 'likert', prompt: L(`Likert ${i}`) });
  for (let i = 1; i <= 4; i++) questions.push({ id: `single_${i}`, type: 'single_choice', prompt: L(`Single ${i}`), options: OPTIONS(4) });
  for (let i = 1; i <= 3; i++) questions.push({ id: `rating_${i}`, type: 'rating', min: 0, max: 10, prompt: L(`Rating ${i}`) });
  for (let i = 1; i <= 4; i++) questions.push({ id: `multi_${i}`, type: 'multi_choice', prompt: L(`Multi ${i}`), options: OPTIONS(5) });
  // Invite-only: only such surveys have breakdowns (§6 rule 4), and the release must compute the
  // same distributions as the raw SQL it is compared with, by the grouping question included.
  return { slug: SLUG, title: L('Release bench'), access: 'invite', questions };
}


const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const report = (data: object) => process.stdout.write(`${JSON.stringify({ ...data, maxRssMb: maxRssMb() })}\n`);

function generate(path: string, n: number): void {
  const db = openDatabase(path);
  const { sqlite } = db;
  const def = resolveDefinition(benchDefinition(), { minGroupSize: 5, minDiversity: 1 });
  const surveyId = createSurveyRepository(db).insert(def).id;
  // Building the table is not what is measured: no journal, no fsync, a large cache. Response ids
  // are generated sorted, so each cell of the answers table grows at its end.
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  const ids = Array.from({ length: n }, () => randomBytes(16).toString('base64url')).sort();
  const rnd = seededRandom(1_000_000);
  const questions = def.questions;
  const insertResponse = sqlite.prepare('insert into responses (survey_id, id) values (?, ?)');
  const insertAnswers = sqlite.prepare(
    `insert into answers (survey_id, response_id, question_id, value, cohort) values ${questions.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
  );
  const started = performance.now();
  sqlite.transaction(() => {
    const params: (string | number)[] = new Array(questions.length * 5);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const r = rnd();
      const region = r < 0.45 ? 'o1' : r < 0.8 ? 'o2' : r < 0.95 ? 'o3' : r < 0.995 ? 'o4' : 'prefer_not_to_say';
      insertResponse.run(surveyId, id);
      questions.forEach((q, j) => {
        let value: string;
        if (j === 0) value = region;
        else if (q.type === 'likert') value = String(1 + Math.floor(rnd() * 5));
        else if (q.type === 'rating') value = String(Math.floor(rnd() * 11));
        else if (q.type === 'multi_choice') value = ['o1', 'o2', 'o3', 'o4', 'o5'].filter(() => rnd() < 0.4).join(VALUE_SEPARATOR) || 'o1';
        else value = `o${1 + Math.floor(rnd() * 4)}`;
        const k = j * 5;
        params[k] = surveyId;
        params[k + 1] = id;
        params[k + 2] = q.id;
        params[k + 3] = value;
        params[k + 4] = region;
      });
      insertAnswers.run(params);
      if ((i + 1) % 100_000 === 0) process.stderr.write(`  generated ${(i + 1).toLocaleString('en')} responses (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    sqlite.prepare("update surveys set status = 'closed' where id = ?").run(surveyId);
    // One transaction stored responses, as the writer would have counted it: the scheduled run
    // (`run`) then rewrites the file, which is what it measures.
    countWritesForRewrite(db);
  })();
  sqlite.pragma('journal_mode = WAL');
  const seconds = (performance.now() - started) / 1000;
  db.close();
  report({ seconds });
}

function raw(path: string) {
  const db = openDatabase(path);
  const surveyId = db.sqlite.prepare('select id from surveys where slug = ?').pluck().get(SLUG) as number;
  const t0 = performance.now();
  const overall = db.sqlite.prepare('select question_id, value, count(*) as n from answers where survey_id = ? group by question_id, value').all(surveyId);
  const t1 = performance.now();
  const byGroup = db.sqlite
    .prepare('select question_id, value, cohort, count(*) as n from answers where survey_id = ? group by question_id, value, cohort')
    .all(surveyId);
  const t2 = performance.now();
  db.close();
  return { overallSeconds: (t1 - t0) / 1000, byGroupSeconds: (t2 - t1) / 1000, seconds: (t2 - t0) / 1000, rows: overall.length + byGroup.length };
}

async function job(path: string) {
  const db = openDatabase(path);
  // Measure a final release every time: forget the one an earlier round made.
  db.sqlite.prepare('delete from releases').run();
  const surveys = createSurveyRepository(db);
  const survey = surveys.findBySlug(SLUG)!;
  const releases = createReleaseRepository(db);
  const job = createReleaseJob({ db, surveys, releases });
  const rssBefore = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const t0 = performance.now();
  const outcome = await job.release(survey);
  const seconds = (performance.now() - t0) / 1000;
  if (!outcome.released || !outcome.final) throw new Error(`no final release: ${JSON.stringify(outcome)}`);
  const suppressed = (JSON.stringify(outcome.release).match(/"suppressed":true/g) ?? []).length;
  db.close();
  // The process's peak so far: the release's own, or the raw queries' if they ran first and
  // peaked higher. An upper bound on the job's peak either way.
  return { seconds, rssBeforeMb: rssBefore, maxRssMb: maxRssMb(), respondents: 'n' in outcome.release.respondents ? outcome.release.respondents.n : -1, suppressed };
}

async function scheduledRun(path: string): Promise<void> {
  const db = openDatabase(path);
  const job = createReleaseJob({ db, surveys: createSurveyRepository(db), releases: createReleaseRepository(db) });
  const t0 = performance.now();
  const summary = await job.run();
  const seconds = (performance.now() - t0) / 1000;
  if (!summary || summary.released.length > 0) throw new Error(`unexpected run: ${JSON.stringify(summary)}`);
  db.close();
  report({ seconds });
}

async function pair(path: string, order: string): Promise<void> {
  const modes = order.split(',');
  if (modes.length !== 2 || !modes.includes('raw') || !modes.includes('job')) throw new Error(`order must be raw,job or job,raw, not ${order}`);
  const out: Record<string, object> = {};
  for (const mode of modes) out[mode] = mode === 'raw' ? raw(path) : await job(path);
  report(out);
}

const [mode, path, arg = ''] = process.argv.slice(2);
if (!path) throw new Error('usage: release-child.ts generate <db> <responses> | pair <db> raw,job|job,raw | run <db>');
if (mode === 'generate') generate(path, Number(arg));
else if (mode === 'pair') await pair(path, arg);
else if (mode === 'run') await scheduledRun(path);
else throw new Error(`unknown mode ${mode}`);
