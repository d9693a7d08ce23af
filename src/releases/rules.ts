/**
 * The disclosure-control rules of SPEC §6, one pure function per clause, each under the words it
 * implements, so that a reader can check the code against the text. No database and no HTTP:
 * functions of counts only. compute.ts applies rules 1–7 to a survey's counts; release.ts runs
 * the audit of rule 8 (audit/) and applies `suppressFurther` until it passes.
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

/** Whether the suppressed groups, pooled, may be left for subtraction from the overall figure. */
export function poolIsSafe(pool: readonly Group[], opts: ComplementOptions): boolean {
  const n = pool.reduce((sum, g) => sum + g.cell.n, 0);
  if (pool.length < 2 || n < opts.k) return false;
  if (opts.kind === 'options') {
    return (opts.shownOptions ?? []).every((option) => optionShown(pool.reduce((sum, g) => sum + (g.cell.counts[option] ?? 0), 0), n, opts.c));
  }
  // The pooled distribution; for group sizes, how the pool splits between its groups.
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
