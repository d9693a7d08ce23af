/**
 * The inferences of issue 9 that got through rules 1–7, each reproduced against the behaviour that
 * let it through (built here, as leaks.test.ts builds its naive releases) and then refused by the
 * release as Candor now makes it: rules 1–7 revised, and the exact audit of rule 8.
 */
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/releases/audit/audit.js';
import { computeRelease, type Aggregates } from '../../src/releases/compute.js';
import { isMarker, type ChoiceQuestionResult, type ReleaseJson } from '../../src/releases/content.js';
import { makeRelease } from '../../src/releases/release.js';
import { namedQuestions } from '../../src/review/service.js';
import type { ResolvedDefinition } from '../../src/surveys/definition.js';
import { aggregatesOf, definition, grouping, likert, multi, text, type Row } from './table.js';

const DAY = '2026-11-30';
const invite = (def: ResolvedDefinition): ResolvedDefinition => ({ ...def, access: 'invite' });
const choice = (json: ReleaseJson, id: string) => json.questions.find((q) => q.id === id) as ChoiceQuestionResult;
const published = (cells: ChoiceQuestionResult['breakdowns'][string] | undefined) => (cells ?? []).filter((g) => !isMarker(g));
const release = (def: ResolvedDefinition, rows: Row[]) => makeRelease({ definition: def, aggregates: aggregatesOf(def, rows), final: true, releasedAt: DAY });
const rulesOnly = (def: ResolvedDefinition, aggregates: Aggregates): ReleaseJson => ({ ...computeRelease({ definition: def, aggregates, final: true }), releasedAt: DAY });

describe('1. two breakdowns pin their cross-tabulation', () => {
  // 20 partners, every zone × size combination has 5 of them (so the old rule 4 published both
  // breakdowns). The five small northern partners all answered 5; nobody else did.
  const ZONE = grouping('zone', ['north', 'south']);
  const SIZE = grouping('size', ['small', 'large']);
  const def = invite(definition([ZONE, SIZE, likert('q')]));
  const rows: Row[] = [
    ...[5, 5, 5, 5, 5].map((q) => ({ zone: 'north', size: 'small', q })),
    ...[4, 4, 4, 3, 3].map((q) => ({ zone: 'north', size: 'large', q })),
    ...[2, 2, 1, 1, 2].map((q) => ({ zone: 'south', size: 'small', q })),
    ...[3, 4, 1, 2, 3].map((q) => ({ zone: 'south', size: 'large', q })),
  ];

  it('was a leak: north showed five 5s, small showed five 5s, overall five 5s', () => {
    // What the old release showed (both margins, every group ≥ k and diverse)...
    const count = (where: (r: Row) => boolean) => rows.filter((r) => where(r) && r.q === 5).length;
    expect(count((r) => r.zone === 'north')).toBe(5);
    expect(count((r) => r.size === 'small')).toBe(5);
    expect(count(() => true)).toBe(5);
    // ...pins the joint cell: at least 5 + 5 − 5 = 5 small northern partners answered 5, and there are 5.
    expect(rows.filter((r) => r.zone === 'north' && r.size === 'small').length).toBe(5);
  });

  it('a reader who cannot rely on rule 4 proves it from both breakdowns; the audit finds the proof', async () => {
    const naive = rulesOnly(def, aggregatesOf(def, rows));
    const q = choice(naive, 'q');
    // Publish both breakdowns in full, as the old rule 4 did.
    const full = (g: 'zone' | 'size', values: string[]) =>
      values.map((v) => {
        const members = rows.filter((r) => r[g] === v);
        const counts = Object.fromEntries(['1', '2', '3', '4', '5'].map((x) => [x, members.filter((r) => String(r.q) === x).length]));
        return { group: v, n: members.length, counts };
      });
    const old: ReleaseJson = {
      ...naive,
      questions: naive.questions.map((x) =>
        x.id === 'q' ? { ...q, breakdowns: { zone: [...full('zone', ['north', 'south']), { group: 'prefer_not_to_say', suppressed: true as const }], size: [...full('size', ['small', 'large']), { group: 'prefer_not_to_say', suppressed: true as const }] } } : x,
      ),
    };
    const report = await audit(old, { mode: 'bounds', rules: false });
    expect(report.passed).toBe(false);
    expect(report.proofs.map((p) => p.path)).toContain('q.joint[zone=north&size=small]');
    expect(report.joint.find((i) => i.figure === 'q.joint[zone=north&size=small].counts.5')).toEqual({ figure: 'q.joint[zone=north&size=small].counts.5', lo: 5, hi: 5 });
  });

  it('is refused now: the breakdown by size is withheld for this question (its joint cells fail rule 2), and the audit passes', async () => {
    const made = await release(def, rows);
    const q = choice(made.json, 'q');
    expect(published(q.breakdowns.zone).length).toBeGreaterThan(0);
    expect(published(q.breakdowns.size)).toEqual([]);
    const report = await audit(made.json, { mode: 'bounds' });
    expect(report.passed).toBe(true);
    const joint = report.joint.find((i) => i.figure === 'q.joint[zone=north&size=small].counts.5')!;
    expect(joint.hi - joint.lo).toBeGreaterThan(0);
  });
});

describe('2. a marker with only one possible reason', () => {
  // A required question's n is the respondent count, so an interim marker over it could only
  // mean "not diverse"; the final figures then said which answer nearly everyone gave.
  const def = { ...definition([likert('q')], { interim: true }), access: 'invite' as const } as ResolvedDefinition;
  def.questions[0] = { ...def.questions[0]!, required: true };
  const first: Row[] = [5, 5, 5, 5, 5, 5].map((q) => ({ q }));
  const later: Row[] = [5, 1, 2, 3, 4, 2].map((q) => ({ q }));

  it('was a leak: hidden at 6 (n known, so not diverse), shown at 12: five of the first six answered 5', () => {
    const c = 1;
    const n = first.length;
    // The old interim release hid the overall cell of a required question at n = 6 ≥ k. Its n was
    // known, so the only possible reason was rule 2: at least n − c of the six gave one answer.
    const countOf = (rows: Row[], v: number) => rows.filter((r) => r.q === v).length;
    expect(n - Math.max(...[1, 2, 3, 4, 5].map((v) => countOf(first, v)))).toBeLessThanOrEqual(c);
    // The final release counts every answer: only one value was given by n − c or more people.
    const all = [...first, ...later];
    const candidates = [1, 2, 3, 4, 5].filter((v) => countOf(all, v) >= n - c);
    expect(candidates).toEqual([5]);
  });

  it('is refused now: an interim release publishes the number of respondents only', async () => {
    const interim = await makeRelease({ definition: def, aggregates: aggregatesOf(def, first), final: false, releasedAt: DAY });
    expect(interim.json.questions).toEqual([]);
    expect(interim.json.respondents).toEqual({ n: 6 });
    const final = await makeRelease({
      definition: def,
      aggregates: aggregatesOf(def, [...first, ...later]),
      final: true,
      releasedAt: DAY,
      earlier: [{ releasedAt: DAY, respondents: interim.json.respondents }],
    });
    expect(final.json.releases).toEqual([{ releasedAt: DAY, respondents: { n: 6 } }]);
    expect((await audit(final.json, { mode: 'decide' })).passed).toBe(true);
  });
});

describe('3. a hidden multi-choice option bounded by the others', () => {
  // n = 20, required, two options shown with 4 and 3: everyone ticked at least one, so the hidden
  // one was ticked by at least 13 — and "hidden" (min(x, n − x) ≤ c) then means 19 or 20.
  const def = invite(definition([multi('acts', ['calls', 'visits', 'mentoring'])]));
  def.questions[0] = { ...def.questions[0]!, required: true };
  const rows: Row[] = [
    ...Array.from({ length: 16 }, () => ({ acts: ['mentoring'] })),
    { acts: ['calls', 'mentoring'] },
    { acts: ['calls', 'visits', 'mentoring'] },
    { acts: ['calls', 'visits', 'mentoring'] },
    { acts: ['calls', 'visits'] },
  ];

  it('was a leak: rules 1–7 show calls 4 and visits 3 and hide mentoring, which the audit pins to 19–20', async () => {
    const naive = rulesOnly(def, aggregatesOf(def, rows));
    expect(choice(naive, 'acts').overall).toEqual({ n: 20, counts: { calls: 4, visits: 3, mentoring: { suppressed: true } } });
    const report = await audit(naive, { mode: 'bounds' });
    expect(report.intervals).toContainEqual({ figure: 'acts.overall.counts.mentoring', lo: 19, hi: 20 });
    expect(report.passed).toBe(false);
    expect(report.proofs[0]).toMatchObject({ path: 'acts.overall', inference: 'homogeneity' });
  });

  it('is refused now: the whole cell is hidden (single options are never hidden by rule 8), and the audit passes', async () => {
    const made = await release(def, rows);
    expect(choice(made.json, 'acts').overall).toEqual({ suppressed: true });
    expect(made.handled.map((p) => p.path)).toEqual(['acts.overall']);
    expect(made.json.audit).toMatchObject({ passed: true, hiddenFigures: 1 });
  });
});

describe('4. invented responses', () => {
  // One real partner in "asia", four answers someone invented there too: the old rules published
  // the group (5 ≥ k), and subtracting the four known answers leaves the real one.
  const REGION = grouping('region', ['africa', 'asia']);
  const real: Row = { region: 'asia', q: 1 };
  const invented: Row[] = [5, 5, 4, 4].map((q) => ({ region: 'asia', q }));
  const others: Row[] = [5, 4, 3, 2, 1, 2, 3, 4, 5, 3].map((q) => ({ region: 'africa', q }));

  it('was a leak when any breakdown was published: asia minus the invented four is the real answer', () => {
    const asia = [real, ...invented];
    expect(asia.length).toBeGreaterThanOrEqual(5);
    // The published group's counts, minus the four answers the attacker made up.
    const counts = [1, 2, 3, 4, 5].map((v) => asia.filter((r) => r.q === v).length - invented.filter((r) => r.q === v).length);
    expect(counts).toEqual([1, 0, 0, 0, 0]);
  });

  it('is refused in an open survey, where anyone with the link can invent answers: no breakdown at all', async () => {
    const def = definition([REGION, likert('q')]);
    expect(def.access).toBe('open');
    const made = await release(def, [real, ...invented, ...others]);
    expect(Object.values(choice(made.json, 'q').breakdowns).every((groups) => groups.every((g) => isMarker(g)))).toBe(true);
  });

  it('narrows it in an invite-only survey: the number of codes ever issued is published with the results', async () => {
    const def = invite(definition([REGION, likert('q')]));
    const made = await makeRelease({
      definition: def,
      aggregates: aggregatesOf(def, [real, ...invented, ...others]),
      final: true,
      releasedAt: DAY,
      invitationsIssued: 15,
    });
    expect(made.json.invitations).toEqual({ issued: 15 });
  });
});

describe('the comments of a question whose count the results hide', () => {
  const def = invite(definition([likert('q'), text('ideas'), text('worries')], { k: 5 }));
  const rows: Row[] = [
    ...Array.from({ length: 10 }, (_, i) => ({ q: (i % 5) + 1, ideas: `idea ${i}` })),
    { q: 3, worries: 'a worry' },
    { q: 4, worries: 'another worry' },
  ];

  it('was a leak: the review showed two comments under "worries", whose count (2 < k) the results hid', async () => {
    const made = await release(def, rows);
    const worries = made.json.questions.find((q) => q.id === 'worries')!;
    expect(worries.type === 'text' && isMarker(worries.comments)).toBe(true);
    // The old review named every comment's question: two under "worries".
    const report = await audit(made.json, { mode: 'decide', review: { byQuestion: { ideas: 8, worries: 2 }, pooled: 0 }, only: 'comments' });
    expect(report.passed).toBe(false);
    expect(report.proofs.map((p) => p.path)).toEqual(['worries.comments']);
  });

  it('is refused now: only questions counted in the results with at least minComments published keep their name', async () => {
    const made = await release(def, rows);
    const publishedComments = [...Array.from({ length: 8 }, () => ({ questionId: 'ideas' })), { questionId: 'worries' }, { questionId: 'worries' }];
    const named = namedQuestions(made.json, publishedComments, 8);
    expect([...named]).toEqual(['ideas']);
    const report = await audit(made.json, { mode: 'decide', review: { byQuestion: { ideas: 8 }, pooled: 2 }, only: 'comments' });
    expect(report.passed).toBe(true);
  });
});
