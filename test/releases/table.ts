/**
 * Small tables of responses for the pure release tests: build a definition, turn rows of answers
 * into the `Aggregates` that repository.ts reads with GROUP BY (same cohort and multi-choice
 * encoding as the stored answers), and recount any cell straight from the rows, independently of
 * compute.ts, so that tests can check published figures against the truth.
 */
import {
  computeRelease,
  isMarker,
  valuesOf,
  type Aggregates,
  type ChoiceQuestionResult,
  type FigureCell,
  type GroupCell,
  type PublishedCell,
  type QuestionResult,
  type ReleaseContent,
} from '../../src/releases/compute.js';
import { PREFER_NOT_TO_SAY, groupingQuestions, resolveDefinition, type Question, type ResolvedDefinition } from '../../src/surveys/definition.js';

export const T = (s: string) => ({ en: s, es: `${s} (es)`, fr: `${s} (fr)` });

export function grouping(id: string, options: string[]): Question {
  return { id, type: 'single_choice', grouping: true, prompt: T(id), options: options.map((value) => ({ value, label: T(value) })) };
}
export function single(id: string, options: string[]): Question {
  return { id, type: 'single_choice', prompt: T(id), options: options.map((value) => ({ value, label: T(value) })) };
}
export function multi(id: string, options: string[]): Question {
  return { id, type: 'multi_choice', prompt: T(id), options: options.map((value) => ({ value, label: T(value) })) };
}
export const likert = (id: string): Question => ({ id, type: 'likert', prompt: T(id) });
export const rating = (id: string, min: number, max: number): Question => ({ id, type: 'rating', min, max, prompt: T(id) });
export const text = (id: string): Question => ({ id, type: 'text', prompt: T(id) });

/** A definition; `access: 'invite'` for breakdowns (rule 4: none in open surveys). */
export function definition(questions: Question[], opts: { k?: number; c?: number; interim?: boolean; slug?: string; access?: 'open' | 'invite' } = {}): ResolvedDefinition {
  return resolveDefinition(
    {
      slug: opts.slug ?? 'table',
      title: T('Table'),
      questions,
      ...(opts.access !== undefined ? { access: opts.access } : {}),
      ...(opts.k !== undefined ? { minGroupSize: opts.k } : {}),
      ...(opts.c !== undefined ? { minDiversity: opts.c } : {}),
      ...(opts.interim !== undefined ? { interimReleases: opts.interim } : {}),
    },
    { minGroupSize: 5, minDiversity: 1 },
  );
}

/** One response: an answer per question id; undefined (or absent, or an empty list) is a skip. */
export type Answer = string | number | string[] | undefined;
export type Row = Record<string, Answer>;

/** `count` copies of a row. */
export const many = (count: number, row: Row): Row[] => Array.from({ length: count }, () => ({ ...row }));

const skipped = (a: Answer) => a === undefined || a === '' || (Array.isArray(a) && a.length === 0);

/** The value a question's answer is stored as (null: no answer row), as validate.ts canonicalises it. */
export function storedValue(q: Question, a: Answer): string | null {
  if (q.type === 'single_choice' && q.grouping) return skipped(a) ? PREFER_NOT_TO_SAY : String(a);
  if (q.type === 'text' || skipped(a)) return null;
  if (q.type === 'multi_choice') {
    const chosen = new Set(a as string[]);
    return q.options.map((o) => o.value).filter((v) => chosen.has(v)).join('|');
  }
  return String(a);
}

export function cohortOf(def: ResolvedDefinition, row: Row): string {
  return groupingQuestions(def)
    .map((g) => storedValue(g, row[g.id]))
    .join('|');
}

/** What the repository's GROUP BY reads, built from rows in the order given. */
export function aggregatesOf(def: ResolvedDefinition, rows: readonly Row[]): Aggregates {
  const answers: Aggregates['answers'] = new Map();
  const cohorts = new Map<string, number>();
  const comments = new Map<string, number>();
  for (const row of rows) {
    const cohort = cohortOf(def, row);
    cohorts.set(cohort, (cohorts.get(cohort) ?? 0) + 1);
    for (const q of def.questions) {
      if (q.type === 'text') {
        const a = row[q.id];
        if (typeof a === 'string' && a.trim() !== '') comments.set(q.id, (comments.get(q.id) ?? 0) + 1);
        continue;
      }
      let byValue = answers.get(q.id);
      if (!byValue) answers.set(q.id, (byValue = new Map()));
      const value = storedValue(q, row[q.id]);
      if (value === null) continue;
      let byCohort = byValue.get(value);
      if (!byCohort) byValue.set(value, (byCohort = new Map()));
      byCohort.set(cohort, (byCohort.get(cohort) ?? 0) + 1);
    }
  }
  for (const q of def.questions) if (q.type !== 'text' && !answers.has(q.id)) answers.set(q.id, new Map());
  return { respondents: rows.length, cohorts, answers, comments };
}

/** computeRelease (rules 1–7, without the audit of rule 8) on these rows. */
export function release(def: ResolvedDefinition, rows: readonly Row[], final: boolean): ReleaseContent {
  return computeRelease({ definition: def, aggregates: aggregatesOf(def, rows), final });
}

/** The true cell of a question among the rows accepted by `inGroup`, counted from the rows. */
export function trueCell(def: ResolvedDefinition, rows: readonly Row[], questionId: string, inGroup: (row: Row) => boolean = () => true) {
  const q = def.questions.find((x) => x.id === questionId)!;
  const counts: Record<string, number> = Object.fromEntries(valuesOf(q).map((v) => [v, 0]));
  let n = 0;
  for (const row of rows) {
    if (!inGroup(row)) continue;
    const value = storedValue(q, row[q.id]);
    if (value === null) continue;
    n++;
    for (const v of q.type === 'multi_choice' ? value.split('|') : [value]) counts[v]! += 1;
  }
  return { n, counts };
}

/** Whether a row belongs to this group of a grouping question (skipping it is prefer_not_to_say). */
export const inGroupOf = (g: Question, key: string) => (row: Row) => storedValue(g, row[g.id]) === key;

export function question(content: ReleaseContent, id: string): QuestionResult {
  const q = content.questions.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id} in the release`);
  return q;
}
export function choice(content: ReleaseContent, id: string): ChoiceQuestionResult {
  const q = question(content, id);
  if (q.type === 'text') throw new Error(`${id} is a text question`);
  return q as ChoiceQuestionResult;
}
export function published(cell: FigureCell | GroupCell | undefined): PublishedCell {
  if (cell === undefined || isMarker(cell)) throw new Error(`expected a published cell, got ${JSON.stringify(cell)}`);
  return cell;
}
export const publishedGroups = (groups: readonly GroupCell[]) => groups.filter((g): g is { group: string } & PublishedCell => !isMarker(g));

/**
 * What an attacker gets by subtracting the published groups of a breakdown from a published
 * figure: the n and the counts of everyone left (the suppressed groups, pooled).
 */
export function subtract(overall: PublishedCell, groups: readonly GroupCell[]): { n: number; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  for (const [v, x] of Object.entries(overall.counts)) if (typeof x === 'number') counts[v] = x;
  let n = overall.n;
  for (const g of publishedGroups(groups)) {
    n -= g.n;
    for (const [v, x] of Object.entries(g.counts)) if (typeof x === 'number' && v in counts) counts[v]! -= x;
  }
  return { n, counts };
}

/** Rule 2 for a whole distribution: n − largest ≥ c + 1. */
export const diverse = (cell: { n: number; counts: Record<string, number> }, c: number) => cell.n - Math.max(0, ...Object.values(cell.counts)) >= c + 1;
