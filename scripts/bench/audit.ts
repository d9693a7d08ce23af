/**
 * The "audit" and "utility" sections of npm run bench (issue 9, SPEC §6 rule 8 and §11):
 *
 * - audit: the whole final release (rules 1–7 and every audit pass) of a survey of 20 questions
 *   with two grouping questions of 6 options, at several sizes; then the public audit (every
 *   hidden figure's interval) that `npm run audit` runs on it.
 * - utility: 2,000 simulated rounds of 30 respondents; the share of respondents who sit in a
 *   published breakdown cell, with rules 1–7 alone and with the audit.
 *
 * Counts are generated straight into the job's Aggregates (no database): these sections time the
 * rules and the audit, which never read the database anyway.
 */
import { audit } from '../../src/releases/audit/audit.js';
import { computeRelease, type Aggregates } from '../../src/releases/compute.js';
import { isMarker, type ReleaseContent } from '../../src/releases/content.js';
import { makeRelease } from '../../src/releases/release.js';
import { PREFER_NOT_TO_SAY, resolveDefinition, type Question, type ResolvedDefinition } from '../../src/surveys/definition.js';
import { seededRandom } from '../seeded-random.js';
import { fmtInt, formatTable, type Section, type SectionReport } from './common.js';

export const TARGET_AUDIT_SECONDS = 10;
export const TARGET_UTILITY_POINTS = 10;

const T = (s: string) => ({ en: s, es: s, fr: s });

const pick = (rnd: () => number, weights: readonly number[]): number => {
  let u = rnd() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((u -= weights[i]!) < 0) return i;
  return weights.length - 1;
};

/** Responses straight into the job's counts, encoded as the answers table stores them. */
class Counts {
  readonly aggregates: Aggregates = { respondents: 0, cohorts: new Map(), answers: new Map(), comments: new Map() };
  add(cohort: string, answers: Record<string, string | undefined>): void {
    const a = this.aggregates;
    a.respondents++;
    a.cohorts.set(cohort, (a.cohorts.get(cohort) ?? 0) + 1);
    for (const [q, value] of Object.entries(answers)) {
      let byValue = a.answers.get(q);
      if (!byValue) a.answers.set(q, (byValue = new Map()));
      if (value === undefined) continue;
      let byCohort = byValue.get(value);
      if (!byCohort) byValue.set(value, (byCohort = new Map()));
      byCohort.set(cohort, (byCohort.get(cohort) ?? 0) + 1);
    }
  }
}

const options = (values: string[]) => values.map((value) => ({ value, label: T(value) }));

// ---- audit: 20 questions, two grouping questions of 6 options -------------------------------------

export function auditSurvey(): ResolvedDefinition {
  const six = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
  const questions: Question[] = [
    { id: 'region', type: 'single_choice', grouping: true, prompt: T('region'), options: options(six) },
    { id: 'size', type: 'single_choice', grouping: true, prompt: T('size'), options: options(six) },
    ...Array.from({ length: 14 }, (_, i): Question => ({ id: `likert_${i + 1}`, type: 'likert', prompt: T('l'), ...(i < 4 ? { required: true } : {}) })),
    { id: 'channel', type: 'single_choice', prompt: T('c'), options: options(['email', 'calls', 'visits']) },
    { id: 'activities', type: 'multi_choice', prompt: T('a'), options: options(['calls', 'mentoring', 'visits', 'grants']) },
    { id: 'usefulness', type: 'rating', min: 0, max: 10, prompt: T('u') },
    { id: 'suggestions', type: 'text', prompt: T('s') },
  ];
  return { ...resolveDefinition({ slug: 'bench-audit', title: T('bench'), questions, access: 'invite' }, { minGroupSize: 5, minDiversity: 1 }) };
}

export function auditCounts(def: ResolvedDefinition, n: number, seed: number): Aggregates {
  const rnd = seededRandom(seed);
  const counts = new Counts();
  const six = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
  for (let i = 0; i < n; i++) {
    const region = six[pick(rnd, [30, 22, 16, 14, 10, 8])]!;
    const size = rnd() < 0.04 ? PREFER_NOT_TO_SAY : six[pick(rnd, [10, 20, 25, 20, 15, 10])]!;
    const answers: Record<string, string | undefined> = { region, size };
    const lean = six.indexOf(region) / 10;
    for (const q of def.questions) {
      if (q.type === 'likert') answers[q.id] = !q.required && rnd() < 0.08 ? undefined : String(1 + pick(rnd, [0.05, 0.1 + lean / 4, 0.25, 0.35 - lean / 4, 0.25]));
      else if (q.id === 'channel') answers[q.id] = rnd() < 0.05 ? undefined : ['email', 'calls', 'visits'][pick(rnd, [5, 3, 2])];
      else if (q.type === 'multi_choice') {
        const ticked = ['calls', 'mentoring', 'visits', 'grants'].filter((_, j) => rnd() < [0.85, 0.5, 0.3, 0.1][j]!);
        answers[q.id] = ticked.length ? ticked.join('|') : undefined;
      } else if (q.type === 'rating') answers[q.id] = rnd() < 0.05 ? undefined : String(Math.min(10, Math.round(4 + rnd() * 6 + lean)));
    }
    counts.add(`${region}|${size}`, answers);
    if (rnd() < 0.4) counts.aggregates.comments.set('suggestions', (counts.aggregates.comments.get('suggestions') ?? 0) + 1);
  }
  return counts.aggregates;
}

// ---- utility: 30 respondents, one grouping question of 4 options (skewed), 10 Likert, 1 multi -------

function utilitySurvey(): ResolvedDefinition {
  const questions: Question[] = [
    { id: 'region', type: 'single_choice', grouping: true, prompt: T('region'), options: options(['a', 'b', 'c', 'd']) },
    ...Array.from({ length: 10 }, (_, i): Question => ({ id: `likert_${i + 1}`, type: 'likert', prompt: T('l') })),
    { id: 'activities', type: 'multi_choice', prompt: T('a'), options: options(['calls', 'mentoring', 'visits']) },
  ];
  return resolveDefinition({ slug: 'bench-utility', title: T('bench'), questions, access: 'invite', minGroupSize: 5, minDiversity: 1 }, { minGroupSize: 5, minDiversity: 1 });
}

function utilityCounts(def: ResolvedDefinition, seed: number): { aggregates: Aggregates; groups: string[] } {
  const rnd = seededRandom(seed);
  const counts = new Counts();
  const groups: string[] = [];
  for (let i = 0; i < 30; i++) {
    const region = rnd() < 0.05 ? PREFER_NOT_TO_SAY : ['a', 'b', 'c', 'd'][pick(rnd, [50, 25, 15, 10])]!;
    groups.push(region);
    const answers: Record<string, string | undefined> = { region };
    const mood = region === 'a' ? 0.1 : region === 'd' ? -0.1 : 0;
    for (const q of def.questions) {
      if (q.type === 'likert') answers[q.id] = rnd() < 0.05 ? undefined : String(1 + pick(rnd, [0.05, 0.1 - mood / 2, 0.2, 0.4 + mood, 0.25]));
      else if (q.type === 'multi_choice') {
        const ticked = ['calls', 'mentoring', 'visits'].filter((_, j) => rnd() < [0.9, 0.5, 0.25][j]!);
        answers[q.id] = ticked.length ? ticked.join('|') : undefined;
      }
    }
    counts.add(region, answers);
  }
  return { aggregates: counts.aggregates, groups };
}

/** The share of (respondent, question) pairs whose group cell a breakdown publishes. */
function publishedShare(content: ReleaseContent, groups: readonly string[]): { inPublished: number; pairs: number } {
  let inPublished = 0;
  let pairs = 0;
  for (const q of content.questions) {
    if (q.type === 'text' || q.grouping) continue;
    const cells = q.breakdowns.region ?? [];
    for (const g of groups) {
      pairs++;
      const cell = cells.find((c) => c.group === g);
      if (cell && !isMarker(cell)) inPublished++;
    }
  }
  return { inPublished, pairs };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export const auditSection: Section = {
  name: 'audit',
  summary: 'the final release and the public audit of a 20-question survey with two grouping questions of 6 options',
  async run(ctx): Promise<SectionReport> {
    const def = auditSurvey();
    const sizes = [60, 600, 20_000];
    const rows: string[][] = [['respondents', 'questions broken down (of 18)', 'audit passes', 'release (rules + audit)', 'npm run audit (intervals)', 'hidden figures', 'programs solved']];
    let worst = 0;
    for (const n of sizes) {
      ctx.progress(`audit: ${fmtInt(n)} respondents`);
      const aggregates = auditCounts(def, n, n);
      const t0 = performance.now();
      const made = await makeRelease({ definition: def, aggregates, final: true, releasedAt: '2026-11-30', invitationsIssued: n });
      const releaseMs = performance.now() - t0;
      worst = Math.max(worst, releaseMs);
      const t1 = performance.now();
      const report = await audit(made.json, { mode: 'bounds', skipJoint: true });
      const auditMs = performance.now() - t1;
      const cuts = made.json.questions.map((q) => (q.type === 'text' || q.grouping ? -1 : Object.values(q.breakdowns).filter((groups) => groups.some((g) => !isMarker(g))).length));
      const by = (k: number) => cuts.filter((c) => c === k).length;
      rows.push([fmtInt(n), `${by(1)} by one, ${by(2)} by both`, String(made.passes), secs(releaseMs), secs(auditMs), fmtInt(report.hiddenFigures), fmtInt(report.solves)]);
    }
    return {
      title: 'Audit (20 questions, two grouping questions of 6 options, invite-only, k = 5, c = 1)',
      lines: [...formatTable(rows, { leftColumns: 1 }), '', 'Release: rules 1–7 and every audit pass (the job, with its counts as first witness). npm run audit: every hidden figure\'s interval, from the JSON alone (without --joint).'],
      checks: [{ name: 'slowest release, every audit pass included', target: `< ${TARGET_AUDIT_SECONDS} s`, actual: secs(worst), pass: worst < TARGET_AUDIT_SECONDS * 1000 }],
    };
  },
};

export const utilitySection: Section = {
  name: 'utility',
  summary: 'what the audit costs in published breakdowns: 2,000 simulated rounds of 30 respondents',
  async run(ctx): Promise<SectionReport> {
    const def = utilitySurvey();
    const rounds = ctx.options.utilityRounds ?? 2000;
    let rules = { inPublished: 0, pairs: 0 };
    let audited = { inPublished: 0, pairs: 0 };
    let passes = 0;
    let changed = 0;
    /** Proofs rule 8 handled, by the kind of question they were about. */
    const byKind = new Map<string, number>();
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) {
      const { aggregates, groups } = utilityCounts(def, 1000 + r);
      const plain = computeRelease({ definition: def, aggregates, final: true });
      const made = await makeRelease({ definition: def, aggregates, final: true, releasedAt: '2026-11-30' });
      const a = publishedShare(plain, groups);
      const b = publishedShare(made.json, groups);
      rules = { inPublished: rules.inPublished + a.inPublished, pairs: rules.pairs + a.pairs };
      audited = { inPublished: audited.inPublished + b.inPublished, pairs: audited.pairs + b.pairs };
      passes += made.passes;
      if (made.handled.length > 0) changed++;
      for (const proof of made.handled) {
        const kind = proof.question === null ? 'group sizes' : (def.questions.find((q) => q.id === proof.question)?.type ?? 'other');
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      }
      if ((r + 1) % 200 === 0) ctx.progress(`utility: ${r + 1}/${rounds} rounds (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const shareRules = (100 * rules.inPublished) / rules.pairs;
    const shareAudit = (100 * audited.inPublished) / audited.pairs;
    const cost = shareRules - shareAudit;
    return {
      title: `Utility (${fmtInt(rounds)} rounds: 30 respondents, one grouping question of 4 skewed options, 10 Likert, 1 multi-choice; k = 5, c = 1)`,
      lines: [
        ...formatTable(
          [
            ['', 'respondents in a published breakdown cell'],
            ['rules 1–7 alone', `${shareRules.toFixed(1)} %`],
            ['with the audit (rule 8)', `${shareAudit.toFixed(1)} %`],
          ],
          { leftColumns: 1 },
        ),
        '',
        `The audit changed ${fmtInt(changed)} of ${fmtInt(rounds)} releases (${(passes / rounds).toFixed(2)} audit passes a round on average, ${((performance.now() - t0) / rounds).toFixed(0)} ms a round for both releases).`,
        `Proofs it handled, by question type: ${[...byKind].map(([kind, n]) => `${kind} ${fmtInt(n)}`).join(', ') || 'none'}.`,
      ],
      checks: [{ name: 'share of respondents the audit costs', target: `≤ ${TARGET_UTILITY_POINTS} points`, actual: `${cost.toFixed(1)} points`, pass: cost <= TARGET_UTILITY_POINTS }],
    };
  },
};
