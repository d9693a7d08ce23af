/** npm run audit -- URL-or-FILE (§6 rule 8): anyone repeats the audit on published results, from a file or an address. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ReleaseJson } from '../../src/releases/content.js';
import { makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, tempDir } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SLOW = { timeout: 90_000 };

function audit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, 'scripts/audit.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const M = { suppressed: true as const };
/** n = 20, a required multi-choice question: two options shown (4 and 3), the third hidden — which must then be 19 or 20. */
const leaking: ReleaseJson = {
  survey: 'leaky',
  minGroupSize: 5,
  minDiversity: 1,
  releasedAt: '2026-11-30',
  final: true,
  respondents: { n: 20 },
  releases: [],
  questions: [{ id: 'acts', type: 'multi_choice', required: true, grouping: false, options: ['calls', 'visits', 'mentoring'], overall: { n: 20, counts: { calls: 4, visits: 3, mentoring: M } }, breakdowns: {} }],
};
const safe: ReleaseJson = { ...leaking, questions: [{ ...leaking.questions[0]!, overall: M } as ReleaseJson['questions'][number]] };

function saved(release: unknown): string {
  const file = join(tempDir(), 'results.json');
  writeFileSync(file, typeof release === 'string' ? release : JSON.stringify(release));
  return file;
}

describe('npm run audit -- FILE', () => {
  it('prints each hidden figure with its interval, the narrowest, and the proof; exits 1 on a disclosure', SLOW, async () => {
    const r = await audit([saved(leaking)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('acts.overall.counts.mentoring: 19 to 20');
    expect(r.stdout).toContain('Narrowest: acts.overall.counts.mentoring, 19 to 20 (width 1)');
    expect(r.stdout).toMatch(/DISCLOSURE: 1 proof/);
    expect(r.stdout).toContain('all but at most 1 of acts, all respondents ticked mentoring');
    // Progress goes to standard error, so that standard output stays clean for pipes.
    expect(r.stderr).toMatch(/\d+\/\d+ acts/);
  });

  it('exits 0 when nothing is proved, and --json answers the whole report for machines, without progress', SLOW, async () => {
    const ok = await audit([saved(safe)]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('No disclosure');
    const json = await audit([saved(leaking), '--json']);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout) as { passed: boolean; intervals: unknown[]; proofs: { path: string; inference: string }[]; solver: string };
    expect(report.passed).toBe(false);
    expect(report.intervals).toEqual([{ figure: 'acts.overall.counts.mentoring', lo: 19, hi: 20 }]);
    expect(report.proofs).toMatchObject([{ path: 'acts.overall', inference: 'homogeneity' }]);
    expect(report.solver).toMatch(/^HiGHS \d+\.\d+/);
  });

  it('exits 2 with a clear message on a missing file, on what is not JSON, not a release, or a release no survey could produce', SLOW, async () => {
    const missing = await audit([join(tempDir(), 'nope.json')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/Could not read/)]);
    const notJson = await audit([saved('{ not json')]);
    expect([notJson.code, notJson.stderr]).toEqual([2, expect.stringMatching(/is not JSON/)]);
    const notRelease = await audit([saved({ hello: 'world' })]);
    expect([notRelease.code, notRelease.stderr]).toEqual([2, expect.stringMatching(/not a Candor results release/)]);
    // Twenty-one of twenty respondents ticked "calls": no survey gives that.
    const contradictory = { ...leaking, questions: [{ ...leaking.questions[0]!, overall: { n: 20, counts: { calls: 21, visits: 3, mentoring: M } } }] };
    const impossible = await audit([saved(contradictory)]);
    expect([impossible.code, impossible.stderr]).toEqual([2, expect.stringMatching(/No survey could have produced this release/)]);
  });
});

describe('npm run audit -- URL', () => {
  it('audits a survey’s published results from its JSON address, or from its results page address', SLOW, async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'audited' }));
    for (let i = 0; i < 12; i++) {
      const res = await submit(t, 'audited', { answers: sampleAnswers({ region: ['africa', 'americas', 'asia'][i % 3], speak_freely: (i % 5) + 1, usefulness: i % 11 }) });
      expect(res.statusCode).toBe(201);
    }
    await t.app.inject({ method: 'PATCH', url: '/api/surveys/audited', headers: t.as('staff'), payload: { status: 'closed' } });
    await t.app.releases.release({ slug: 'audited' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    const published = JSON.parse((await t.app.inject({ url: '/api/surveys/audited/results' })).body) as ReleaseJson;
    expect(published.audit?.passed).toBe(true);

    const json = await audit([`${base}/api/surveys/audited/results`, '--quiet']);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('Audit of "audited", final release');
    expect(json.stdout).toContain(`Hidden figures (markers): ${published.audit!.hiddenFigures}`);
    const page = await audit([`${base}/s/audited/results?lang=fr`, '--json']);
    expect(page.code).toBe(0);
    expect(JSON.parse(page.stdout)).toMatchObject({ survey: 'audited', passed: true, hiddenFigures: published.audit!.hiddenFigures });

    const none = await audit([`${base}/api/surveys/nothing-here/results`]);
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/answered 404/)]);
  });
});
