/**
 * Section "submissions" (issue 2): submissions per second and latency through Candor's real
 * POST /api/surveys/:slug/responses, beside a bare Fastify route doing the same raw
 * better-sqlite3 insert, in the same run. Each server runs in its own child process
 * (scripts/bench/submit-server.ts) on a fresh database; autocannon runs here, in the parent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { fmtInt, fmtMs, fmtRate, formatTable, median, type Check, type Section, type SectionContext, type SectionReport } from './common.js';
import { BENCH_RATE_LIMIT_PER_MINUTE, benchBody, benchBodyJson, SUBMIT_PATHS, TEXT_QUESTIONS, type ServerMode } from './survey.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL('./submit-server.ts', import.meta.url));

export const TARGET_RATIO = 0.6;
export const TARGET_P99_MS = 50;

const LABELS: Record<ServerMode, string> = {
  bare: 'bare Fastify + raw better-sqlite3',
  candor: 'Candor POST /api/surveys/:slug/responses',
};

interface RunningServer {
  port: number;
  /** SIGTERM, then waits for a clean exit (the database is checkpointed and closed). */
  stop(): Promise<void>;
}

/** Starts a server child and waits for its ready line. */
function startServer(ctx: SectionContext, mode: ServerMode, databasePath: string, round: number): Promise<RunningServer> {
  const nodeArgs: string[] = [];
  if (ctx.options.cpuProf) {
    // One folder per child: node writes one profile per thread (tsx's loader thread included),
    // named CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; the main thread's is the largest.
    const dir = resolve(ctx.options.cpuProf, `${mode}-round${round}`);
    mkdirSync(dir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', SERVER_SCRIPT, '--mode', mode, '--db', databasePath, '--port', '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let exited = false;
  const exit = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolveExit(signal ? null : code);
    }),
  );
  ctx.onCleanup(() => {
    if (!exited) child.kill('SIGKILL');
  });

  return new Promise<RunningServer>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${mode} server did not start within 60 s`));
    }, 60_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let message: { ready?: boolean; port?: number };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        process.stderr.write(`[${mode} server] ${line}\n`);
        return;
      }
      if (message.ready && typeof message.port === 'number') {
        clearTimeout(timer);
        resolveReady({
          port: message.port,
          async stop() {
            if (!exited) child.kill('SIGTERM');
            const code = await exit;
            if (code !== 0) throw new Error(`the ${mode} server exited with ${code === null ? 'a signal' : `code ${code}`}`);
          },
        });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the ${mode} server exited (${code === null ? 'signal' : `code ${code}`}) before it was ready`));
    });
  });
}

function load(port: number, mode: ServerMode, connections: number, seconds: number): Promise<Result> {
  return Promise.resolve(
    autocannon({
      url: `http://127.0.0.1:${port}${SUBMIT_PATHS[mode]}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: benchBodyJson,
      connections,
      duration: seconds,
      pipelining: 1,
      timeout: 10,
    }),
  );
}

interface RunFigures {
  mode: ServerMode;
  round: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** 2xx replies received, warm-up included. */
  ok: number;
  /** Requests written but not answered when autocannon stopped (it closes its sockets). */
  inFlight: number;
  stored: { responses: number; answers: number; comments: number };
}

const unanswered = (r: Result): number => Math.max(0, (r.requests.sent ?? 0) - r.requests.total);

async function benchOne(ctx: SectionContext, mode: ServerMode, round: number): Promise<RunFigures> {
  const { connections, duration, warmup } = ctx.options;
  const dir = ctx.tempDir(`candor-bench-${mode}-`);
  const databasePath = join(dir, 'bench.db');
  ctx.progress(`submissions: round ${round}, ${mode}: starting the server`);
  const server = await startServer(ctx, mode, databasePath, round);
  let warm: Result | undefined;
  let run: Result;
  try {
    if (warmup > 0) {
      ctx.progress(`submissions: round ${round}, ${mode}: warming up for ${warmup} s`);
      warm = await load(server.port, mode, connections, warmup);
    }
    ctx.progress(`submissions: round ${round}, ${mode}: ${connections} connections for ${duration} s`);
    run = await load(server.port, mode, connections, duration);
  } finally {
    await server.stop();
  }
  const db = new Database(databasePath, { readonly: true });
  const count = (table: string) => (db.prepare(`select count(*) from ${table}`).pluck().get() as number) ?? 0;
  const stored = { responses: count('responses'), answers: count('answers'), comments: count('comments') };
  db.close();
  const figures: RunFigures = {
    mode,
    round,
    requestsPerSecond: run.requests.average,
    p50: run.latency.p50,
    p99: run.latency.p99,
    non2xx: run.non2xx + (warm?.non2xx ?? 0),
    errors: run.errors + run.timeouts + (warm ? warm.errors + warm.timeouts : 0),
    ok: run['2xx'] + (warm?.['2xx'] ?? 0),
    inFlight: unanswered(run) + (warm ? unanswered(warm) : 0),
    stored,
  };
  ctx.progress(
    `submissions: round ${round}, ${mode}: ${fmtRate(figures.requestsPerSecond)} requests/s, p50 ${fmtMs(figures.p50)}, p99 ${fmtMs(figures.p99)}, ` +
      `${figures.non2xx} non-2xx, ${figures.errors} errors`,
  );
  if (figures.non2xx > 0) {
    const codes = Object.entries({ ...warm?.statusCodeStats, ...run.statusCodeStats }).map(([code, s]) => `${code}×${s.count}`);
    ctx.progress(`submissions: round ${round}, ${mode}: status codes ${codes.join(', ')}`);
  }
  return figures;
}

/** Answer rows and comment rows each stored response must have. */
const ANSWERS_PER_RESPONSE = Object.keys(benchBody.answers).filter((id) => !TEXT_QUESTIONS.has(id)).length;
const COMMENTS_PER_RESPONSE = Object.keys(benchBody.answers).length - ANSWERS_PER_RESPONSE;

/**
 * Every 2xx the client received is stored, with all its answer and comment rows, and nothing
 * beyond the requests autocannon abandoned in flight when it stopped (those may or may not have
 * been committed). Checked per run; reported as totals.
 */
function storageCheck(runs: RunFigures[]): { pass: boolean; actual: string } {
  let pass = true;
  let stored = 0;
  let ok = 0;
  let inFlight = 0;
  let rowsOk = true;
  for (const r of runs) {
    const extra = r.stored.responses - r.ok;
    const rows = r.stored.answers === r.stored.responses * ANSWERS_PER_RESPONSE && r.stored.comments === r.stored.responses * COMMENTS_PER_RESPONSE;
    pass &&= extra >= 0 && extra <= r.inFlight && rows;
    rowsOk &&= rows;
    stored += r.stored.responses;
    ok += r.ok;
    inFlight += r.inFlight;
  }
  const extra = stored - ok;
  const actual =
    `${fmtInt(stored)} stored = ${fmtInt(ok)} 2xx` +
    (extra !== 0 ? ` ${extra > 0 ? '+' : '−'} ${fmtInt(Math.abs(extra))} of ${fmtInt(inFlight)} in flight at stop` : '') +
    (rowsOk ? `, ${ANSWERS_PER_RESPONSE} answers + ${COMMENTS_PER_RESPONSE} comments each` : ', answer or comment rows missing');
  return { pass, actual };
}

export const submissionsSection: Section = {
  name: 'submissions',
  summary: 'submissions per second and p99 through POST /api/surveys/:slug/responses, beside a bare Fastify + raw better-sqlite3 route',
  async run(ctx): Promise<SectionReport> {
    const { connections, duration, warmup, rounds } = ctx.options;
    const runs: Record<ServerMode, RunFigures[]> = { bare: [], candor: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const mode of ['bare', 'candor'] as const) runs[mode].push(await benchOne(ctx, mode, round));
    }

    const summary = (mode: ServerMode) => {
      const list = runs[mode];
      return {
        requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        non2xx: list.reduce((n, r) => n + r.non2xx, 0),
        errors: list.reduce((n, r) => n + r.errors, 0),
        stored: list.reduce((n, r) => n + r.stored.responses, 0),
      };
    };
    const bare = summary('bare');
    const candor = summary('candor');
    const ratio = candor.requestsPerSecond / bare.requestsPerSecond;

    const header = ['server', 'requests/s', 'p50', 'p99', 'non-2xx', 'errors', 'stored'];
    const row = (label: string, s: ReturnType<typeof summary>) => [
      label,
      fmtRate(s.requestsPerSecond),
      fmtMs(s.p50),
      fmtMs(s.p99),
      fmtInt(s.non2xx),
      fmtInt(s.errors),
      fmtInt(s.stored),
    ];
    const rows: string[][] = [header, row(LABELS.bare, bare), row(LABELS.candor, candor), ['ratio candor/bare', ratio.toFixed(2), '', '', '', '', '']];
    const lines = [
      `${connections} connections, ${duration} s measured after ${warmup} s of warm-up, ${rounds} round${rounds === 1 ? '' : 's'}` +
        `${rounds > 1 ? ' (medians)' : ''}; a ${Object.keys(benchBody.answers).length}-answer JSON body of ${benchBodyJson.length} bytes; ` +
        `WAL, synchronous=FULL, databases in ${ctx.options.dbDir ?? tmpdir()}; RATE_LIMIT_PER_MINUTE=${fmtInt(BENCH_RATE_LIMIT_PER_MINUTE)}`,
      '',
      ...formatTable(rows),
    ];
    if (rounds > 1) {
      const perRound: string[][] = [['round', 'server', 'requests/s', 'p50', 'p99']];
      for (let i = 0; i < rounds; i++) {
        for (const mode of ['bare', 'candor'] as const) {
          const r = runs[mode][i]!;
          perRound.push([String(i + 1), mode, fmtRate(r.requestsPerSecond), fmtMs(r.p50), fmtMs(r.p99)]);
        }
      }
      lines.push('', ...formatTable(perRound, { leftColumns: 2 }));
    }

    // Closed-loop load: each connection waits for its reply, so mean latency ≈ connections / throughput.
    const littleMs = (rps: number) => (1000 * connections) / rps;
    lines.push(
      '',
      `At ${connections} connections the mean latency is about connections / throughput (${fmtMs(Math.round(littleMs(bare.requestsPerSecond)))} bare, ` +
        `${fmtMs(Math.round(littleMs(candor.requestsPerSecond)))} Candor): a p99 under ${TARGET_P99_MS} ms needs well over ${fmtInt((1000 * connections) / TARGET_P99_MS)} requests/s.`,
    );
    if (bare.p99 >= TARGET_P99_MS) {
      lines.push(
        `The bare route's own p99 (${fmtMs(bare.p99)}) is above ${TARGET_P99_MS} ms: the store transaction itself (WAL, synchronous=FULL, on ${ctx.options.dbDir ?? tmpdir()}) ` +
          'is too slow on this machine for that target, whatever Candor adds.',
      );
    }

    const stored = storageCheck(runs.candor);
    const checks: Check[] = [
      { name: 'requests/s, candor/bare', target: `>= ${TARGET_RATIO.toFixed(2)}`, actual: ratio.toFixed(2), pass: ratio >= TARGET_RATIO },
      { name: 'Candor p99 latency', target: `< ${TARGET_P99_MS} ms`, actual: fmtMs(candor.p99), pass: candor.p99 < TARGET_P99_MS },
      {
        name: 'non-2xx replies, errors, timeouts',
        target: '0',
        actual: `candor ${candor.non2xx + candor.errors}, bare ${bare.non2xx + bare.errors}`,
        pass: candor.non2xx + candor.errors + bare.non2xx + bare.errors === 0,
      },
      { name: 'Candor database holds every 2xx', target: 'stored = 2xx (+ in flight)', actual: stored.actual, pass: stored.pass },
    ];
    return { title: 'Submissions: POST /api/surveys/:slug/responses', lines, checks };
  },
};
