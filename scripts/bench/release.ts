/**
 * The "release" section of npm run bench (issue 3, §11): a generated survey of N responses × 20
 * questions with one grouping question; Candor's final release of it beside the raw SQL that
 * computes the same distributions (every question overall, and by the grouping question), in the
 * same process on the same file (§11), one fresh child process per round; and the job's peak memory.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtInt, formatTable, median, type Section, type SectionContext, type SectionReport } from './common.js';

export const TARGET_RELEASE_RATIO = 1.5;
export const TARGET_PEAK_MB = 300;

const CHILD = fileURLToPath(new URL('./release-child.ts', import.meta.url));

interface RawReport {
  seconds: number;
  overallSeconds: number;
  byGroupSeconds: number;
}
interface JobReport {
  seconds: number;
  maxRssMb: number;
  rssBeforeMb: number;
  respondents: number;
  suppressed: number;
}
interface PairReport {
  raw: RawReport;
  job: JobReport;
  maxRssMb: number;
}

function runChild<T>(ctx: SectionContext, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    ctx.onCleanup(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) ctx.progress(`release: ${line.trim()}`);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`release child ${args[0]} exited with ${code}`));
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`release child ${args[0]} printed no report: ${out}`));
      }
    });
  });
}

const secs = (s: number) => `${s.toFixed(2)} s`;

export const releaseSection: Section = {
  name: 'release',
  summary: 'final release of a generated 1,000,000 × 20 survey vs the raw GROUP BY queries; peak memory',
  async run(ctx): Promise<SectionReport> {
    const n = ctx.options.responses;
    const rounds = Math.max(ctx.options.rounds, 3);
    const dir = ctx.tempDir('candor-bench-release-');
    const file = join(dir, 'release.db');
    ctx.progress(`release: generating ${fmtInt(n)} responses × 20 questions in one transaction (about ${Math.max(5, Math.ceil(n / 10000))} s)`);
    const generated = await runChild<{ seconds: number }>(ctx, ['generate', file, String(n)]);
    const size = statSync(file).size;

    const raws: RawReport[] = [];
    const jobs: JobReport[] = [];
    let processPeak = 0;
    for (let round = 1; round <= rounds; round++) {
      // Both in one process, each with its own connection; the order alternates so that neither
      // side always gets the warmer caches.
      const order = round % 2 === 1 ? 'raw,job' : 'job,raw';
      ctx.progress(`release: round ${round}/${rounds}, ${order === 'raw,job' ? "raw SQL, then Candor's final release" : "Candor's final release, then raw SQL"}`);
      const r = await runChild<PairReport>(ctx, ['pair', file, order]);
      raws.push(r.raw);
      jobs.push(r.job);
      processPeak = Math.max(processPeak, r.maxRssMb);
    }

    ctx.progress('release: one scheduled run of the job on the released survey (it rewrites the file)');
    const scheduled = await runChild<{ seconds: number; maxRssMb: number }>(ctx, ['run', file]);

    const rawAll = median(raws.map((r) => r.seconds));
    const rawByGroup = median(raws.map((r) => r.byGroupSeconds));
    const rawOverall = median(raws.map((r) => r.overallSeconds));
    const job = median(jobs.map((r) => r.seconds));
    const peak = Math.max(...jobs.map((r) => r.maxRssMb));
    const ratio = job / rawAll;
    const strictRatio = job / rawByGroup;
    const last = jobs[jobs.length - 1];

    const lines = [
      `${fmtInt(n)} responses × 20 questions (${fmtInt(n * 20)} answer rows), one grouping question; database ${fmtInt(size / 1024 / 1024)} MB, generated in ${secs(generated.seconds)}.`,
      `Each figure is the median of ${rounds} rounds. Each round is one fresh process that runs both, each with its own connection to the same file, in alternating order (the OS page cache stays warm).`,
      '',
      ...formatTable([
        ['', 'seconds', 'rounds'],
        ['raw SQL: every question overall (GROUP BY question, value)', secs(rawOverall), raws.map((r) => r.overallSeconds.toFixed(2)).join(' ')],
        ['raw SQL: by the grouping question (GROUP BY question, value, cohort)', secs(rawByGroup), raws.map((r) => r.byGroupSeconds.toFixed(2)).join(' ')],
        ['raw SQL: both', secs(rawAll), raws.map((r) => r.seconds.toFixed(2)).join(' ')],
        ["Candor's final release (aggregate, rules 1–7, the audit, store)", secs(job), jobs.map((r) => r.seconds.toFixed(2)).join(' ')],
      ]),
      '',
      `ratio release / raw SQL (both queries, the target's baseline): ${ratio.toFixed(2)}`,
      `ratio release / the by-group query alone (stricter: the release derives the overall figures from it): ${strictRatio.toFixed(2)}`,
      `peak memory (max RSS of the process at the end of the release, Node and tsx included; where the raw SQL ran first, its peak too): ${peak} MB; before the release ${last?.rssBeforeMb ?? '?'} MB; the whole process, raw SQL included ${processPeak} MB`,
      `release published ${fmtInt(last?.respondents ?? 0)} respondents with ${last?.suppressed ?? 0} suppressed figures`,
      `a scheduled run after the release (nothing to release; the file rewritten by VACUUM, as after any new responses): ${secs(scheduled.seconds)}, peak ${scheduled.maxRssMb} MB (not a target)`,
    ];
    return {
      title: 'Final release of a large survey',
      lines,
      checks: [
        { name: 'release time / raw SQL', target: `≤ ${TARGET_RELEASE_RATIO}`, actual: ratio.toFixed(2), pass: ratio <= TARGET_RELEASE_RATIO },
        { name: 'release peak memory', target: `< ${TARGET_PEAK_MB} MB`, actual: `${peak} MB`, pass: peak < TARGET_PEAK_MB },
      ],
    };
  },
};
