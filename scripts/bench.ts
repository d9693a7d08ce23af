/** npm run bench: Candor's performance figures beside raw baselines measured in the same run. */
import { cpus, loadavg } from 'node:os';
import Database from 'better-sqlite3';
import { fail, parseCommandLine, progress } from './cli.js';
import { Cleanup, formatTable, type BenchOptions, type Check, type Section } from './bench/common.js';
import { auditSection, TARGET_AUDIT_SECONDS, TARGET_UTILITY_POINTS, utilitySection } from './bench/audit.js';
import { releaseSection, TARGET_PEAK_MB, TARGET_RELEASE_RATIO } from './bench/release.js';
import { submissionsSection, TARGET_P99_MS, TARGET_RATIO } from './bench/submissions.js';

/** Every section, in the order they run. A section added later (e.g. "release") goes here. */
const SECTIONS: readonly Section[] = [submissionsSection, releaseSection, auditSection, utilitySection];

const HELP = `
Measures Candor's performance beside raw baselines run on the same machine in the same run, and
prints each figure with its target and PASS or FAIL. Progress goes to standard error, the
report to standard output.

Usage:
  npm run bench [-- options]

Sections (all run by default):
${SECTIONS.map((s) => `  ${s.name.padEnd(14)} ${s.summary}`).join('\n')}

  submissions: Candor's real app (buildApp, fresh temporary database, real migrations, a
  20-question open survey with one grouping question, RATE_LIMIT_PER_MINUTE set very high) and
  a bare Fastify route doing the same raw better-sqlite3 insert (same migrations, same pragmas:
  WAL, synchronous=FULL; one transaction of the response row, one multi-row insert of the
  answers and the comment rows; statements prepared once; random ids; JSON parsing, no
  validation). Each server runs in its own child process (scripts/bench/submit-server.ts);
  autocannon runs in this process and posts the same 20-answer JSON body to each in turn, bare
  first, after a warm-up. Targets: Candor's requests/s at least ${TARGET_RATIO} of the bare route's,
  Candor's p99 under ${TARGET_P99_MS} ms, no non-2xx reply or error, and Candor's database holding one
  response (with all its answers and comments) for every 2xx reply — plus at most the requests
  still in flight when autocannon stopped, which it abandons unanswered. Candor stores from a
  writer thread with group commit (one transaction for the responses that arrive during the
  previous commit); the bare route commits once per request.

  release: generates a closed survey of --responses responses × 20 questions (one grouping
  question, Likert, single choice, rating, multi-choice) in one transaction
  (scripts/bench/release-child.ts; about 2-4 minutes for 1,000,000). Then, in fresh child
  processes on the same file and alternating, at least 3 rounds of: the raw SQL that computes the
  same distributions (GROUP BY question, value — every question overall; GROUP BY question,
  value, cohort — by the grouping question), and Candor's real final release (aggregation, rules
  1–7, the audit of rule 8, storing the snapshot). Targets: release time within ${TARGET_RELEASE_RATIO}× the raw
  SQL, peak memory (max RSS of the release process) under ${TARGET_PEAK_MB} MB.

  audit: the final release (rules 1–7 and every audit pass) of a generated invite-only survey of
  20 questions with two grouping questions of 6 options, at 60, 600 and 20,000 respondents, then
  the public audit of the result (npm run audit's intervals). Target: every release under
  ${TARGET_AUDIT_SECONDS} s.

  utility: --utility-rounds simulated rounds (default 2,000) of 30 respondents (one grouping
  question of 4 options with skewed sizes, ten Likert questions, one multi-choice question;
  k = 5, c = 1): the share of respondents who sit in a published breakdown cell, with rules 1–7
  alone and with the audit. Target: the audit costs at most ${TARGET_UTILITY_POINTS} points. (Several minutes.)

Options:
  --only <names>        run only these sections (comma-separated): ${SECTIONS.map((s) => s.name).join(', ')}
  --connections <n>     concurrent connections (default 50)
  --duration <s>        seconds of measured load per server and round (default 10)
  --warmup <s>          seconds of load before each measured run, not counted (default 2; 0 = none)
  --rounds <n>          measured rounds (submissions: per server, alternating bare and Candor);
                        the medians are reported and each round is listed (default 1)
  --responses <n>       responses in the generated survey of the release section (default 1000000)
  --utility-rounds <n>  simulated rounds of the utility section (default 2000)
  --db-dir <dir>        where the temporary databases go (default: the system's temporary folder);
                        e.g. /dev/shm (tmpfs, fsync is free) to compare CPU costs alone
  --cpu-prof <dir>      write a V8 CPU profile of every server child into <dir> (kept; open it
                        in Chrome DevTools or speedscope)
  --strict              exit 1 when any target is missed (by default the exit code is 0 whatever
                        the figures; it is 1 only when the bench itself fails)
  -h, --help            show this help

Diagnostics (not run by npm run bench):
  npx tsx scripts/bench/submit-parts.ts        a submission's cost piece by piece, in-process
  npx tsx scripts/bench/cpuprofile-summary.ts FILE.cpuprofile [--focus fnA,fnB]
                                               where a --cpu-prof profile spent its time

Temporary databases are created under the system's temporary folder (or --db-dir) and deleted
at the end, also when the bench fails or is interrupted (Ctrl-C).
`;

const { values } = parseCommandLine(HELP, {
  only: { type: 'string' },
  connections: { type: 'string', default: '50' },
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '2' },
  rounds: { type: 'string', default: '1' },
  responses: { type: 'string', default: '1000000' },
  'utility-rounds': { type: 'string', default: '2000' },
  'cpu-prof': { type: 'string' },
  'db-dir': { type: 'string' },
  strict: { type: 'boolean', default: false },
});

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
    fail(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})\nSee npm run bench -- --help`, 2);
  }
  return Number(raw);
}

const options: BenchOptions = {
  connections: wholeNumber('connections', values.connections, 1, 10_000),
  duration: wholeNumber('duration', values.duration, 1, 3600),
  warmup: wholeNumber('warmup', values.warmup, 0, 600),
  rounds: wholeNumber('rounds', values.rounds, 1, 100),
  responses: wholeNumber('responses', values.responses, 1, 100_000_000),
  utilityRounds: wholeNumber('utility-rounds', values['utility-rounds'], 1, 1_000_000),
  ...(values['cpu-prof'] ? { cpuProf: values['cpu-prof'] } : {}),
  ...(values['db-dir'] ? { dbDir: values['db-dir'] } : {}),
};

let selected: Section[] = [...SECTIONS];
if (values.only !== undefined) {
  const names = values.only.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (names.length === 0 || unknown.length > 0) {
    fail(`--only: unknown section ${JSON.stringify(unknown.join(',') || values.only)}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`, 2);
  }
  selected = SECTIONS.filter((s) => names.includes(s.name));
}

const cleanup = new Cleanup();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the servers and removing the temporary folders`);
    cleanup.run();
    process.exit(130);
  });
}

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const cpu = cpus();
  const sqliteVersion = (() => {
    const db = new Database(':memory:');
    try {
      return db.prepare('select sqlite_version()').pluck().get() as string;
    } finally {
      db.close();
    }
  })();
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  out(`Candor bench — Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, SQLite ${sqliteVersion}`);
  out(`load average at start: ${load()}`);
  // Other work on the machine skews every figure (the load generator already shares the cores).
  if ((loadavg()[0] ?? 0) > 0.5) out(`warning: the 1-minute load average is ${loadavg()[0]!.toFixed(2)} before the bench starts: other processes may be using the CPU, and the figures may be noisy`);

  const allChecks: Check[] = [];
  for (const section of selected) {
    progress(`${section.name}: starting`);
    const report = await section.run({
      options,
      tempDir: (prefix) => cleanup.tempDir(prefix, options.dbDir),
      onCleanup: (fn) => cleanup.add(fn),
      progress,
    });
    out();
    out(`== ${report.title} ==`);
    for (const line of report.lines) out(line);
    out();
    const rows = [['check', 'target', 'actual', 'result'], ...report.checks.map((c) => [c.name, c.target, c.actual, c.pass ? 'PASS' : 'FAIL'])];
    // Left-align every column: the actual figures are sentences as often as numbers.
    for (const line of formatTable(rows, { leftColumns: 4 })) out(line);
    allChecks.push(...report.checks);
  }
  out();
  out(`load average at end: ${load()}`);
  if (options.cpuProf) out(`\nCPU profiles of the server children: ${options.cpuProf}`);
  const failed = allChecks.filter((c) => !c.pass);
  out();
  out(failed.length === 0 ? `All ${allChecks.length} targets met.` : `${failed.length} of ${allChecks.length} targets missed: ${failed.map((c) => c.name).join('; ')}.`);
  return failed.length > 0 && values.strict ? 1 : 0;
}

main().then(
  (code) => {
    cleanup.run();
    process.exit(code);
  },
  (err: unknown) => {
    cleanup.run();
    fail(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  },
);
