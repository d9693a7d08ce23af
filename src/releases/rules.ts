/**
 * The disclosure-control rules of §6, one pure function per rule, each named after its rule and
 * with the rule quoted above it, so that a reader can check the code against the text. No
 * database and no HTTP here: these are functions of counts only (see compute.ts for their use).
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
 * `options` counted one by one (multi-choice: each option is a yes/no of its own), or
 * `sizes` (a grouping question's own distribution, where every option is a group).
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
// if n − (largest count) ≥ c + 1 […] For a multi-choice question each option's count x is shown
// only where min(x, n − x) ≥ c + 1."
export function diversity(cell: Cell, kind: CellKind, c: number): { publish: boolean; hiddenOptions: string[] } {
  if (kind === 'options') {
    const hiddenOptions = Object.entries(cell.counts)
      .filter(([, x]) => Math.min(x, cell.n - x) < c + 1)
      .map(([option]) => option);
    return { publish: true, hiddenOptions };
  }
  if (kind === 'sizes') return { publish: true, hiddenOptions: [] };
  const largest = Math.max(0, ...Object.values(cell.counts));
  return { publish: cell.n - largest >= c + 1, hiddenOptions: [] };
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
  /**
   * Rule 6 at the final release: when the overall figure is held back, the suppressed groups must
   * keep at least k of its respondents — an empty pool is not enough. The respondents added since
   * it was published cannot be told apart from the others, so the pool must hold k plus those:
   * this is the least n the pool may have (undefined when the overall figure is not held back).
   */
  requirePool?: number | undefined;
}

/** Whether the suppressed groups, pooled, may be left for subtraction from the overall figure. */
function poolIsSafe(pool: Group[], opts: ComplementOptions): boolean {
  const n = pool.reduce((sum, g) => sum + g.cell.n, 0);
  if (pool.length < 2 || n < Math.max(opts.k, opts.requirePool ?? 0)) return false;
  if (opts.kind === 'options') {
    return (opts.shownOptions ?? []).every((option) => {
      const x = pool.reduce((sum, g) => sum + (g.cell.counts[option] ?? 0), 0);
      return Math.min(x, n - x) >= opts.c + 1;
    });
  }
  // The pooled distribution: for group sizes, how the pool splits between its groups.
  const counts: Record<string, number> = {};
  for (const g of pool) {
    const entries = opts.kind === 'sizes' ? [[g.key, g.cell.n] as const] : Object.entries(g.cell.counts);
    for (const [value, x] of entries) counts[value] = (counts[value] ?? 0) + x;
  }
  return diversity({ n, counts }, 'distribution', opts.c).publish;
}

// Rule 3 — Complement: "In every breakdown, the suppressed groups that have respondents are either
// none, or at least two whose n add up to at least k and whose pooled distribution passes rule 2
// […]; otherwise further groups are suppressed (smallest n first, ties broken by the options'
// order in the definition) until that holds, or the whole breakdown is withheld."
export function complement(
  groups: readonly Group[],
  suppressed: ReadonlySet<string>,
  opts: ComplementOptions,
): { suppressed: Set<string>; withheld: boolean } {
  const hidden = new Set(suppressed);
  // Groups without respondents count for nothing in the pool.
  const withRespondents = groups.filter((g) => g.cell.n > 0);
  for (;;) {
    const pool = withRespondents.filter((g) => hidden.has(g.key));
    if (pool.length === 0 && opts.requirePool === undefined) return { suppressed: hidden, withheld: false };
    if (poolIsSafe(pool, opts)) return { suppressed: hidden, withheld: false };
    // `groups` are in definition order, and the sort is stable: ties keep that order.
    const next = withRespondents.filter((g) => !hidden.has(g.key)).sort((a, b) => a.cell.n - b.cell.n)[0];
    if (!next) return { suppressed: new Set(groups.map((g) => g.key)), withheld: true };
    hidden.add(next.key);
  }
}

// Rule 4 — One cut at a time: "Breakdowns exist […] by more than one grouping question only if
// every non-empty combination of all of them (counted over the survey's respondents,
// prefer_not_to_say included as a value) has at least k respondents; otherwise only the first
// grouping question (in definition order) is broken down and the others are withheld."
export function oneCutAtATime(groupingIds: readonly string[], combinationSizes: Iterable<number>, k: number): string[] {
  if (groupingIds.length <= 1) return [...groupingIds];
  for (const n of combinationSizes) if (n > 0 && n < k) return groupingIds.slice(0, 1);
  return [...groupingIds];
}

// Rule 5 — Below k overall, nothing: "A survey with fewer than k respondents publishes no figures
// and no comments."
export function belowKOverall(respondents: number, k: number): boolean {
  return respondents < k;
}

// Rule 6 — Release in steps of k: "a figure is updated only once at least k respondents have been
// added to it since it was last published; until then the earlier figure stays, marked stale. A
// figure shown as the marker in the previous release counts as last published then."
// `lastPublishedN` is the n the figure had when last published (or shown as the marker).
export function releaseInStepsOfK(n: number, lastPublishedN: number | undefined, k: number): 'update' | 'keep' {
  if (lastPublishedN === undefined) return 'update';
  const added = n - lastPublishedN;
  // "changes by 0 or by the answers of at least k respondents": nobody added, nothing to hold back.
  return added === 0 || added >= k ? 'update' : 'keep';
}

// Rule 6, for interim releases: "Interim releases are made only when at least k respondents have
// been added since the previous release."
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
