/**
 * Making a release (§6): rules 1–7 (compute.ts) as the fast first pass, then the exact audit of
 * rule 8 (audit/) on the release exactly as it would be published. While the audit proves a
 * disclosure, the release is not stored: more is hidden, in the order rule 8 gives, and it is
 * audited again. Hiding every figure always passes, so this ends.
 */
import { groupingQuestions, type ResolvedDefinition } from '../surveys/definition.js';
import { audit, type AuditReport, type Proof, type TruthHint } from './audit/audit.js';
import { computeRelease, valuesOf, type Aggregates, type ComputeInput } from './compute.js';
import { isMarker, type ReleaseContent, type ReleaseJson } from './content.js';
import { inProofOrder, nothingFurther, suppressFurther, type FurtherSuppression } from './rules.js';

export interface MadeRelease {
  json: ReleaseJson;
  /** Audit passes made (1 when rules 1–7 were enough). */
  passes: number;
  /** The proofs that made rule 8 hide more, in the order they were handled. */
  handled: Proof[];
}

export interface MakeOptions {
  /** Progress of each audit pass, for the command line. */
  progress?: (pass: number, done: number, total: number, what: string) => void;
}

/** The job's counts at cohort level, as the audit's first witness (it never reads them otherwise). */
function truthOf(definition: ResolvedDefinition, aggregates: Aggregates): TruthHint {
  const grouping = groupingQuestions(definition);
  const keys = [...aggregates.cohorts.keys()];
  const index = new Map(keys.map((key, i) => [key, i]));
  const counts = new Map<string, number[][]>();
  const answered = new Map<string, number[]>();
  for (const q of definition.questions) {
    if (q.type === 'text' || (q.type === 'single_choice' && q.grouping)) continue;
    const values = valuesOf(q);
    const table = keys.map(() => values.map(() => 0));
    const taken = keys.map(() => 0);
    for (const [stored, byCohort] of aggregates.answers.get(q.id) ?? []) {
      const chosen = q.type === 'multi_choice' ? stored.split('|') : [stored];
      for (const [cohort, n] of byCohort) {
        const f = index.get(cohort);
        if (f === undefined) continue;
        taken[f]! += n;
        for (const v of chosen) {
          const at = values.indexOf(v);
          if (at >= 0) table[f]![at]! += n;
        }
      }
    }
    counts.set(q.id, table);
    answered.set(q.id, taken);
  }
  return {
    cohorts: keys.map((key) => (grouping.length === 0 ? [] : key.split('|'))),
    sizes: keys.map((key) => aggregates.cohorts.get(key)!),
    counts,
    answered,
  };
}

/** Whether `after` shows a figure (a count, a cell, a group) that `before` hid. */
function showsMore(before: ReleaseContent, after: ReleaseContent): boolean {
  const shown = (content: ReleaseContent) => {
    const paths = new Set<string>();
    const cell = (path: string, c: unknown) => {
      if (isMarker(c)) return;
      paths.add(path);
      for (const [v, x] of Object.entries((c as { counts?: Record<string, unknown> }).counts ?? {})) if (!isMarker(x)) paths.add(`${path}.${v}`);
    };
    for (const q of content.questions) {
      if (q.type === 'text') {
        cell(`${q.id}.comments`, q.comments);
        continue;
      }
      cell(`${q.id}.overall`, q.overall);
      for (const [g, groups] of Object.entries(q.breakdowns)) for (const grp of groups) cell(`${q.id}.${g}.${grp.group}`, grp);
    }
    return paths;
  };
  const was = shown(before);
  for (const path of shown(after)) if (!was.has(path)) return true;
  return false;
}

/** Rule 8's order (rules.ts `inProofOrder`): questions in definition order (grouping questions included), breakdowns after. */
function proofOrder(definition: ResolvedDefinition, proofs: readonly Proof[]): Proof[] {
  return inProofOrder(proofs, (p) => {
    const id = p.question ?? (p.remedy.kind === 'hide_sizes' ? p.remedy.grouping : '');
    return definition.questions.findIndex((q) => q.id === id);
  });
}

export async function makeRelease(input: ComputeInput & { releasedAt: string }, options: MakeOptions = {}): Promise<MadeRelease> {
  const { definition, aggregates, releasedAt } = input;
  const truth = input.final ? truthOf(definition, aggregates) : undefined;
  let further: FurtherSuppression = input.further ?? nothingFurther();
  const handled: Proof[] = [];
  /** What the next pass audits: everything at first; then what the last remedy touched and what still had proofs. */
  let scope: { sizes: boolean; questions: string[] } | undefined;
  let before: ReleaseContent | undefined;
  for (let pass = 1; ; pass++) {
    const content = computeRelease({ ...input, further });
    const json: ReleaseJson = { ...content, releasedAt };
    // Hiding a group can also show something: an option hidden only because of that group, or a
    // later breakdown that rule 4 now tests against fewer grouping questions. Then every question's
    // programs may have changed: audit everything again.
    if (scope && before && showsMore(before, content)) scope = undefined;
    before = content;
    // An interim release publishes the respondent count only: there is nothing to audit.
    if (!input.final) return { json, passes: 0, handled };
    const report: AuditReport = await audit(json, {
      mode: 'decide',
      truth,
      ...(scope ? { scope } : {}),
      ...(options.progress ? { progress: (done: number, total: number, what: string) => options.progress!(pass, done, total, what) } : {}),
    });
    if (report.passed) {
      // Hiding more removes proofs elsewhere (unless it showed something, above), so the passes
      // between audit only what may still hold one; the release that is stored is audited whole,
      // once more, all the same.
      if (scope) {
        scope = undefined;
        continue;
      }
      return { json: { ...json, audit: { passed: true, hiddenFigures: report.hiddenFigures, solver: report.solver } }, passes: pass, handled };
    }
    const proofs = proofOrder(definition, report.proofs);
    const proof = proofs[0]!;
    handled.push(proof);
    further = suppressFurther(further, proof.remedy, (question, grouping) => {
      const q = content.questions.find((x) => x.id === question);
      if (!q || q.type === 'text') return [];
      return (q.breakdowns[grouping] ?? []).flatMap((g) => (isMarker(g) ? [] : [{ key: g.group, n: g.n }]));
    });
    const touched = (p: Proof) => (p.remedy.kind === 'hide_sizes' ? undefined : p.remedy.question);
    scope = {
      sizes: proofs.some((p) => p.question === null) || proof.remedy.kind === 'hide_sizes',
      questions: [...new Set(proofs.map(touched).filter((q): q is string => q !== undefined))],
    };
  }
}
