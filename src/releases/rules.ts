/**
 * The disclosure-control rules of SPEC §6, one pure function per clause, each under the words it
 * implements, so that a reader can check the code against the text. Where the specification was
 * silent or ambiguous, the reading taken is cited as "README choice N" (README.md, "Choices where
 * the specification was silent"). No database and no HTTP: functions of counts only. compute.ts
 * reads the counts, asks these functions every question of disclosure and assembles the JSON;
 * release.ts runs the audit of rule 8 (audit/) and applies `suppressFurther` until it passes.
 */

/** How many respondents a cell stands for, and how they answered. */
export interface Cell {
  /** Respondents in the cell who answered the question. */
  n: number;
  /** Count per answer value (option, Likert point, rating; a group, for group sizes). */
  counts: Record<string, number>;
}

/**
 * How a cell's answers may be shown: a whole `distribution` (single choice, Likert, rating),
 * `options` counted one by one (multi-choice: each option is a yes/no of its own), or `sizes` (a
 * grouping question's own distribution, where every option is a group).
 */
export type CellKind = 'distribution' | 'options' | 'sizes';

export interface Settings {
  /** k: the survey's minGroupSize. */
  k: number;
  /** c: how many colluding respondents the rules withstand (MIN_DIVERSITY). */
  c: number;
}

// Rule 2 — "A distribution of single-choice, Likert or rating answers is published only if […].
// For a multi-choice question each option's count x is shown only where min(x, n − x) ≥ c + 1."
export function cellKind(type: 'single_choice' | 'multi_choice' | 'likert' | 'rating'): CellKind {
  return type === 'multi_choice' ? 'options' : 'distribution';
}

// §6 — "The final release […] is the only release with figures." Rule 6 — "An interim release
// publishes only the number of respondents".
export function releasesFigures(final: boolean): boolean {
  return final;
}

// Rule 1 — Threshold: "A cell with n < k is suppressed: no count, no percentage, no mean."
export function threshold(n: number, k: number): boolean {
  return n >= k;
}

// Rule 2 — Diversity: "A distribution of single-choice, Likert or rating answers is published only
// if n − (largest count) ≥ c + 1 […]; otherwise the whole cell is suppressed."
export function diverseDistribution(cell: Cell, c: number): boolean {
  const largest = Math.max(0, ...Object.values(cell.counts));
  return cell.n - largest >= c + 1;
}

// Rule 2 — "For a multi-choice question each option's count x is shown only where
// min(x, n − x) ≥ c + 1; the other options keep their counts."
export function optionShown(x: number, n: number, c: number): boolean {
  return Math.min(x, n - x) >= c + 1;
}

/** The options of a multi-choice cell that rule 2 hides. */
export function hiddenOptions(cell: Cell, c: number): string[] {
  return Object.entries(cell.counts)
    .filter(([, x]) => !optionShown(x, cell.n, c))
    .map(([option]) => option);
}

// Rule 2 — "In a breakdown, an option hidden in any published group is hidden in all of them, so
// that 'hidden' says nothing about one group."
export function hiddenInAnyHiddenInAll(hiddenPerPublishedGroup: readonly (readonly string[])[]): Set<string> {
  return new Set(hiddenPerPublishedGroup.flat());
}

/** Whether a cell passes rules 1 and 2 on its own (multi-choice: in the options given). */
export function passesRules1And2(cell: Cell, kind: CellKind, { k, c }: Settings, options?: readonly string[]): boolean {
  if (!threshold(cell.n, k)) return false;
  if (kind === 'sizes') return true;
  if (kind === 'options') return (options ?? Object.keys(cell.counts)).every((o) => optionShown(cell.counts[o] ?? 0, cell.n, c));
  return diverseDistribution(cell, c);
}

// Rule 1 — "A cell with n < k is suppressed"; rule 2 — a distribution that is not diverse:
// "otherwise the whole cell is suppressed". A multi-choice cell is never suppressed whole by
// rule 2: "the other options keep their counts".
export function cellSuppressed(cell: Cell, kind: CellKind, { k, c }: Settings): boolean {
  if (!threshold(cell.n, k)) return true;
  return kind === 'distribution' && !diverseDistribution(cell, c);
}

// Rule 2 — "For a multi-choice question each option's count x is shown only where
// min(x, n − x) ≥ c + 1": the options a published cell shows with the marker.
export function optionsHiddenInCell(cell: Cell, kind: CellKind, c: number): Set<string> {
  return kind === 'options' ? new Set(hiddenOptions(cell, c)) : new Set();
}

// Rule 3 — "(for multi-choice: every option whose count the overall figure shows […])".
// README choice 4: rule 4's joint cells are checked on these options too, a superset of "every
// option shown by the breakdowns".
export function optionsShownOverall(overall: Cell, hiddenOverall: ReadonlySet<string>): string[] {
  return Object.keys(overall.counts).filter((option) => !hiddenOverall.has(option));
}

export interface Group {
  /** The group's value (an option of the grouping question, or prefer_not_to_say). */
  key: string;
  cell: Cell;
}

export interface ComplementOptions extends Settings {
  kind: CellKind;
  /** Multi-choice: the options whose count the overall figure shows. */
  shownOptions?: readonly string[];
}

// Rule 3 — the pool of suppressed groups: "at least two whose n add up to at least k and whose
// pooled distribution passes rule 2 (for multi-choice: every option whose count the overall figure
// shows has min(x, n − x) ≥ c + 1 within the pool)".
export function poolIsSafe(pool: readonly Group[], opts: ComplementOptions): boolean {
  const n = pool.reduce((sum, g) => sum + g.cell.n, 0);
  if (pool.length < 2 || n < opts.k) return false;
  if (opts.kind === 'options') {
    return (opts.shownOptions ?? []).every((option) => optionShown(pool.reduce((sum, g) => sum + (g.cell.counts[option] ?? 0), 0), n, opts.c));
  }
  // The pooled distribution; for group sizes, how the pool splits between its groups.
  // README choice 3: for group sizes, the pool may not be dominated by one of its groups.
  const counts: Record<string, number> = {};
  for (const g of pool) {
    const entries = opts.kind === 'sizes' ? [[g.key, g.cell.n] as const] : Object.entries(g.cell.counts);
    for (const [value, x] of entries) counts[value] = (counts[value] ?? 0) + x;
  }
  return diverseDistribution({ n, counts }, opts.c);
}

// Rule 3 — Complement: "In every breakdown, the suppressed groups that have respondents are either
// none, or at least two whose n add up to at least k and whose pooled distribution passes rule 2
// […]; otherwise further groups are suppressed (smallest n first, ties broken by the options'
// order in the definition) until that holds, or the whole breakdown is withheld. Groups without
// respondents count for nothing here."
export function complement(groups: readonly Group[], suppressed: ReadonlySet<string>, opts: ComplementOptions): { suppressed: Set<string>; withheld: boolean } {
  const hidden = new Set(suppressed);
  const withRespondents = groups.filter((g) => g.cell.n > 0);
  for (;;) {
    const pool = withRespondents.filter((g) => hidden.has(g.key));
    if (pool.length === 0 || poolIsSafe(pool, opts)) {
      // Every group hidden is the breakdown withheld, whatever the pool.
      const withheld = withRespondents.every((g) => hidden.has(g.key));
      return { suppressed: withheld ? new Set(groups.map((g) => g.key)) : hidden, withheld };
    }
    // `groups` are in definition order and the sort is stable: ties keep that order.
    const next = withRespondents.filter((g) => !hidden.has(g.key)).sort((a, b) => a.cell.n - b.cell.n)[0];
    if (!next) return { suppressed: new Set(groups.map((g) => g.key)), withheld: true };
    hidden.add(next.key);
  }
}

// Rule 1 — "a grouping question's own distribution is published under rules 1–3 as if each of its
// options were a group (small groups hidden, and their complement protected)"; rule 4 — "A
// question Q is broken down by the first grouping question (in definition order) under rules 1–3".
// README choice 5: this holds in open surveys too (group sizes are an overall figure).
export function firstSizesSuppressed(sizes: readonly Group[], settings: Settings): Set<string> {
  const small = new Set(sizes.filter((s) => !threshold(s.cell.n, settings.k)).map((s) => s.key));
  return complement(sizes, small, { ...settings, kind: 'sizes' }).suppressed;
}

// Rule 4 — "The grouping questions' own distributions (the group sizes) follow the same rule with
// the joint group sizes as the cells." README choice 2: when they fail, so that nothing is broken
// down by G, G's own distribution is withheld too. Rule 3 — "Groups without respondents […] are
// listed with the marker like any unpublished group."
export function laterSizesSuppressed(sizes: readonly Group[], jointGroupSizes: Iterable<number>, k: number): Set<string> {
  if (!jointGroupsPass(jointGroupSizes, k)) return new Set(sizes.map((s) => s.key));
  return new Set(sizes.filter((s) => s.cell.n === 0).map((s) => s.key));
}

// Rule 4 — "A question Q is broken down by the first grouping question (in definition order) under
// rules 1–3; each later grouping question G is added, one at a time in definition order, if and
// only if […]". The first in definition order, whether or not anything is broken down by it.
// README choice 18: the first defined, even if its sizes are all hidden (the protective reading).
export function isFirstGroupingQuestion(index: number): boolean {
  return index === 0;
}

// Rule 4 — "every joint cell of Q over the grouping questions Q is already broken down by plus G".
// For the group sizes, the grouping questions whose sizes pass so far plus G.
export function jointOver(already: readonly string[], grouping: string): string[] {
  return [...already, grouping];
}

// Rule 4 — "If the group sizes themselves fail this test for G […], no question is broken down by
// G." README choice 1: a group hidden in the sizes is hidden in every breakdown, so a grouping
// question whose sizes show no group (under rules 1–4) breaks nothing down.
export function sizesAllowBreakdowns(sizesSuppressed: ReadonlySet<string>, groups: readonly string[]): boolean {
  return groups.some((key) => !sizesSuppressed.has(key));
}

// Rule 4 — "Grouping questions are never broken down by one another."
export function hasBreakdowns(isGroupingQuestion: boolean): boolean {
  return !isGroupingQuestion;
}

// The groups of a breakdown hidden before rule 3: rule 1 — "A cell with n < k is suppressed";
// rule 2 — "otherwise the whole cell is suppressed"; README choice 1 — a group hidden in its
// grouping question's own distribution is hidden in every breakdown by it; rule 8 — "the next
// group of the breakdown the proof uses is hidden".
export function groupsSuppressed(groups: readonly Group[], kind: CellKind, settings: Settings, hiddenInSizes: Iterable<string>, hiddenByRule8: Iterable<string>): Set<string> {
  const hidden = new Set<string>([...hiddenInSizes, ...hiddenByRule8]);
  for (const g of groups) if (cellSuppressed(g.cell, kind, settings)) hidden.add(g.key);
  return hidden;
}

// Rule 2 — "In a breakdown, an option hidden in any published group is hidden in all of them".
export function optionsHiddenInBreakdown(groups: readonly Group[], suppressed: ReadonlySet<string>, kind: CellKind, c: number): Set<string> {
  if (kind !== 'options') return new Set();
  return hiddenInAnyHiddenInAll(groups.filter((g) => !suppressed.has(g.key)).map((g) => hiddenOptions(g.cell, c)));
}

// Rule 4 — "Breakdowns exist only by declared grouping questions, and only in invite-only surveys
// (§5: in an open survey invented responses can fill any small group)."
export function breakdownsAllowed(access: 'open' | 'invite'): boolean {
  return access === 'invite';
}

// Rule 4 — "each later grouping question G is added […] if and only if every joint cell of Q over
// the grouping questions Q is already broken down by plus G […] whose joint group has respondents
// passes rules 1 and 2 (a joint group whose members all skipped Q gives a cell with n = 0, which
// fails); for multi-choice, for every option shown by the breakdowns."
export function jointCellsPass(joint: readonly { groupSize: number; cell: Cell }[], kind: CellKind, settings: Settings, options?: readonly string[]): boolean {
  return joint.every(({ groupSize, cell }) => groupSize === 0 || passesRules1And2(cell, kind, settings, options));
}

// Rule 4 — "The grouping questions' own distributions (the group sizes) follow the same rule with
// the joint group sizes as the cells."
export function jointGroupsPass(jointGroupSizes: Iterable<number>, k: number): boolean {
  for (const n of jointGroupSizes) if (n > 0 && !threshold(n, k)) return false;
  return true;
}

// Rule 5 — Below k overall, nothing: "A survey with fewer than k respondents publishes no figures
// and no comments."
export function belowKOverall(respondents: number, k: number): boolean {
  return respondents < k;
}

// Rule 1 — "A cell with n < k is suppressed"; rule 5 — "A survey with fewer than k respondents
// publishes no figures": the number of respondents is shown from k on.
export function respondentCountShown(respondents: number, k: number): boolean {
  return threshold(respondents, k);
}

// README choice 9: "The results show a text question's comment count under rules 1 and 5" (and
// rule 8 may hide it).
export function commentCountShown(comments: number, respondents: number, k: number, hiddenByRule8: boolean): boolean {
  return !belowKOverall(respondents, k) && threshold(comments, k) && !hiddenByRule8;
}

// Rule 6 — Counts in steps of k while open: "An interim release publishes only the number of
// respondents, and is made only when at least k respondents have been added since the previous
// release; a run that would change nothing makes no new release."
export function interimReleaseDue(respondents: number, respondentsAtPrevious: number | undefined, k: number): boolean {
  return respondents - (respondentsAtPrevious ?? 0) >= k;
}

// Rule 7 — Deterministic: "The same responses always give byte-identical results: no random
// rounding, no ordering that depends on arrival." Means are rounded half away from zero to two
// decimals on the exact rational sum/n; everything else is listed in definition order.
export function deterministicMean(sum: number, n: number): number {
  const hundredths = Math.round(Math.abs((sum * 100) / n));
  return (Math.sign(sum) * hundredths) / 100;
}

/** What rule 8 has hidden beyond rules 1–7, by name. */
export interface FurtherSuppression {
  /** Per question, per grouping question: groups hidden on top of rules 1–3. */
  groups: Record<string, Record<string, string[]>>;
  /** Questions whose every figure is hidden. */
  questions: string[];
  /** Grouping questions whose own distribution (the group sizes) is hidden. */
  sizes: string[];
  /** Grouping questions no question is broken down by. */
  breakdownsBy: string[];
  /** Text questions whose comment count is hidden. */
  comments: string[];
}

export const nothingFurther = (): FurtherSuppression => ({ groups: {}, questions: [], sizes: [], breakdownsBy: [], comments: [] });

/** The first remedy a proof calls for (see audit/audit.ts: `Remedy`). */
export type Remedy =
  | { kind: 'hide_group'; question: string; grouping: string }
  | { kind: 'hide_question'; question: string }
  | { kind: 'hide_sizes'; grouping: string }
  | { kind: 'hide_comments'; question: string };

/** What rule 8 has hidden so far, as compute.ts asks about it. */
export function hiddenByAudit(s: FurtherSuppression) {
  return {
    // Rule 8 — "the next group of the breakdown the proof uses is hidden (rule 3's order)".
    groups: (question: string, grouping: string): readonly string[] => s.groups[question]?.[grouping] ?? [],
    // Rule 8 — "[…] then the cell".
    question: (question: string): boolean => s.questions.includes(question),
    // Rule 8 — "a proof about group sizes first hides the grouping question's own distribution […]".
    sizes: (grouping: string): boolean => s.sizes.includes(grouping),
    // Rule 8 — "[…] then every breakdown by it".
    breakdownsBy: (grouping: string): boolean => s.breakdownsBy.includes(grouping),
    // Rule 8 — a proof about a comment count hides that count.
    comments: (question: string): boolean => s.comments.includes(question),
  };
}

// Rule 8 — "Proofs are handled in question order, then breakdown order": a stable sort by the
// position of the proof's question, which keeps the audit's breakdown order within a question.
export function inProofOrder<P>(proofs: readonly P[], questionPosition: (proof: P) => number): P[] {
  return [...proofs].sort((a, b) => questionPosition(a) - questionPosition(b));
}

// Rule 8 — What happens then: "Proofs are handled in question order, then breakdown order; for
// each, the next group of the breakdown the proof uses is hidden (rule 3's order), then that
// breakdown (later grouping questions first), then the cell; a proof about group sizes first
// hides the grouping question's own distribution, then every breakdown by it. Single
// multi-choice options are never hidden by this rule, only whole cells."
// `publishedGroups` are the groups the breakdown still shows, with their n, in definition order.
export function suppressFurther(s: FurtherSuppression, remedy: Remedy, publishedGroups: (question: string, grouping: string) => { key: string; n: number }[]): FurtherSuppression {
  const next: FurtherSuppression = structuredClone(s);
  switch (remedy.kind) {
    case 'hide_sizes':
      if (!next.sizes.includes(remedy.grouping)) next.sizes.push(remedy.grouping);
      else if (!next.breakdownsBy.includes(remedy.grouping)) next.breakdownsBy.push(remedy.grouping);
      else throw new Error(`rule 8: nothing more to hide for the sizes of ${remedy.grouping}`);
      return next;
    case 'hide_group': {
      const shown = publishedGroups(remedy.question, remedy.grouping);
      // Rule 3's order: smallest n first, ties in definition order (the sort is stable).
      const smallest = [...shown].sort((a, b) => a.n - b.n)[0];
      if (smallest) {
        const byGrouping = (next.groups[remedy.question] ??= {});
        (byGrouping[remedy.grouping] ??= []).push(smallest.key);
        return next;
      }
      return suppressFurther(next, { kind: 'hide_question', question: remedy.question }, publishedGroups);
    }
    case 'hide_question':
      if (next.questions.includes(remedy.question)) throw new Error(`rule 8: ${remedy.question} is hidden already`);
      next.questions.push(remedy.question);
      return next;
    case 'hide_comments':
      if (next.comments.includes(remedy.question)) throw new Error(`rule 8: the comments of ${remedy.question} are hidden already`);
      next.comments.push(remedy.question);
      return next;
  }
}
