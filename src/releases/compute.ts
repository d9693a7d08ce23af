/**
 * Rules 1–7 applied to a survey's counts: the first pass of a release (§6). Pure: the same
 * counts, definition and further suppressions (rule 8, release.ts) always give byte-identical
 * output. An interim release is the respondent count only; the final release publishes every
 * figure afresh. This module only reads counts and assembles the JSON: every decision of what
 * is shown is a function of rules.ts, under the words of the rule (or README choice) it implements.
 */
import { groupingQuestions, LIKERT_POINTS, PREFER_NOT_TO_SAY, type Question, type ResolvedDefinition } from '../surveys/definition.js';
import { isMarker, MARKER, type ChoiceQuestionResult, type FigureCell, type GroupCell, type PublishedCell, type QuestionResult, type ReleaseContent, type Respondents } from './content.js';
import {
  belowKOverall,
  breakdownsAllowed,
  cellKind,
  cellSuppressed,
  commentCountShown,
  complement,
  deterministicMean,
  firstSizesSuppressed,
  groupsSuppressed,
  hasBreakdowns,
  hiddenByAudit,
  isFirstGroupingQuestion,
  jointCellsPass,
  jointOver,
  laterSizesSuppressed,
  nothingFurther,
  optionsHiddenInBreakdown,
  optionsHiddenInCell,
  optionsShownOverall,
  releasesFigures,
  respondentCountShown,
  sizesAllowBreakdowns,
  type Cell,
  type FurtherSuppression,
  type Group,
  type Settings,
} from './rules.js';

export { isMarker, MARKER };
export type { ChoiceQuestionResult, FigureCell, GroupCell, PublishedCell, QuestionResult, ReleaseContent };

/** Counts read from the database by one SQL GROUP BY pass per question (see repository.ts). */
export interface Aggregates {
  respondents: number;
  /** Respondents per cohort: their answers to every grouping question, joined by "|". */
  cohorts: Map<string, number>;
  /** Per question: per stored value: per cohort: count. */
  answers: Map<string, Map<string, Map<string, number>>>;
  /** Comments per text question. */
  comments: Map<string, number>;
}

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

/** The cell of the respondents in cohorts accepted by `inGroup` (all of them when undefined). */
function cellOf(q: Question, byValue: Map<string, Map<string, number>> | undefined, inGroup?: (cohort: string) => boolean): Cell {
  const counts: Record<string, number> = Object.fromEntries(valuesOf(q).map((v) => [v, 0]));
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
function publish(q: Question, cell: Cell, hidden: ReadonlySet<string>): PublishedCell {
  const counts: Record<string, number | typeof MARKER> = {};
  for (const [v, x] of Object.entries(cell.counts)) counts[v] = hidden.has(v) ? MARKER : x;
  const mean = meanOf(q, cell);
  return mean === undefined ? { n: cell.n, counts } : { n: cell.n, counts, mean };
}

/** What the definition says about a question, so that anyone can repeat the audit (§7). */
function describe(q: Question): Pick<ChoiceQuestionResult, 'id' | 'required' | 'grouping' | 'options' | 'min' | 'max'> & { type: Question['type'] } {
  const base = { id: q.id, type: q.type, required: q.required === true, grouping: q.type === 'single_choice' && q.grouping === true };
  if (q.type === 'single_choice' || q.type === 'multi_choice') return { ...base, options: q.options.map((o) => o.value) };
  if (q.type === 'rating') return { ...base, min: q.min, max: q.max };
  return base;
}

export interface ComputeInput {
  definition: ResolvedDefinition;
  aggregates: Aggregates;
  final: boolean;
  /** The earlier releases of the survey, oldest first (§7 `releases`). */
  earlier?: { releasedAt: string; respondents: Respondents }[];
  /** Invite-only surveys: codes ever issued (§5). */
  invitationsIssued?: number | undefined;
  /** What rule 8 hides beyond rules 1–7. */
  further?: FurtherSuppression;
}

/** One release: rules 1–7 applied to the counts, with rule 8's further suppressions. */
export function computeRelease({ definition, aggregates, final, earlier = [], invitationsIssued, further = nothingFurther() }: ComputeInput): ReleaseContent {
  const settings: Settings = { k: definition.minGroupSize, c: definition.minDiversity };
  const { k } = settings;
  const audited = hiddenByAudit(further);
  const nothing = belowKOverall(aggregates.respondents, k);
  const respondents: Respondents = respondentCountShown(aggregates.respondents, k) ? { n: aggregates.respondents } : MARKER;
  const head = {
    survey: definition.slug,
    minGroupSize: k,
    minDiversity: settings.c,
    final,
    ...(definition.access === 'invite' ? { invitations: { issued: invitationsIssued ?? 0 } } : {}),
    respondents,
    releases: earlier,
  };
  if (!releasesFigures(final)) return { ...head, questions: [] };

  const grouping = groupingQuestions(definition);
  const position = new Map(grouping.map((g, i) => [g.id, i]));
  const part = (cohort: string, g: string) => cohort.split('|')[position.get(g)!]!;
  const cuts = !nothing && breakdownsAllowed(definition.access);

  // ---- Group sizes (rule 1: "group sizes are figures too"; rule 4 for the later ones; README choice 5) ----
  const sizeCells = new Map<string, FigureCell>();
  /** Groups hidden in a grouping question's own distribution by rules 1–4 (README choice 1). */
  const hiddenSizes = new Map<string, Set<string>>();
  /** Grouping questions whose sizes pass rules 1–4: the only ones anything is broken down by. */
  const usable = new Set<string>();
  /** The same, in definition order: the joint groups of rule 4 are taken over these. */
  const passing: string[] = [];
  grouping.forEach((g, index) => {
    const keys = valuesOf(g);
    const groups: Group[] = keys.map((key) => {
      let n = 0;
      for (const [cohort, count] of aggregates.cohorts) if (part(cohort, g.id) === key) n += count;
      return { key, cell: { n, counts: { [key]: n } } };
    });
    let suppressed: Set<string>;
    if (nothing) suppressed = new Set(keys); // Rule 5: below k overall, no figures.
    else if (isFirstGroupingQuestion(index)) suppressed = firstSizesSuppressed(groups, settings);
    else {
      const over = jointOver(passing, g.id);
      const joint = new Map<string, number>();
      for (const [cohort, count] of aggregates.cohorts) {
        const jkey = over.map((id) => part(cohort, id)).join('|');
        joint.set(jkey, (joint.get(jkey) ?? 0) + count);
      }
      suppressed = laterSizesSuppressed(groups, joint.values(), k);
    }
    hiddenSizes.set(g.id, suppressed);
    if (sizesAllowBreakdowns(suppressed, keys)) {
      usable.add(g.id);
      passing.push(g.id);
    }
    const counts: Record<string, number | typeof MARKER> = {};
    const shown = !audited.sizes(g.id);
    for (const s of groups) counts[s.key] = shown && !suppressed.has(s.key) ? s.cell.n : MARKER;
    sizeCells.set(g.id, isMarker(respondents) ? MARKER : { n: respondents.n, counts });
  });

  const questions: QuestionResult[] = [];
  for (const q of definition.questions) {
    if (q.type === 'text') {
      // Comment counts are overall only (§8), and published with the final release.
      const n = aggregates.comments.get(q.id) ?? 0;
      const shown = commentCountShown(n, aggregates.respondents, k, audited.comments(q.id));
      questions.push({ ...describe(q), type: 'text', comments: shown ? { n } : MARKER });
      continue;
    }
    const withheld = (g: (typeof grouping)[number]): GroupCell[] => valuesOf(g).map((group) => ({ group, ...MARKER }));
    if (!hasBreakdowns(q.type === 'single_choice' && q.grouping === true)) {
      questions.push({ ...describe(q), type: q.type, overall: sizeCells.get(q.id) ?? MARKER, breakdowns: {} } as ChoiceQuestionResult);
      continue;
    }
    const result = { ...describe(q), type: q.type, overall: MARKER, breakdowns: {} } as ChoiceQuestionResult;
    questions.push(result);
    // A withheld breakdown lists every group with the marker, so the shape never changes (rule 4).
    for (const g of grouping) result.breakdowns[g.id] = withheld(g);
    if (nothing || audited.question(q.id)) continue;

    const byValue = aggregates.answers.get(q.id);
    const kind = cellKind(q.type);
    const overallCell = cellOf(q, byValue);
    if (cellSuppressed(overallCell, kind, settings)) continue;
    const hiddenOverall = optionsHiddenInCell(overallCell, kind, settings.c);
    result.overall = publish(q, overallCell, hiddenOverall);
    if (!cuts) continue;
    const shownOptions = optionsShownOverall(overallCell, hiddenOverall);

    /** Grouping questions Q is broken down by so far (rule 4 adds them one at a time). */
    const brokenDownBy: string[] = [];
    grouping.forEach((g, index) => {
      if (!usable.has(g.id) || audited.breakdownsBy(g.id)) return;
      if (!isFirstGroupingQuestion(index)) {
        const over = jointOver(brokenDownBy, g.id);
        const cohortsByJoint = new Map<string, string[]>();
        for (const cohort of aggregates.cohorts.keys()) {
          const jkey = over.map((id) => part(cohort, id)).join('|');
          cohortsByJoint.set(jkey, [...(cohortsByJoint.get(jkey) ?? []), cohort]);
        }
        const joint = [...cohortsByJoint.values()].map((cohorts) => {
          const members = new Set(cohorts);
          return { groupSize: cohorts.reduce((sum, c) => sum + aggregates.cohorts.get(c)!, 0), cell: cellOf(q, byValue, (c) => members.has(c)) };
        });
        if (!jointCellsPass(joint, kind, settings, shownOptions)) return;
      }
      const groups: Group[] = valuesOf(g).map((key) => ({ key, cell: cellOf(q, byValue, (cohort) => part(cohort, g.id) === key) }));
      const initial = groupsSuppressed(groups, kind, settings, hiddenSizes.get(g.id) ?? [], audited.groups(q.id, g.id));
      const { suppressed, withheld: all } = complement(groups, initial, { ...settings, kind, shownOptions });
      if (all) return;
      const hidden = optionsHiddenInBreakdown(groups, suppressed, kind, settings.c);
      result.breakdowns[g.id] = groups.map((grp) => (suppressed.has(grp.key) ? { group: grp.key, ...MARKER } : { group: grp.key, ...publish(q, grp.cell, hidden) }));
      brokenDownBy.push(g.id);
    });
  }

  return { ...head, questions };
}
