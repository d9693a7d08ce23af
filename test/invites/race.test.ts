/**
 * A code lets exactly one response in (§5), even when two submissions race: concurrent requests
 * to one app, two apps (two SQLite connections) on one file, and several processes on one file.
 * And the code is spent in the same transaction that stores the response: when storing fails,
 * the code stays unspent.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeApp, openSurvey, postForm, sampleAnswers, sampleSurvey, submit, tableCounts, type TestApp } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SLUG = 'race';

async function withCodes(t: TestApp, count: number): Promise<string[]> {
  await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count } });
  return (res.json() as { codes: string[] }).codes;
}

const spent = (t: TestApp) => t.db.sqlite.prepare('select count(*) from invites where spent = 1').pluck().get() as number;

/** Tally of status codes. */
const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describe('two submissions with one code, at once', () => {
  it('through one app (Promise.all over app.inject): one is stored, the other gets 409', async () => {
    const t = await makeApp();
    const codes = await withCodes(t, 20);
    for (const code of codes) {
      const replies = await Promise.all([
        submit(t, SLUG, { answers: sampleAnswers(), inviteCode: code }),
        submit(t, SLUG, { answers: sampleAnswers({ speak_freely: 2 }), inviteCode: code.toLowerCase() }),
        postForm(t, `/s/${SLUG}?lang=es`, { speak_freely: '5', inviteCode: code }),
      ]);
      const ok = replies.filter((r) => r.statusCode === 201 || r.statusCode === 303);
      expect(ok, code).toHaveLength(1);
      for (const r of replies.filter((x) => !ok.includes(x))) expect(r.statusCode).toBe(409);
    }
    expect(tableCounts(t).responses).toBe(20);
    expect(spent(t)).toBe(20);
  });

  it('through two apps on the same file (two SQLite connections): one is stored, the other gets 409', async () => {
    const a = await makeApp();
    const codes = await withCodes(a, 30);
    const b = await makeApp({ databasePath: a.config.databasePath });
    expect(b.db.sqlite).not.toBe(a.db.sqlite);
    const statuses: number[] = [];
    for (const [i, code] of codes.entries()) {
      const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
      const replies = await Promise.all([submit(first, SLUG, { answers: sampleAnswers(), inviteCode: code }), submit(second, SLUG, { answers: sampleAnswers(), inviteCode: code })]);
      expect(replies.map((r) => r.statusCode).sort(), code).toEqual([201, 409]);
      statuses.push(...replies.map((r) => r.statusCode));
    }
    expect(tally(statuses)).toEqual({ 201: 30, 409: 30 });
    // Both connections see the same state.
    expect(tableCounts(a)).toEqual(tableCounts(b));
    expect(tableCounts(a).responses).toBe(30);
    expect(spent(a)).toBe(30);
    expect(spent(b)).toBe(30);
  });

  it(
    'through four processes on the same file, released at the same moment: each code lets in exactly one response',
    async () => {
      const t = await makeApp();
      const codes = await withCodes(t, 25);
      t.db.checkpoint();
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_PATH: t.config.databasePath,
        SESSION_SECRET: 'a-race-secret-that-is-long-enough-for-cookies-0123456789',
        LOG_LEVEL: 'silent',
        AGGREGATE_INTERVAL_SECONDS: '0',
        RATE_LIMIT_PER_MINUTE: '100000',
      };
      // Two go through the codes in order and two in reverse order: they collide at the start, the end and the middle.
      const orders = [codes, codes, [...codes].reverse(), [...codes].reverse()];
      const children = orders.map((order) => spawn(process.execPath, ['--import', 'tsx', 'test/invites/race-child.ts', SLUG, ...order], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] }));
      try {
        const outputs = children.map((c) => collect(c));
        await Promise.all(outputs.map((o) => o.line('ready')));
        for (const c of children) c.stdin.write('go\n');
        const results = await Promise.all(outputs.map((o) => o.done));
        const perChild = results.map((r, i) => {
          expect(r.code, `child ${i}: ${r.stderr}`).toBe(0);
          return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as number[];
        });
        // Every submission is either the one stored (201) or refused as already used (409): no 5xx, no lost write.
        const all = perChild.flat();
        expect(all).toHaveLength(100);
        expect(tally(all)).toEqual({ 201: 25, 409: 75 });
        // Per code: exactly one winner among the four processes.
        for (const [i, code] of codes.entries()) {
          const wins = perChild.filter((statuses, c) => statuses[c < 2 ? i : codes.length - 1 - i] === 201).length;
          expect(wins, code).toBe(1);
        }
        // The processes did race: the winners are spread over more than one of them.
        expect(perChild.filter((statuses) => statuses.includes(201)).length).toBeGreaterThan(1);
      } finally {
        for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      }
      // 25 responses to the coded survey (each process also stored one to a warm-up survey of its own).
      const coded = t.db.sqlite.prepare('select count(*) from responses r join surveys s on s.id = r.survey_id where s.slug = ?').pluck().get(SLUG);
      expect(coded).toBe(25);
      expect(spent(t)).toBe(25);
      // Nothing more gets in afterwards, from any connection.
      expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: codes[7] })).statusCode).toBe(409);
    },
    90_000,
  );
});

function collect(child: ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.splice(0)) {
      if (stdout.split('\n').includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    done,
    line: (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.split('\n').includes(text)) return resolve();
        waiters.push({ text, resolve });
        void done.then((r) => reject(new Error(`exited (${r.code}) before printing "${text}": ${r.stderr}`)));
      }),
  };
}

describe('the spend and the response are one transaction', () => {
  it('when the response cannot be stored, the code stays unspent and can be used later', async () => {
    const t = await makeApp();
    const codes = await withCodes(t, 3);
    // Make every insert of a response fail, as a full disk or an I/O error would.
    t.db.sqlite.exec("create trigger refuse_responses before insert on responses begin select raise(abort, 'disk full'); end");
    const failed = await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: codes[0] });
    expect(failed.statusCode).toBe(500);
    expect((failed.json() as { message: string }).message).not.toContain('disk full');
    expect(spent(t)).toBe(0);
    expect(tableCounts(t)).toEqual({ responses: 0, answers: 0, comments: 0 });
    t.db.sqlite.exec('drop trigger refuse_responses');
    expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: codes[0] })).statusCode).toBe(201);
    expect(spent(t)).toBe(1);
  });

  it('when a comment cannot be stored, neither the code nor any part of the response is kept', async () => {
    const t = await makeApp();
    const codes = await withCodes(t, 1);
    t.db.sqlite.exec("create trigger refuse_comments before insert on comments begin select raise(abort, 'disk full'); end");
    const failed = await submit(t, SLUG, { answers: sampleAnswers({ suggestions: 'A comment.' }), inviteCode: codes[0] });
    expect(failed.statusCode).toBe(500);
    expect(spent(t)).toBe(0);
    expect(tableCounts(t)).toEqual({ responses: 0, answers: 0, comments: 0 });
  });
});
