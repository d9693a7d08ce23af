/**
 * The integer programs of the audit (§6 rule 8), as plain sparse rows: no solver here.
 *
 * The unknowns are counts of respondents: s[j], how many fell in each cohort j (a combination of
 * answers to the active grouping questions), and for a question, how many in cohort j gave each
 * answer (or skipped it). Whatever the release shows is an equation over them; what every reader
 * knows (whole numbers, required questions, the rules themselves) is a further constraint.
 *
 * Questions meet only in the cohort sizes s. A *block* holds s and the full unknowns of a few
 * questions (its components); every other question contributes its exact projection onto s:
 * for a question broken down by at most one grouping question that projection is "each published
 * group has at least n respondents (exactly n when the question is required)", because answers
 * can be spread over the cohorts of a group in any way. For a question with two published
 * breakdowns it is more than that, so a block's solutions are checked against such questions and
 * the question is added to the block when one fails (audit.ts). Blocks therefore give exactly the
 * bounds of the whole program.
 */
import { cohortsWhere, combinations, type ChoiceQuestion, type Problem, type SeenCell } from './problem.js';

export type Expr = Map<number, number>;

export interface Row {
  idx: number[];
  val: number[];
  lo: number;
  hi: number;
}

/** A binary column whose value follows from the others (how a known solution is completed). */
interface Completion {
  col: number;
  value: (x: ArrayLike<number>) => number;
}

export class Lp {
  readonly lo: number[] = [];
  readonly hi: number[] = [];
  readonly names: string[] = [];
  readonly rows: Row[] = [];
  readonly completions: Completion[] = [];

  addVar(name: string, lo: number, hi: number): number {
    this.lo.push(lo);
    this.hi.push(hi);
    this.names.push(name);
    return this.lo.length - 1;
  }

  addRow(expr: Expr, lo: number, hi: number): number {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [col, coef] of [...expr].sort((a, b) => a[0] - b[0])) {
      if (coef !== 0) {
        idx.push(col);
        val.push(coef);
      }
    }
    this.rows.push({ idx, val, lo, hi });
    return this.rows.length - 1;
  }

  /** A binary b with b = 0 ⇒ expr ≤ 0 given expr ≤ big, completed as (expr > 0 ? 1 : 0). */
  binary(name: string, value: (x: ArrayLike<number>) => number): number {
    const col = this.addVar(name, 0, 1);
    this.completions.push({ col, value });
    return col;
  }

  /**
   * Whether an integer point satisfies every bound and row, exactly; `rows` and `cols` replace the
   * bounds of some rows and columns (what one solve changed).
   */
  satisfies(x: ArrayLike<number>, rows: readonly { row: number; lo: number; hi: number }[] = [], cols: readonly { col: number; lo: number; hi: number }[] = []): boolean {
    const colBound = new Map(cols.map((c) => [c.col, c]));
    for (let i = 0; i < this.lo.length; i++) {
      const v = x[i]!;
      const b = colBound.get(i) ?? { lo: this.lo[i]!, hi: this.hi[i]! };
      if (!Number.isInteger(v) || v < b.lo || v > b.hi) return false;
    }
    const rowBound = new Map(rows.map((r) => [r.row, r]));
    for (let i = 0; i < this.rows.length; i++) {
      const r = this.rows[i]!;
      const b = rowBound.get(i) ?? r;
      let sum = 0;
      for (let t = 0; t < r.idx.length; t++) sum += r.val[t]! * x[r.idx[t]!]!;
      if (sum < b.lo || sum > b.hi) return false;
    }
    return true;
  }
}

export const evaluate = (expr: Expr, x: ArrayLike<number>): number => {
  let sum = 0;
  for (const [col, coef] of expr) sum += coef * x[col]!;
  return sum;
};

const plus = (...exprs: Expr[]): Expr => {
  const out: Expr = new Map();
  for (const e of exprs) for (const [col, coef] of e) out.set(col, (out.get(col) ?? 0) + coef);
  return out;
};
const scaled = (e: Expr, f: number): Expr => new Map([...e].map(([col, coef]) => [col, coef * f]));
export const minus = (a: Expr, b: Expr): Expr => plus(a, scaled(b, -1));

interface QuestionVars {
  q: ChoiceQuestion;
  /** single: [cohort][value]; multi: [cohort][option] ticked. */
  count: number[][];
  /** single: the answered count is the sum of count; multi: answered per cohort. */
  answered: number[] | null;
}

/** The grouping questions (active indices) a question is broken down by, in definition order. */
export function breakdownsOf(problem: Problem, q: ChoiceQuestion): number[] {
  const out: number[] = [];
  problem.active.forEach((g, a) => {
    if (q.breakdowns.get(g.id)?.some((cell) => cell.published)) out.push(a);
  });
  return out;
}

export interface BlockOptions {
  /** Questions whose full unknowns are in the block. */
  components: readonly ChoiceQuestion[];
  /** Without published figures and their knowledge: what the definition and the respondent count alone imply. */
  baseline?: boolean;
  /** Whether readers may rely on the rules having been followed (false: a release made some other way). */
  rules?: boolean;
}

/** One integer program: the cohort sizes, the components' unknowns, everything else projected. */
export class Block {
  readonly lp = new Lp();
  readonly s: number[];
  /** The respondent count: a constant, or a column when the release hides it. */
  readonly respondents: Expr | number;
  private readonly vars = new Map<string, QuestionVars>();
  private readonly big: number;
  private readonly sizeDisjunctions = new Set<string>();

  constructor(
    readonly problem: Problem,
    readonly options: BlockOptions,
  ) {
    const { lp } = this;
    const n = problem.respondents;
    // When the respondent count is hidden, counts are only known to be finite; a bound keeps the
    // programs bounded without constraining anything a real survey could reach.
    this.big = n ?? 1_000_000;
    this.s = problem.cohorts.map((tuple) => lp.addVar(`s[${tuple.join(',')}]`, 0, this.big));
    if (n === null) {
      const col = lp.addVar('respondents', 0, this.big);
      this.respondents = new Map([[col, 1]]);
      lp.addRow(minus(this.size(this.all()), this.respondents), 0, 0);
    } else {
      this.respondents = n;
      lp.addRow(this.size(this.all()), n, n);
    }
    for (const q of options.components) this.addComponent(q);
    if (options.baseline) return;
    this.addGroupSizes();
    for (const q of problem.choices) {
      if (!this.vars.has(q.id)) this.addProjection(q);
    }
  }

  all(): number[] {
    return this.problem.cohorts.map((_, j) => j);
  }

  size(cohorts: readonly number[]): Expr {
    return new Map(cohorts.map((j) => [this.s[j]!, 1]));
  }

  has(questionId: string): boolean {
    return this.vars.has(questionId);
  }

  /** Respondents of these cohorts who answered the question. */
  answered(questionId: string, cohorts: readonly number[]): Expr {
    const v = this.vars.get(questionId)!;
    const out: Expr = new Map();
    for (const j of cohorts) {
      if (v.answered) out.set(v.answered[j]!, 1);
      else for (const col of v.count[j]!) out.set(col, 1);
    }
    return out;
  }

  /** Respondents of these cohorts who gave the answer (ticked the option) with this index. */
  count(questionId: string, valueIndex: number, cohorts: readonly number[]): Expr {
    const v = this.vars.get(questionId)!;
    return new Map(cohorts.map((j) => [v.count[j]![valueIndex]!, 1]));
  }

  /** The cohorts of one group of a grouping question (by its active index), or of several. */
  groupCohorts(active: number, values: readonly number[]): number[] {
    const set = new Set(values);
    return this.problem.cohorts.flatMap((tuple, j) => (set.has(tuple[active]!) ? [j] : []));
  }

  /** The cells a question publishes, with the cohorts each stands for (overall first). */
  publishedCells(q: ChoiceQuestion): { cohorts: number[]; cell: SeenCell & { published: true }; groupOf?: { active: number; value: number } }[] {
    const out: ReturnType<Block['publishedCells']> = [];
    if (q.overall.published) out.push({ cohorts: this.all(), cell: q.overall });
    this.problem.active.forEach((g, a) => {
      q.breakdowns.get(g.id)?.forEach((cell, value) => {
        if (cell.published) out.push({ cohorts: this.groupCohorts(a, [value]), cell, groupOf: { active: a, value } });
      });
    });
    return out;
  }

  /** s(cohorts) = 0 or ≥ k: what rule 4 guarantees for a joint group behind two published figures. */
  private emptyOrAtLeastK(cohorts: readonly number[], label: string): number | undefined {
    const key = cohorts.join(',');
    if (this.sizeDisjunctions.has(key)) return undefined;
    this.sizeDisjunctions.add(key);
    const { lp, big } = this;
    const size = this.size(cohorts);
    const z = lp.binary(`nonempty[${label}]`, (x) => (evaluate(size, x) > 0 ? 1 : 0));
    lp.addRow(minus(size, new Map([[z, big]])), -Infinity, 0);
    lp.addRow(minus(size, new Map([[z, this.problem.k]])), 0, Infinity);
    return z;
  }

  /**
   * Rule 3 as every reader knows it, for one published breakdown (or size distribution) whose
   * hidden groups have the given sizes (n of those who answered): the hidden groups with
   * respondents are none, or at least two with k together; `diverse` adds the pooled rule 2 under
   * the binary w (1: the pool has respondents).
   */
  private complementRule(label: string, groups: Expr[], diverse?: (pool: Expr, w: number) => void): void {
    const { lp, big } = this;
    const { k } = this.problem;
    const pool = plus(...groups);
    const flags = groups.map((n, i) => {
      const e = lp.binary(`nonempty[${label}:${i}]`, (x) => (evaluate(n, x) > 0 ? 1 : 0));
      lp.addRow(minus(n, new Map([[e, big]])), -Infinity, 0);
      lp.addRow(minus(n, new Map([[e, 1]])), 0, Infinity);
      return e;
    });
    const w = lp.binary(`pooled[${label}]`, (x) => (evaluate(pool, x) > 0 ? 1 : 0));
    const count = new Map(flags.map((e) => [e, 1]));
    lp.addRow(minus(count, new Map([[w, 2]])), 0, Infinity);
    lp.addRow(minus(count, new Map([[w, groups.length]])), -Infinity, 0);
    lp.addRow(minus(pool, new Map([[w, k]])), 0, Infinity);
    diverse?.(pool, w);
  }

  private addGroupSizes(): void {
    const { problem, lp } = this;
    const shown: number[] = [];
    problem.active.forEach((g, a) => {
      if (!g.sizes.published) return;
      g.sizes.counts.forEach((x, value) => {
        if (x !== null) lp.addRow(this.size(this.groupCohorts(a, [value])), x, x);
      });
      if (!g.sizes.counts.some((x) => x !== null)) return;
      shown.push(a);
      // Rule 3 on the group sizes: the hidden groups with respondents are none, or at least two
      // of at least k together, none of them holding all but c of the pool.
      if (this.options.rules === false) return;
      const hidden = g.sizes.counts.flatMap((x, v) => (x === null ? [v] : []));
      if (hidden.length === 0) return;
      this.complementRule(
        `${g.id}:sizes`,
        hidden.map((v) => this.size(this.groupCohorts(a, [v]))),
        (pool, w) => hidden.forEach((v) => lp.addRow(minus(minus(pool, this.size(this.groupCohorts(a, [v]))), new Map([[w, problem.c + 1]])), 0, Infinity)),
      );
    });
    // Rule 4 for group sizes: a later grouping question's sizes are published only if every
    // non-empty joint group with the earlier published ones has at least k respondents.
    if (shown.length >= 2 && this.options.rules !== false) {
      for (const combo of combinations(problem, shown)) this.emptyOrAtLeastK(cohortsWhere(problem, combo), `sizes:${[...combo.values()].join(',')}`);
    }
  }

  private readonly nonEmptyPairs = new Set<string>();

  /** Of these groups of a grouping question (by active index), at least two have respondents. */
  private atLeastTwoNonEmpty(a: number, values: readonly number[]): void {
    const key = `${a}:${values.join(',')}`;
    if (this.nonEmptyPairs.has(key)) return;
    this.nonEmptyPairs.add(key);
    const { lp } = this;
    const flags = values.map((v) => {
      const size = this.size(this.groupCohorts(a, [v]));
      const f = lp.binary(`occupied[${key}:${v}]`, (x) => (evaluate(size, x) > 0 ? 1 : 0));
      lp.addRow(minus(size, new Map([[f, 1]])), 0, Infinity);
      return f;
    });
    lp.addRow(new Map(flags.map((f) => [f, 1])), 2, Infinity);
  }

  /** A question outside the block: "each published group holds at least its n" (exactly n if required). */
  private addProjection(q: ChoiceQuestion): void {
    const { lp, problem } = this;
    const rel = (cohorts: number[], n: number) => lp.addRow(this.size(cohorts), n, q.required ? n : Infinity);
    for (const { cohorts, cell } of this.publishedCells(q)) rel(cohorts, cell.n);
    // The groups a breakdown hides, pooled: the overall figure minus the published groups.
    if (q.overall.published) {
      problem.active.forEach((g, a) => {
        const cells = q.breakdowns.get(g.id);
        if (!cells || !cells.some((c) => c.published)) return;
        const hidden = cells.flatMap((c, v) => (c.published ? [] : [v]));
        if (hidden.length === 0) return;
        const shownN = cells.reduce((sum, c) => sum + (c.published ? c.n : 0), 0);
        const poolN = (q.overall as { n: number }).n - shownN;
        rel(this.groupCohorts(a, hidden), poolN);
        // Rule 3: respondents of the pool sit in at least two of the hidden groups, so at least
        // two of those groups have respondents at all.
        if (poolN > 0 && this.options.rules !== false) this.atLeastTwoNonEmpty(a, hidden);
      });
    }
    const cuts = breakdownsOf(problem, q);
    if (cuts.length >= 2 && this.options.rules !== false) {
      for (const combo of combinations(problem, cuts)) this.emptyOrAtLeastK(cohortsWhere(problem, combo), `${q.id}:${[...combo.values()].join(',')}`);
    }
  }

  /** A question inside the block: every unknown of its table, every figure, every rule it obeys. */
  private addComponent(q: ChoiceQuestion): void {
    const { lp, problem, big } = this;
    const { c, k } = problem;
    const count: number[][] = [];
    const answered: number[] | null = q.kind === 'multi' ? [] : null;
    problem.cohorts.forEach((tuple, j) => {
      const label = `${q.id}[${tuple.join(',')}]`;
      const row = q.values.map((v) => lp.addVar(`${label}=${v}`, 0, big));
      count.push(row);
      const sj = new Map([[this.s[j]!, -1]]);
      if (q.kind === 'single') {
        const taken = new Map(row.map((col) => [col, 1]));
        // Skipping is allowed unless the question is required.
        lp.addRow(plus(taken, sj), q.required ? 0 : -Infinity, 0);
      } else {
        const a = lp.addVar(`${label} answered`, 0, big);
        answered!.push(a);
        lp.addRow(plus(new Map([[a, 1]]), sj), q.required ? 0 : -Infinity, 0);
        // An option is ticked by at most everyone who answered; everyone who answered ticked one.
        for (const col of row) lp.addRow(new Map([[col, 1], [a, -1]]), -Infinity, 0);
        lp.addRow(plus(new Map(row.map((col) => [col, 1])), new Map([[a, -1]])), 0, Infinity);
      }
    });
    this.vars.set(q.id, { q, count, answered });
    if (this.options.baseline) return;

    const shownInBreakdowns = new Set<number>();
    for (const { cohorts, cell, groupOf } of this.publishedCells(q)) {
      lp.addRow(this.answered(q.id, cohorts), cell.n, cell.n);
      cell.counts.forEach((x, v) => {
        if (x !== null) {
          lp.addRow(this.count(q.id, v, cohorts), x, x);
          if (groupOf) shownInBreakdowns.add(v);
        }
      });
    }
    if (this.options.rules === false) return;
    if (q.kind === 'multi') this.addHiddenOptionRules(q);

    // Rule 3 on each published breakdown: its hidden groups with respondents are none, or at
    // least two with k together whose pooled answers pass rule 2 (multi-choice: in every option
    // the overall figure shows).
    const overallShown = q.overall.published ? q.overall.counts.flatMap((x, v) => (x === null ? [] : [v])) : [];
    problem.active.forEach((g, a) => {
      const cells = q.breakdowns.get(g.id);
      if (!cells || !cells.some((cell) => cell.published)) return;
      const hidden = cells.flatMap((cell, v) => (cell.published ? [] : [v]));
      if (hidden.length === 0) return;
      const poolCohorts = this.groupCohorts(a, hidden);
      this.complementRule(
        `${q.id}:${g.id}`,
        hidden.map((v) => this.answered(q.id, this.groupCohorts(a, [v]))),
        (pool, w) => {
          const diverse = (e: Expr) => lp.addRow(minus(e, new Map([[w, c + 1]])), 0, Infinity);
          if (q.kind === 'single') q.values.forEach((_, v) => diverse(minus(pool, this.count(q.id, v, poolCohorts))));
          else for (const v of overallShown) {
            diverse(this.count(q.id, v, poolCohorts));
            diverse(minus(pool, this.count(q.id, v, poolCohorts)));
          }
        },
      );
    });

    // Rule 4: behind two published breakdowns, every joint cell whose joint group has respondents
    // has at least k who answered and is diverse (for multi-choice: in every option the breakdowns show).
    const cuts = breakdownsOf(problem, q);
    if (cuts.length < 2) return;
    for (const combo of combinations(problem, cuts)) {
      const cohorts = cohortsWhere(problem, combo);
      const z = this.emptyOrAtLeastK(cohorts, `${q.id}:${[...combo.values()].join(',')}`);
      // The size disjunction may exist already (the group sizes'); tie this one to the same fact.
      const size = this.size(cohorts);
      const zz = z ?? lp.binary(`nonempty[${q.id}:${[...combo.values()].join(',')}]`, (x) => (evaluate(size, x) > 0 ? 1 : 0));
      if (z === undefined) lp.addRow(minus(size, new Map([[zz, big]])), -Infinity, 0);
      const n = this.answered(q.id, cohorts);
      lp.addRow(minus(n, new Map([[zz, k]])), 0, Infinity);
      q.values.forEach((_, v) => {
        if (q.kind === 'single') lp.addRow(minus(minus(n, this.count(q.id, v, cohorts)), new Map([[zz, c + 1]])), 0, Infinity);
        else if (shownInBreakdowns.has(v)) {
          const x = this.count(q.id, v, cohorts);
          lp.addRow(minus(x, new Map([[zz, c + 1]])), 0, Infinity);
          lp.addRow(minus(minus(n, x), new Map([[zz, c + 1]])), 0, Infinity);
        }
      });
    }
  }

  /**
   * Rule 2 as every reader knows it: an option hidden in the overall figure has min(x, n − x) ≤ c;
   * an option hidden in a breakdown is hidden in all its published groups, and at least one of them
   * has min(x, n − x) ≤ c.
   */
  private addHiddenOptionRules(q: ChoiceQuestion): void {
    const { lp, problem } = this;
    const { c } = problem;
    const fewOrMost = (x: Expr, n: number, label: string): Expr => {
      const lo = lp.binary(`few[${label}]`, (p) => (evaluate(x, p) <= c ? 1 : 0));
      const hi = lp.binary(`most[${label}]`, (p) => (evaluate(x, p) >= n - c ? 1 : 0));
      // lo ⇒ x ≤ c;  hi ⇒ x ≥ n − c.
      lp.addRow(plus(x, new Map([[lo, n]])), -Infinity, c + n);
      lp.addRow(minus(x, new Map([[hi, Math.max(0, n - c)]])), 0, Infinity);
      return new Map([[lo, 1], [hi, 1]]);
    };
    if (q.overall.published) {
      const { n, counts } = q.overall;
      counts.forEach((x, v) => {
        if (x === null) lp.addRow(fewOrMost(this.count(q.id, v, this.all()), n, `${q.id}:${q.values[v]}`), 1, Infinity);
      });
    }
    problem.active.forEach((g, a) => {
      const cells = q.breakdowns.get(g.id);
      if (!cells) return;
      q.values.forEach((value, v) => {
        const hiddenIn = cells.flatMap((cell, gv) => (cell.published && cell.counts[v] === null ? [{ gv, n: cell.n }] : []));
        if (hiddenIn.length === 0) return;
        const any = plus(...hiddenIn.map(({ gv, n }) => fewOrMost(this.count(q.id, v, this.groupCohorts(a, [gv])), n, `${q.id}:${g.id}=${g.values[gv]}:${value}`)));
        lp.addRow(any, 1, Infinity);
      });
    });
  }

  /** Completes a point given for the counts (the binaries follow from them). */
  complete(x: Float64Array): Float64Array {
    for (const { col, value } of this.lp.completions) x[col] = value(x);
    return x;
  }

  /** Writes a cohort-level truth (the job's aggregates) as a point of this block. */
  fromTruth(truth: Truth): Float64Array {
    const x = new Float64Array(this.lp.lo.length);
    truth.sizes.forEach((n, j) => (x[this.s[j]!] = n));
    if (typeof this.respondents !== 'number') for (const col of this.respondents.keys()) x[col] = truth.sizes.reduce((a, b) => a + b, 0);
    for (const [id, v] of this.vars) {
      const t = truth.questions.get(id);
      if (!t) throw new Error(`the truth has no table for ${id}`);
      t.counts.forEach((row, j) => row.forEach((n, vi) => (x[v.count[j]![vi]!] = n)));
      if (v.answered) t.answered.forEach((n, j) => (x[v.answered![j]!] = n));
    }
    return this.complete(x);
  }
}

/** The real counts at cohort level: what the job knows and the audit never reads, except as a hint. */
export interface Truth {
  sizes: number[];
  questions: Map<string, { counts: number[][]; answered: number[] }>;
}
