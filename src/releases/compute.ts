/**
 * Builds a release from aggregated counts by applying the rules of rules.ts in order. Pure: the
 * same counts, definition and previous release always give byte-identical output (rule 7).
 */
import { groupingQuestions, LIKERT_POINTS, PREFER_NOT_TO_SAY, type Question, type ResolvedDefinition } from '../surveys/definition.js';
import {
  belowKOverall,
  complement,
  deterministicMean,
  diversity,
  oneCutAtATime,
  releaseInStepsOfK,
  threshold,
  type Cell,
  type CellKind,
  type Group,
  type Settings,
} from './rules.js';

/** The one generic marker: never a figure, never a reason (rule 1). */
export interface Marker {
  suppressed: true;
}
export const MARKER: Marker = Object.freeze({ suppressed: true });

export interface PublishedCell {
  n: number;
  counts: Record<string, number | Marker>;
  mean?: number;
  /** Kept from an earlier release because fewer than k respondents were added since (rule 6). */
  stale?: true;
}
export type FigureCell = PublishedCell | Marker;
export type GroupCell = { group: string } & FigureCell;

export interface ChoiceQuestionResult {
  id: string;
  type: Exclude<Question['type'], 'text'>;
  overall: FigureCell;
  /** Final release only: one list of groups per grouping question, in definition order. */
  breakdowns?: Record<string, GroupCell[]>;
}
export interface TextQuestionResult {
  id: string;
  type: 'text';
  comments: { n: number } | Marker;
}
export type QuestionResult = ChoiceQuestionResult | TextQuestionResult;

/** What a release publishes (§7). `releasedAt` is added when it is stored. */
export interface ReleaseContent {
  survey: string;
  minGroupSize: number;
  final: boolean;
  respondents: { n: number; stale?: true } | Marker;
  questions: QuestionResult[];
}

/**
 * What rule 6 needs from one release to make the next: for every figure, the n it had when last
 * published or shown as the marker. Never published; cleared once the final release is made.
 */
export interface ReleaseState {
  respondents: number;
  figures: Record<string, number>;
}

/** Counts read from the database by one SQL GROUP BY pass (see repository.ts). */
export interface Aggregates {
  respondents: number;
  /** Respondents per combination of grouping answers ("africa|small"). */
  cohorts: Map<string, number>;
  /** Per question: per stored value: per cohort: count. */
  answers: Map<string, Map<string, Map<string, number>>>;
  /** Comments per text question. */
  comments: Map<string, number>;
}

export const isMarker = (cell: unknown): cell is Marker => typeof cell === 'object' && cell !== null && (cell as Marker).suppressed === true;

/** The values a question's answers can take, in the order results list them. */
export function valuesOf(q: Question): string[] {
  switch (q.type) {
    case 'single_choice':
      return [...q.options.map((o) => o.value), ...(q.grouping ? [PREFER_NOT_TO_SAY] : [])];
    case 'multi_choice':
      return q.options.map((o) => o.value);
    case 'likert':
      return LIKERT_POINTS.map(String);
    case 'rating': {
      const values: string[] = [];
      for (let v = q.min; v <= q.max; v++) values.push(String(v));
      return values;
    }
    case 'text':
      return [];
  }
}

const kindOf = (q: Question): CellKind => (q.type === 'multi_choice' ? 'options' : 'distribution');

/** The cell of the respondents in cohorts accepted by `inGroup` (all of them when undefined). */
function cellOf(q: Question, byValue: Map<string, Map<string, number>> | undefined, inGroup?: (cohort: string) => boolean): Cell {
  const values = valuesOf(q);
  const counts: Record<string, number> = Object.fromEntries(values.map((v) => [v, 0]));
  let n = 0;
  for (const [stored, byCohort] of byValue ?? []) {
    let x = 0;
    for (const [cohort, count] of byCohort) if (!inGroup || inGroup(cohort)) x += count;
    if (x === 0) continue;
    n += x;
    // A multi-choice answer is stored as its chosen options joined with "|".
    const chosen = q.type === 'multi_choice' ? stored.split('|') : [stored];
    for (const v of chosen) if (v in counts) counts[v] = (counts[v] ?? 0) + x;
  }
  return { n, counts };
}

function meanOf(q: Question, cell: Cell): number | undefined {
  if (q.type !== 'likert' && q.type !== 'rating') return undefined;
  let sum = 0;
  for (const [v, x] of Object.entries(cell.counts)) sum += Number(v) * x;
  return cell.n > 0 ? deterministicMean(sum, cell.n) : undefined;
}

/** A cell as published: its counts, with hidden multi-choice options replaced by the marker. */
function publish(q: Question, cell: Cell, hiddenOptions: ReadonlySet<string>): PublishedCell {
  const counts: Record<string, number | Marker> = {};
  for (const [v, x] of Object.entries(cell.counts)) counts[v] = hiddenOptions.has(v) ? MARKER : x;
  const mean = meanOf(q, cell);
  return mean === undefined ? { n: cell.n, counts } : { n: cell.n, counts, mean };
}

export interface ComputeInput {
  definition: ResolvedDefinition;
  aggregates: Aggregates;
  final: boolean;
  previous?: { content: ReleaseContent; state: ReleaseState } | undefined;
}

/** One release: rules 1–7 applied to the aggregates, against the previous release for rule 6. */
export function computeRelease({ definition, aggregates, final, previous }: ComputeInput): { content: ReleaseContent; state: ReleaseState } {
  const settings: Settings = { k: definition.minGroupSize, c: definition.minDiversity };
  const { k } = settings;
  const nothing = belowKOverall(aggregates.respondents, k);
  const state: ReleaseState = { respondents: aggregates.respondents, figures: {} };
  const previousFigures = previous?.state.figures ?? {};

  /**
   * Rule 6 for one figure: the fresh value, or the earlier one (stale) when fewer than k
   * respondents were added to it. Returns whether the fresh value was held back and, if so, the
   * least n the suppressed pool of a breakdown must keep: k of the respondents of the published
   * figure, on top of the (indistinguishable) respondents added since.
   */
  const stepOfK = <T extends object>(
    key: string,
    n: number,
    fresh: T | Marker,
    earlier: () => T | Marker | undefined,
  ): { cell: T | Marker; held: boolean; minPool?: number } => {
    const last = previousFigures[key];
    const before = last === undefined ? undefined : earlier();
    if (before === undefined || releaseInStepsOfK(n, last, k) === 'update') {
      state.figures[key] = n;
      return { cell: fresh, held: false };
    }
    state.figures[key] = last!;
    const minPool = k + (n - last!);
    if (isMarker(before)) return { cell: MARKER, held: true, minPool };
    return { cell: { ...before, stale: true as const }, held: true, minPool };
  };

  // Respondents: a figure like any other (§7).
  const respondentsFresh = threshold(aggregates.respondents, k) ? { n: aggregates.respondents } : MARKER;
  const previousRespondents = previous?.content.respondents;
  const respondents = stepOfK('respondents', aggregates.respondents, respondentsFresh, () =>
    previousRespondents === undefined ? undefined : isMarker(previousRespondents) ? MARKER : { n: previousRespondents.n },
  );

  const grouping = groupingQuestions(definition);
  const groupingIds = grouping.map((g) => g.id);
  const allowedCuts = final && !nothing ? new Set(oneCutAtATime(groupingIds, aggregates.cohorts.values(), k)) : new Set<string>();
  const cohortPart = (cohort: string, index: number) => cohort.split('|')[index];

  /** Group sizes of each grouping question (rule 1: "Group sizes are figures too"). */
  const sizesSuppressed = new Map<string, Set<string>>();
  const sizeResults = new Map<string, FigureCell>();
  grouping.forEach((g, index) => {
    const keys = valuesOf(g);
    if (!allowedCuts.has(g.id)) {
      sizesSuppressed.set(g.id, new Set(keys));
      sizeResults.set(
        g.id,
        final && !nothing && !respondents.held && !isMarker(respondents.cell)
          ? { ...(respondents.cell as { n: number }), counts: Object.fromEntries(keys.map((v) => [v, MARKER])) }
          : MARKER,
      );
      return;
    }
    const sizes: Group[] = keys.map((key) => {
      let n = 0;
      for (const [cohort, count] of aggregates.cohorts) if (cohortPart(cohort, index) === key) n += count;
      return { key, cell: { n, counts: { [key]: n } } };
    });
    const initial = new Set(sizes.filter((s) => !threshold(s.cell.n, k)).map((s) => s.key));
    const { suppressed } = complement(sizes, initial, { ...settings, kind: 'sizes', requirePool: respondents.minPool });
    sizesSuppressed.set(g.id, suppressed);
    const counts: Record<string, number | Marker> = {};
    for (const s of sizes) counts[s.key] = suppressed.has(s.key) ? MARKER : s.cell.n;
    // Group sizes add up to the respondents figure: while rule 6 holds that figure back, showing
    // them beside it would mix two moments (and their sum would be the figure it holds back).
    sizeResults.set(g.id, isMarker(respondents.cell) || respondents.held ? MARKER : { ...respondents.cell, counts });
  });

  const questions: QuestionResult[] = [];
  for (const q of definition.questions) {
    if (q.type === 'text') {
      // Comment counts are published with the final release only, overall only (§7, §8).
      if (!final) continue;
      const n = aggregates.comments.get(q.id) ?? 0;
      questions.push({ id: q.id, type: 'text', comments: !nothing && threshold(n, k) ? { n } : MARKER });
      continue;
    }
    if (q.type === 'single_choice' && q.grouping) {
      // Group sizes are part of the breakdowns: final release only.
      if (!final) continue;
      questions.push({ id: q.id, type: q.type, overall: sizeResults.get(q.id) ?? MARKER, breakdowns: {} });
      continue;
    }

    const byValue = aggregates.answers.get(q.id);
    const kind = kindOf(q);
    const overallCell = cellOf(q, byValue);
    let freshOverall: FigureCell = MARKER;
    if (!nothing && threshold(overallCell.n, k)) {
      const d = diversity(overallCell, kind, settings.c);
      if (d.publish) freshOverall = publish(q, overallCell, new Set(d.hiddenOptions));
    }
    const previousQuestion = previous?.content.questions.find((p) => p.id === q.id);
    const overall = stepOfK(`overall:${q.id}`, overallCell.n, freshOverall, () =>
      previousQuestion && 'overall' in previousQuestion ? stripStale(previousQuestion.overall) : undefined,
    );
    const result: ChoiceQuestionResult = { id: q.id, type: q.type, overall: overall.cell };

    if (final) {
      result.breakdowns = {};
      const shownOptions = isMarker(overall.cell) ? [] : Object.entries(overall.cell.counts).filter(([, x]) => !isMarker(x)).map(([v]) => v);
      grouping.forEach((g, index) => {
        const keys = valuesOf(g);
        if (!allowedCuts.has(g.id)) {
          // A withheld breakdown lists every group with the marker, so the shape never changes (rule 4).
          result.breakdowns![g.id] = keys.map((group) => ({ group, ...MARKER }));
          return;
        }
        const groups: Group[] = keys.map((key) => ({ key, cell: cellOf(q, byValue, (cohort) => cohortPart(cohort, index) === key) }));
        const initial = new Set<string>(sizesSuppressed.get(g.id) ?? []);
        for (const grp of groups) {
          if (!threshold(grp.cell.n, k) || !diversity(grp.cell, kind, settings.c).publish) initial.add(grp.key);
        }
        const { suppressed } = complement(groups, initial, { ...settings, kind, shownOptions, requirePool: overall.minPool });
        // "In a breakdown, an option hidden in any published group is hidden in all of them."
        const hiddenOptions = new Set<string>();
        for (const grp of groups) {
          if (!suppressed.has(grp.key)) for (const o of diversity(grp.cell, kind, settings.c).hiddenOptions) hiddenOptions.add(o);
        }
        result.breakdowns![g.id] = groups.map((grp) =>
          suppressed.has(grp.key) ? { group: grp.key, ...MARKER } : { group: grp.key, ...publish(q, grp.cell, hiddenOptions) },
        );
      });
    }
    questions.push(result);
  }

  return {
    content: { survey: definition.slug, minGroupSize: k, final, respondents: respondents.cell, questions },
    state,
  };
}

function stripStale(cell: FigureCell): FigureCell {
  if (isMarker(cell)) return MARKER;
  const { stale: _stale, ...rest } = cell;
  return rest;
}
