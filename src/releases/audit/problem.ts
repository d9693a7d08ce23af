/**
 * The audit's reading of a published release (§6 rule 8): what is known exactly, what is hidden,
 * and over which groups of respondents. Pure: the release JSON in, a normalised problem out, with
 * nothing taken from the database. The integer programs are built from this (model.ts).
 */
import { isMarker, type FigureCell, type GroupCell, type ReleaseJson } from '../content.js';

const PREFER_NOT_TO_SAY = 'prefer_not_to_say';
const LIKERT = ['1', '2', '3', '4', '5'];

/** A cell as the reader sees it: hidden whole, or published with some counts (multi-choice options) hidden. */
export type SeenCell = { published: false } | { published: true; n: number; counts: (number | null)[] };

export interface GroupingQuestion {
  id: string;
  /** Answer values, prefer_not_to_say last: every respondent is in exactly one. */
  values: string[];
  /** The group sizes as published (the question's own distribution). */
  sizes: SeenCell;
  /** Whether any published figure involves its groups; sets over inactive ones are free (see README). */
  active: boolean;
}

export interface ChoiceQuestion {
  id: string;
  kind: 'single' | 'multi';
  values: string[];
  required: boolean;
  overall: SeenCell;
  /** Per grouping question id: one cell per value of that grouping question. */
  breakdowns: Map<string, SeenCell[]>;
}

export interface TextQuestion {
  id: string;
  required: boolean;
  comments: number | null;
}

/** The Working Group's published review, as far as the audit is concerned: how many comments it shows where (§8). */
export interface ReviewCounts {
  /** Published comments per question they are shown under. */
  byQuestion: Record<string, number>;
  /** Published comments shown as "other comments" (questionId null). */
  pooled: number;
}

export interface Problem {
  survey: string;
  k: number;
  c: number;
  /** Respondents, or null when hidden (then only rule 5's "nothing" is safe). */
  respondents: number | null;
  grouping: GroupingQuestion[];
  /** The active grouping questions, in definition order; cohorts are their combinations. */
  active: GroupingQuestion[];
  /** Each cohort: the value index of every active grouping question. */
  cohorts: number[][];
  choices: ChoiceQuestion[];
  texts: TextQuestion[];
  review: ReviewCounts | undefined;
  /** Whether the release publishes anything beyond its respondent count. */
  hasFigures: boolean;
}

export class MalformedRelease extends Error {}

function seen(cell: FigureCell | GroupCell | undefined, values: readonly string[], where: string): SeenCell {
  if (cell === undefined || isMarker(cell)) return { published: false };
  const counts = values.map((v) => {
    const x = cell.counts[v];
    if (x === undefined) throw new MalformedRelease(`${where}: no count for "${v}"`);
    return isMarker(x) ? null : x;
  });
  for (const key of Object.keys(cell.counts)) if (!values.includes(key)) throw new MalformedRelease(`${where}: unknown answer "${key}"`);
  return { published: true, n: cell.n, counts };
}

function valuesOf(q: ReleaseJson['questions'][number]): string[] {
  switch (q.type) {
    case 'likert':
      return LIKERT;
    case 'rating': {
      if (q.min === undefined || q.max === undefined || q.max < q.min) throw new MalformedRelease(`${q.id}: a rating needs min and max`);
      return Array.from({ length: q.max - q.min + 1 }, (_, i) => String(q.min! + i));
    }
    case 'single_choice':
    case 'multi_choice':
      if (!q.options || q.options.length === 0) throw new MalformedRelease(`${q.id}: options are missing`);
      return q.grouping ? [...q.options, PREFER_NOT_TO_SAY] : [...q.options];
    case 'text':
      return [];
  }
}

/**
 * Reads a release (and optionally the counts of a published review) into the audit's problem.
 * `commentsOnly` reads the text questions alone (publishing a review), so that releases stored by
 * earlier versions, which lack what the rest of the audit needs, can still have their review.
 */
export function readProblem(release: ReleaseJson, review?: ReviewCounts, options: { commentsOnly?: boolean } = {}): Problem {
  const k = release.minGroupSize;
  const c = release.minDiversity;
  const respondents = isMarker(release.respondents) ? null : release.respondents.n;
  const grouping: GroupingQuestion[] = [];
  const choices: ChoiceQuestion[] = [];
  const texts: TextQuestion[] = [];
  let hasFigures = false;
  for (const q of release.questions) {
    if (q.type === 'text') {
      const comments = isMarker(q.comments) ? null : q.comments.n;
      if (comments !== null) hasFigures = true;
      texts.push({ id: q.id, required: q.required === true, comments });
      continue;
    }
    if (options.commentsOnly) continue;
    const values = valuesOf(q);
    if (q.grouping) {
      if (q.type !== 'single_choice') throw new MalformedRelease(`${q.id}: only single-choice questions group`);
      const sizes = seen(q.overall, values, `${q.id}.overall`);
      if (sizes.published && sizes.counts.some((x) => x !== null)) hasFigures = true;
      grouping.push({ id: q.id, values, sizes, active: false });
    }
  }
  const groupingIds = new Set(grouping.map((g) => g.id));
  for (const q of release.questions) {
    if (q.type === 'text' || q.grouping || options.commentsOnly) continue;
    const values = valuesOf(q);
    const overall = seen(q.overall, values, `${q.id}.overall`);
    if (overall.published) hasFigures = true;
    const breakdowns = new Map<string, SeenCell[]>();
    for (const [gid, groups] of Object.entries(q.breakdowns)) {
      const g = grouping.find((x) => x.id === gid);
      if (!g || !groupingIds.has(gid)) throw new MalformedRelease(`${q.id}: a breakdown by "${gid}", which is not a grouping question`);
      const cells = g.values.map((value) => {
        const cell = groups.find((x) => x.group === value);
        return seen(cell, values, `${q.id}.breakdowns.${gid}.${value}`);
      });
      if (cells.some((x) => x.published)) {
        g.active = true;
        hasFigures = true;
      }
      breakdowns.set(gid, cells);
    }
    choices.push({ id: q.id, kind: q.type === 'multi_choice' ? 'multi' : 'single', values, required: q.required, overall, breakdowns });
  }
  // README choice 7: grouping questions nothing is published about are left out of the audit.
  for (const g of grouping) if (g.sizes.published && g.sizes.counts.some((x) => x !== null)) g.active = true;
  const active = grouping.filter((g) => g.active);
  let cohorts: number[][] = [[]];
  for (const g of active) cohorts = cohorts.flatMap((prefix) => g.values.map((_, i) => [...prefix, i]));
  return { survey: release.survey, k, c, respondents, grouping, active, cohorts, choices, texts, review, hasFigures };
}

/** The cohorts (indices) whose active grouping answers match `where` (active index → value index). */
export function cohortsWhere(problem: Problem, where: ReadonlyMap<number, number>): number[] {
  const out: number[] = [];
  problem.cohorts.forEach((tuple, j) => {
    for (const [a, v] of where) if (tuple[a] !== v) return;
    out.push(j);
  });
  return out;
}

/** The sets of grouping questions whose joint cells are audited: every pair, and all of them. */
export function jointSubsets(activeCount: number): number[][] {
  // README choice 8: joint cells are audited over every pair, and over all of them together.
  const out: number[][] = [];
  for (let a = 0; a < activeCount; a++) for (let b = a + 1; b < activeCount; b++) out.push([a, b]);
  if (activeCount >= 3) out.push(Array.from({ length: activeCount }, (_, i) => i));
  return out;
}

/** Every combination of values of the given active grouping questions. */
export function combinations(problem: Problem, subset: readonly number[]): Map<number, number>[] {
  let combos: Map<number, number>[] = [new Map()];
  for (const a of subset) {
    const g = problem.active[a]!;
    combos = combos.flatMap((m) => g.values.map((_, v) => new Map([...m, [a, v]])));
  }
  return combos;
}
