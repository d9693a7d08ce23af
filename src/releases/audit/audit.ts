/**
 * The exact disclosure audit of §6 rule 8. It reads a published release (and, for the Working
 * Group's review, how many comments it shows per question), never the database, and answers:
 *
 * - in `bounds` mode, for every hidden figure and every joint cell, the least and greatest value
 *   it can have given everything public;
 * - in both modes, every proof of a disclosure: about a set of 1 to k − 1 respondents, any count
 *   (how many gave one answer); about any set, that all but at most c gave one answer, or ticked
 *   or left unticked one option, where rule 2 would hide it.
 *
 * The sets are the cells (all respondents, a group, a joint cell of two grouping questions, the
 * pool of a breakdown's hidden groups) and, for group sizes, the groups, joint groups and pools of
 * the grouping questions. Each question is decided by an integer point (a witness) or by the
 * integer program proving that none exists. The attacker is taken to know one member of the set,
 * so questions are asked of the points where the set is not empty.
 */
import { countMarkers, type ReleaseJson } from '../content.js';
import type { Remedy } from '../rules.js';
import { createProgram, solverName, type Program, type SolveRequest } from './highs.js';
import { Block, breakdownsOf, evaluate, minus, type Expr, type Truth } from './model.js';
import { cohortsWhere, combinations, jointSubsets, readProblem, type ChoiceQuestion, type Problem, type ReviewCounts, type SeenCell } from './problem.js';

export type Inference = 'count' | 'homogeneity';

export interface Proof {
  /** The set, in words: "speak_freely, region = asia and size = small". */
  set: string;
  /** The set as a path: "speak_freely.joint[region=asia&size=small]", "region.overall.counts.asia". */
  path: string;
  question: string | null;
  inference: Inference;
  /** What is proved, in plain words. */
  claim: string;
  /** Grouping questions whose breakdowns of the question the proof uses, in definition order. */
  uses: string[];
  remedy: Remedy;
}

export interface Interval {
  /** Where the figure is in the release, e.g. "speak_freely.breakdowns.region[asia].counts.3". */
  figure: string;
  lo: number;
  hi: number;
}

export interface AuditReport {
  passed: boolean;
  solver: string;
  /** How many markers the release holds. */
  hiddenFigures: number;
  /** Bounds mode: the interval of every figure a marker hides. */
  intervals: Interval[];
  /** Bounds mode: the intervals of the joint cells (n and counts), which no release shows. */
  joint: Interval[];
  proofs: Proof[];
  /** Programs solved (LP relaxations and integer programs). */
  solves: number;
}

/** The job's counts per full cohort (one value per grouping question): never in the release. */
export interface TruthHint {
  cohorts: string[][];
  sizes: number[];
  /** Per question: per cohort: count per answer value (per option for multi-choice). */
  counts: Map<string, number[][]>;
  /** Multi-choice: per cohort, how many answered. */
  answered: Map<string, number[]>;
}

export interface AuditOptions {
  mode: 'decide' | 'bounds';
  /** The truth as a first witness (the job has it): it saves solves and never changes an answer. */
  truth?: TruthHint | undefined;
  review?: ReviewCounts | undefined;
  /** Bounds mode: leave out the joint cells' intervals. */
  skipJoint?: boolean;
  /** Audit only the comment counts (publishing a review: the rest of the release has passed already). */
  only?: 'comments';
  /**
   * Audit only these parts (the group sizes, these questions' sets): what release.ts re-checks
   * between passes when hiding more showed nothing new, which can only remove proofs elsewhere.
   * Default: everything.
   */
  scope?: { sizes: boolean; questions: readonly string[] };
  /**
   * Whether readers may rely on Candor's rules having been followed (default true). False audits
   * a release made some other way, such as the naive releases the leak tests attack.
   */
  rules?: boolean;
  progress?: (done: number, total: number, what: string) => void;
}

/** No survey could have produced the release (a malformed or altered file, or a bug). */
export class Inconsistent extends Error {}

export async function audit(release: ReleaseJson, options: AuditOptions): Promise<AuditReport> {
  const problem = readProblem(release, options.review, { commentsOnly: options.only === 'comments' });
  const report: AuditReport = { passed: true, solver: await solverName(), hiddenFigures: options.only === 'comments' ? 0 : countMarkers(release), intervals: [], joint: [], proofs: [], solves: 0 };
  const truth = options.truth ? projectTruth(problem, options.truth) : undefined;
  const auditor = new Auditor(problem, options, truth, report, release);
  const total = problem.choices.length + 2;
  let done = 0;
  const step = (what: string) => options.progress?.(++done, total, what);
  try {
    // A release that shows nothing but its respondent count proves nothing; its markers still get
    // their intervals when asked for.
    if ((problem.hasFigures || options.mode === 'bounds') && options.only !== 'comments') {
      if (!options.scope || options.scope.sizes) await auditor.sizes();
      step('group sizes');
      for (const q of problem.choices) {
        if (!options.scope || options.scope.questions.includes(q.id)) await auditor.question(q);
        step(q.id);
      }
    }
    auditor.comments();
    step('comments');
  } finally {
    auditor.dispose();
  }
  report.passed = report.proofs.length === 0;
  return report;
}

/** The truth summed onto the audit's cohorts (the active grouping questions only). */
function projectTruth(problem: Problem, hint: TruthHint): Truth {
  const at = problem.active.map((g) => problem.grouping.findIndex((x) => x.id === g.id));
  const index = new Map(problem.cohorts.map((tuple, j) => [tuple.join(','), j]));
  const target = hint.cohorts.map((full) => {
    const j = index.get(at.map((i, a) => problem.active[a]!.values.indexOf(full[i]!)).join(','));
    if (j === undefined) throw new Inconsistent(`a cohort the release does not know: ${full.join('|')}`);
    return j;
  });
  const sizes = problem.cohorts.map(() => 0);
  hint.sizes.forEach((n, f) => (sizes[target[f]!]! += n));
  const questions: Truth['questions'] = new Map();
  for (const q of problem.choices) {
    const counts = problem.cohorts.map(() => q.values.map(() => 0));
    const answered = problem.cohorts.map(() => 0);
    hint.counts.get(q.id)?.forEach((row, f) => row.forEach((n, v) => (counts[target[f]!]![v]! += n)));
    hint.answered.get(q.id)?.forEach((n, f) => (answered[target[f]!]! += n));
    questions.set(q.id, { counts, answered });
  }
  return { sizes, questions };
}

const negate = (e: Expr): Expr => new Map([...e].map(([col, coef]) => [col, -coef]));

/** A program over one block, the witnesses found in it, and the rows that condition on a set. */
class State {
  program!: Program;
  block!: Block;
  witnesses: Float64Array[] = [];
  private rowOf = new Map<string, number>();

  constructor(
    private readonly auditor: Auditor,
    public components: ChoiceQuestion[],
    private readonly sets: (block: Block) => [string, Expr][],
    readonly baseline = false,
  ) {}

  async build(): Promise<void> {
    this.program?.dispose();
    this.block = new Block(this.auditor.problem, { components: this.components, baseline: this.baseline, rules: this.auditor.options.rules !== false });
    this.rowOf = new Map(this.sets(this.block).map(([path, e]) => [path, this.block.lp.addRow(e, -Infinity, Infinity)]));
    this.program = await createProgram(this.block.lp);
    this.witnesses = [];
    const { truth } = this.auditor;
    if (truth && !this.baseline) {
      const x = this.block.fromTruth(truth);
      if (!this.block.lp.satisfies(x)) throw new Inconsistent('the release does not match the counts it was computed from');
      this.witnesses.push(x);
    } else {
      // A release no survey could have produced (altered, or made against the rules it claims)
      // must not pass because every question about it has no answer.
      const out = this.program.solve({ objective: new Map(), sense: 'max', exact: true });
      if (out.status === 'infeasible') throw new Inconsistent('no survey could have produced this release: its figures contradict each other or the rules');
      // Not kept as a witness: a point of this block is one of the whole program only once the
      // questions outside it have been checked (fitsOutside), which exists() and optimum() do.
    }
  }

  /** "The set has respondents", as a row bound for one solve. */
  nonEmpty(path: string): NonNullable<SolveRequest['rows']> {
    return [{ row: this.rowOf.get(path)!, lo: 1, hi: Infinity }];
  }

  holds(x: ArrayLike<number>, rows: NonNullable<SolveRequest['rows']>): boolean {
    return rows.every(({ row, lo, hi }) => {
      const r = this.block.lp.rows[row]!;
      let sum = 0;
      for (let t = 0; t < r.idx.length; t++) sum += r.val[t]! * x[r.idx[t]!]!;
      return sum >= lo && sum <= hi;
    });
  }

  /** Questions with two published breakdowns outside the block: a point must fit them too. */
  outside(): ChoiceQuestion[] {
    if (this.baseline) return [];
    return this.auditor.problem.choices.filter((q) => !this.components.includes(q) && breakdownsOf(this.auditor.problem, q).length >= 2);
  }

  dispose(): void {
    this.program?.dispose();
  }
}

/** How one count of a set is read: an answer given, an option ticked, an option left unticked. */
interface Side {
  label: string;
  value: number;
  polarity: 'gave' | 'ticked' | 'unticked';
}

interface AuditSet {
  label: string;
  path: string;
  kind: 'overall' | 'group' | 'pool' | 'joint';
  cohorts: number[];
  /** Active grouping questions that define the set. */
  own: number[];
  /** Value indices whose counts are hidden (all of them when the cell is hidden whole). */
  hidden: number[];
  whole: boolean;
  /** Rule 4 makes it pass rules 1 and 2 whenever it has respondents: nothing to test. */
  covered: boolean;
  /** A published cell: what it shows. */
  shown?: { n: number; counts: (number | null)[] };
}

class Auditor {
  private checks = new Map<string, State>();
  private fits = new Map<string, boolean>();

  constructor(
    readonly problem: Problem,
    readonly options: AuditOptions,
    readonly truth: Truth | undefined,
    readonly report: AuditReport,
    private readonly release: ReleaseJson,
  ) {}

  /** A point of the whole program with objective ≥ target (where the set `within` has respondents), or none. */
  async exists(state: State, objective: () => Expr, target: number, within?: string, exact = true): Promise<Float64Array | undefined> {
    const e = objective();
    const rows = within ? state.nonEmpty(within) : [];
    for (const w of state.witnesses) if (evaluate(e, w) >= target && state.holds(w, rows)) return w;
    for (;;) {
      // `exact`: a "no" leads to a flag, so the integer program confirms it (rule 8: a relaxation
      // may prune, never decide a flag). Otherwise a relaxation that cannot reach the target is enough.
      const out = state.program.solve({ objective: objective(), sense: 'max', target, rows: within ? state.nonEmpty(within) : [], exact });
      this.report.solves++;
      if (out.status === 'infeasible' || out.status === 'unreachable') return undefined;
      if (out.value < target) return undefined;
      if (await this.fitsOutside(state, out.x)) {
        state.witnesses.push(out.x);
        return out.x;
      }
    }
  }

  /** The least (or greatest) value of objective in the whole program (where the set `within` has respondents). */
  async optimum(state: State, objective: () => Expr, sense: 'max' | 'min', within?: string): Promise<number | undefined> {
    for (;;) {
      // The best witness so far: if a relaxation's bound equals it, no integer program is needed.
      const e = objective();
      const rows = within ? state.nonEmpty(within) : [];
      let known: { value: number; x: Float64Array } | undefined;
      for (const w of state.witnesses) {
        if (!state.holds(w, rows)) continue;
        const value = evaluate(e, w);
        if (!known || (sense === 'max' ? value > known.value : value < known.value)) known = { value, x: w };
      }
      const out = state.program.solve({ objective: e, sense, rows, exact: true, ...(known ? { known } : {}) });
      this.report.solves++;
      if (out.status === 'infeasible') return undefined;
      if (out.status !== 'optimal') throw new Error(`unexpected solver outcome ${out.status}`);
      if (await this.fitsOutside(state, out.x)) {
        state.witnesses.push(out.x);
        return out.value;
      }
    }
  }

  /**
   * Whether a point of the block extends to the whole program: every question outside it with
   * two published breakdowns must admit a table for the point's cohort sizes. If one does not,
   * it joins the block (which is rebuilt) and the caller solves again.
   */
  private async fitsOutside(state: State, x: Float64Array): Promise<boolean> {
    const sizes = state.block.s.map((col) => x[col]!);
    for (const q of state.outside()) {
      const cacheKey = `${q.id}:${sizes.join(',')}`;
      let fits = this.fits.get(cacheKey);
      if (fits === undefined) {
        let check = this.checks.get(q.id);
        if (!check) {
          check = new State(this, [q], () => []);
          await check.build();
          this.checks.set(q.id, check);
        }
        const cols = check.block.s.map((col, j) => ({ col, lo: sizes[j]!, hi: sizes[j]! }));
        const out = check.program.solve({ objective: new Map(), sense: 'max', cols, exact: true });
        this.report.solves++;
        fits = out.status !== 'infeasible';
        this.fits.set(cacheKey, fits);
      }
      if (!fits) {
        state.components = [...state.components, q];
        await state.build();
        return false;
      }
    }
    return true;
  }

  private async interval(state: State, figure: string, e: () => Expr, into: Interval[]): Promise<void> {
    const lo = await this.optimum(state, e, 'min');
    const hi = await this.optimum(state, e, 'max');
    if (lo === undefined || hi === undefined) throw new Inconsistent('no survey could have produced this release');
    into.push({ figure, lo, hi });
  }

  /** The one value the count takes wherever the set has respondents, or undefined when it can take two. */
  private async pinnedValue(state: State, path: string, e: () => Expr): Promise<number | undefined> {
    const rows = state.nonEmpty(path);
    const seen = new Set<number>();
    for (const w of state.witnesses) if (state.holds(w, rows)) seen.add(evaluate(e(), w));
    if (seen.size > 1) return undefined;
    const max = await this.optimum(state, e, 'max', path);
    if (max === undefined) return undefined;
    return (await this.optimum(state, e, 'min', path)) === max ? max : undefined;
  }

  private async pinned(state: State, path: string, e: () => Expr): Promise<boolean> {
    return (await this.pinnedValue(state, path, e)) !== undefined;
  }

  /**
   * Whether a count pinned at 0 in a small set follows from a set around it that has k: the
   * overall figure or a published group showing 0, or a pool of hidden groups with k that gave it
   * to nobody. Then the small set's 0 says nothing about it that the larger set does not say of
   * everyone in it (see README, choice 6).
   */
  private async inheritedZero(state: State, q: ChoiceQuestion, side: Side, around: readonly AuditSet[]): Promise<boolean> {
    const { k } = this.problem;
    for (const t of around) {
      if (t.shown) {
        if (t.shown.n >= k && side.polarity !== 'unticked' && t.shown.counts[side.value] === 0) return true;
        continue;
      }
      const n = () => state.block.answered(q.id, t.cohorts);
      const count = () => {
        const x = state.block.count(q.id, side.value, t.cohorts);
        return side.polarity === 'unticked' ? minus(n(), x) : x;
      };
      if ((await this.optimum(state, count, 'max')) !== 0) continue;
      const least = await this.optimum(state, n, 'min');
      if (least !== undefined && least >= k) return true;
    }
    return false;
  }

  /** Whether the set can have respondents, and whether it can have k of them. */
  private async reach(state: State, size: () => Expr): Promise<'empty' | 'small' | 'large'> {
    if (!(await this.exists(state, size, 1, undefined, false))) return 'empty';
    return (await this.exists(state, size, this.problem.k, undefined, false)) ? 'large' : 'small';
  }

  // ---- group sizes ---------------------------------------------------------------------------

  async sizes(): Promise<void> {
    const { problem } = this;
    if (problem.active.length === 0) return;
    const { k, c } = problem;
    const sets = sizeSets(problem, this.options.rules !== false);
    const state = new State(this, [], (block) => sets.map((s) => [s.path, block.size(s.cohorts)]));
    await state.build();
    const prove = (set: SizeSet, inference: Inference, claim: string, by?: number) => {
      const grouping = problem.active[Math.max(...set.own, ...(by === undefined ? [] : [by]))]!.id;
      this.report.proofs.push({ set: set.label, path: set.path, question: null, inference, claim, uses: [grouping], remedy: { kind: 'hide_sizes', grouping } });
    };
    try {
      for (const set of sets) {
        const size = () => state.block.size(set.cohorts);
        if (this.options.mode === 'bounds' && set.hiddenFigure) await this.interval(state, set.path, size, this.report.intervals);
        /** How the set splits by each other grouping question: the counts of the set's grouping answers. */
        const splits: { by: number; label: string; e: () => Expr }[] = [];
        problem.active.forEach((g, b) => {
          if (set.own.includes(b)) return;
          g.values.forEach((value, h) => {
            const cohorts = set.cohorts.filter((j) => problem.cohorts[j]![b] === h);
            splits.push({ by: b, label: `answered ${g.id} = ${value}`, e: () => state.block.size(cohorts) });
          });
        });
        const reach = await this.reach(state, size);
        if (reach === 'empty') continue;
        if (reach === 'small' && !set.covered) {
          // A group of 1 to k − 1: neither its size nor how it splits by another grouping question may be pinned.
          let pinned: string | undefined;
          if (await this.pinned(state, set.path, size)) pinned = `how many are in ${set.label}`;
          for (const split of splits) {
            if (pinned) break;
            if (await this.pinned(state, set.path, split.e)) pinned = `how many of ${set.label} ${split.label}`;
          }
          if (pinned) {
            prove(set, 'count', `${set.label} has between 1 and ${k - 1} respondents, and ${pinned} follows from the release`);
            continue;
          }
        }
        // Rule 2 for grouping answers: "all but at most c of the group answered that" is what it
        // hides in any distribution, so no set may be proved to split that way.
        for (const split of splits) {
          if (await this.exists(state, () => minus(size(), split.e()), c + 1, set.path)) continue;
          if (await this.exists(state, () => negate(split.e()), 0, set.path)) continue;
          prove(set, 'homogeneity', `all but at most ${c} of ${set.label} ${split.label}`, split.by);
          break;
        }
      }
    } finally {
      state.dispose();
    }
  }

  // ---- one question ----------------------------------------------------------------------------

  async question(q: ChoiceQuestion): Promise<void> {
    const { problem } = this;
    const sets = questionSets(problem, q, this.options.rules !== false);
    const state = new State(this, [q], (block) => sets.map((s) => [s.path, block.answered(q.id, s.cohorts)]));
    await state.build();
    try {
      for (const set of sets) {
        const n = () => state.block.answered(q.id, set.cohorts);
        const x = (v: number) => () => state.block.count(q.id, v, set.cohorts);
        if (this.options.mode === 'bounds') {
          if (set.kind === 'joint' && !this.options.skipJoint) {
            await this.interval(state, `${set.path}.n`, n, this.report.joint);
            for (const v of q.values.keys()) await this.interval(state, `${set.path}.counts.${q.values[v]}`, x(v), this.report.joint);
          } else if (set.kind === 'overall' || set.kind === 'group') {
            if (set.whole) await this.interval(state, `${set.path}.n`, n, this.report.intervals);
            for (const v of set.hidden) await this.interval(state, `${set.path}.counts.${q.values[v]}`, x(v), this.report.intervals);
          }
        }
        if (set.covered || set.hidden.length === 0) continue;
        // The sets around this one, for a count pinned at 0 that they explain.
        const around = sets.filter((t) => t !== set && t.kind !== 'joint' && set.cohorts.every((j) => t.cohorts.includes(j)));
        const proof = await this.test(state, q, set, sidesOf(q, set), around);
        if (!proof) continue;
        // What the definition and the respondent count alone imply is not a disclosure.
        if (await this.holdsInBaseline(q, set, proof.side, proof.inference)) continue;
        this.report.proofs.push(this.proofFor(q, set, proof.inference, proof.claim, await this.breakdownsUsed(q, set, proof.side, proof.inference)));
      }
    } finally {
      state.dispose();
    }
  }

  /** The tests of one set; the first proof found, if any. */
  async test(state: State, q: ChoiceQuestion, set: AuditSet, sides: Side[], around: readonly AuditSet[] = []): Promise<{ inference: Inference; side: Side; claim: string } | undefined> {
    const { k, c } = this.problem;
    const n = () => state.block.answered(q.id, set.cohorts);
    const reach = await this.reach(state, n);
    if (reach === 'empty') return undefined;
    for (const side of sides) {
      const it = () => {
        const x = state.block.count(q.id, side.value, set.cohorts);
        return side.polarity === 'unticked' ? minus(n(), x) : x;
      };
      if (reach === 'small') {
        const value = await this.pinnedValue(state, set.path, it);
        if (value !== undefined && !(value === 0 && (await this.inheritedZero(state, q, side, around)))) {
          return { inference: 'count', side, claim: `${set.label} has between 1 and ${k - 1} respondents, and how many of them ${say(q, side)} follows from the release` };
        }
      }
      // "All but at most c": no point where more than c did not, and none where nobody did.
      if (await this.exists(state, () => minus(n(), it()), c + 1, set.path)) continue;
      if (await this.exists(state, () => negate(it()), 0, set.path)) continue;
      return { inference: 'homogeneity', side, claim: `all but at most ${c} of ${set.label} ${say(q, side)}` };
    }
    return undefined;
  }

  private async holdsInBaseline(q: ChoiceQuestion, set: AuditSet, side: Side, inference: Inference): Promise<boolean> {
    const state = new State(this, [q], (block) => [[set.path, block.answered(q.id, set.cohorts)]], true);
    await state.build();
    try {
      const proof = await this.test(state, q, set, [side]);
      return proof !== undefined && proof.inference === inference;
    } finally {
      state.dispose();
    }
  }

  /**
   * The published breakdowns of the question a proof uses. For a set inside breakdowns (a group,
   * a pool, a joint cell), those breakdowns. For the overall cell, each breakdown without which
   * the proof no longer holds (it is left out of the release and the test run again).
   */
  private async breakdownsUsed(q: ChoiceQuestion, set: AuditSet, side: Side, inference: Inference): Promise<number[]> {
    const cuts = breakdownsOf(this.problem, q);
    const own = set.own.filter((a) => cuts.includes(a));
    if (set.kind !== 'overall' || cuts.length === 0) return own;
    const used: number[] = [];
    for (const a of cuts) {
      const gid = this.problem.active[a]!.id;
      const without = structuredClone(this.release);
      const target = without.questions.find((x) => x.id === q.id);
      if (target && target.type !== 'text') target.breakdowns[gid] = (target.breakdowns[gid] ?? []).map((g) => ({ group: g.group, suppressed: true as const }));
      const sub = new Auditor(readProblem(without, this.problem.review), { ...this.options, truth: undefined }, undefined, this.report, without);
      const q2 = sub.problem.choices.find((x) => x.id === q.id)!;
      const set2 = questionSets(sub.problem, q2, this.options.rules !== false).find((x) => x.path === set.path)!;
      const state = new State(sub, [q2], (block) => [[set2.path, block.answered(q2.id, set2.cohorts)]]);
      await state.build();
      try {
        const still = await sub.test(state, q2, set2, [side]);
        if (!still || still.inference !== inference) used.push(a);
      } finally {
        state.dispose();
        sub.dispose();
      }
    }
    return used;
  }

  private proofFor(q: ChoiceQuestion, set: AuditSet, inference: Inference, claim: string, used: number[]): Proof {
    const uses = used.map((a) => this.problem.active[a]!.id);
    // Rule 8: the next group of the breakdown the proof uses (the later grouping question
    // first), then that breakdown; a proof that uses no breakdown hides the cell — the question.
    const remedy: Remedy = used.length > 0 ? { kind: 'hide_group', question: q.id, grouping: this.problem.active[Math.max(...used)]!.id } : { kind: 'hide_question', question: q.id };
    return { set: set.label, path: set.path, question: q.id, inference, claim, uses, remedy };
  }

  // ---- comment counts --------------------------------------------------------------------------

  /**
   * Comment counts stand apart: comments are stored detached from every answer, so a question's
   * count t lies in [0, N] (exactly N when the question is required), is at least what the review
   * shows under it, and the review's "other comments" come from the questions it does not name.
   */
  comments(): void {
    const { problem } = this;
    const review = problem.review;
    const N = problem.respondents ?? Infinity;
    const lo = new Map<string, number>();
    const hi = new Map<string, number>();
    for (const t of problem.texts) {
      const shown = review?.byQuestion[t.id] ?? 0;
      lo.set(t.id, t.comments ?? (t.required ? N : shown));
      hi.set(t.id, t.comments ?? N);
    }
    const pooledFrom = problem.texts.filter((t) => review?.byQuestion[t.id] === undefined);
    if (review && review.pooled > 0) {
      if (pooledFrom.reduce((sum, t) => sum + hi.get(t.id)!, 0) < review.pooled) throw new Inconsistent('the review shows more "other comments" than the questions hold');
      for (const t of pooledFrom) {
        const others = pooledFrom.filter((o) => o !== t).reduce((sum, o) => sum + hi.get(o.id)!, 0);
        lo.set(t.id, Math.max(lo.get(t.id)!, review.pooled - others));
      }
    }
    for (const t of problem.texts) {
      if (t.comments !== null) {
        if ((review?.byQuestion[t.id] ?? 0) > t.comments) throw new Inconsistent(`the review shows more comments on ${t.id} than the results count`);
        continue;
      }
      const [a, b] = [lo.get(t.id)!, hi.get(t.id)!];
      if (this.options.mode === 'bounds') this.report.intervals.push({ figure: `${t.id}.comments.n`, lo: a, hi: Number.isFinite(b) ? b : a });
      const named = (review?.byQuestion[t.id] ?? 0) > 0;
      // Comments shown under a question whose count the results hide (§8 pools them), or a
      // hidden count pinned between 1 and k − 1.
      if (named || (a === b && a >= 1 && a <= problem.k - 1)) {
        this.report.proofs.push({
          set: `the comments on ${t.id}`,
          path: `${t.id}.comments`,
          question: t.id,
          inference: 'count',
          claim: named ? `the review shows comments on ${t.id}, whose number the results hide` : `exactly ${a} respondents commented on ${t.id}`,
          uses: [],
          remedy: { kind: 'hide_comments', question: t.id },
        });
      }
    }
  }

  dispose(): void {
    for (const s of this.checks.values()) s.dispose();
  }
}

function say(q: ChoiceQuestion, side: Side): string {
  const value = q.values[side.value];
  if (side.polarity === 'ticked') return `ticked ${value}`;
  if (side.polarity === 'unticked') return `left ${value} unticked`;
  return `answered ${value}`;
}

function sidesOf(q: ChoiceQuestion, set: AuditSet): Side[] {
  return set.hidden.flatMap((v): Side[] =>
    q.kind === 'single'
      ? [{ label: q.values[v]!, value: v, polarity: 'gave' }]
      : [
          { label: `ticked ${q.values[v]}`, value: v, polarity: 'ticked' },
          { label: `left ${q.values[v]} unticked`, value: v, polarity: 'unticked' },
        ],
  );
}

/** The sets of one question whose figures are audited, in breakdown order. */
function questionSets(problem: Problem, q: ChoiceQuestion, rules: boolean): AuditSet[] {
  const sets: AuditSet[] = [];
  const cuts = breakdownsOf(problem, q);
  const all = q.values.map((_, v) => v);
  const hiddenOf = (cell: SeenCell) => (cell.published ? cell.counts.flatMap((x, v) => (x === null ? [v] : [])) : all);
  const shown = (cell: SeenCell) => (cell.published ? { shown: { n: cell.n, counts: cell.counts } } : {});
  sets.push({ label: `${q.id}, all respondents`, path: `${q.id}.overall`, kind: 'overall', cohorts: problem.cohorts.map((_, j) => j), own: [], hidden: hiddenOf(q.overall), whole: !q.overall.published, covered: false, ...shown(q.overall) });
  problem.active.forEach((g, a) => {
    const cells: SeenCell[] = q.breakdowns.get(g.id) ?? g.values.map(() => ({ published: false }));
    const hiddenGroups: number[] = [];
    cells.forEach((cell, v) => {
      if (!cell.published) hiddenGroups.push(v);
      sets.push({
        label: `${q.id}, ${g.id} = ${g.values[v]}`,
        path: `${q.id}.breakdowns.${g.id}[${g.values[v]}]`,
        kind: 'group',
        cohorts: cohortsWhere(problem, new Map([[a, v]])),
        own: [a],
        hidden: hiddenOf(cell),
        whole: !cell.published,
        covered: false,
        ...shown(cell),
      });
    });
    if (cuts.includes(a) && hiddenGroups.length > 1) {
      sets.push({
        label: `${q.id}, the hidden groups of ${g.id} pooled (${hiddenGroups.map((v) => g.values[v]).join(', ')})`,
        path: `${q.id}.breakdowns.${g.id}[pool]`,
        kind: 'pool',
        cohorts: problem.cohorts.flatMap((tuple, j) => (hiddenGroups.includes(tuple[a]!) ? [j] : [])),
        own: [a],
        hidden: all,
        whole: true,
        covered: false,
      });
    }
  });
  // Options some published group of Q's breakdowns shows: rule 4 covers them in every joint cell.
  const shownByBreakdowns = new Set<number>();
  for (const a of cuts) for (const cell of q.breakdowns.get(problem.active[a]!.id) ?? []) if (cell.published) cell.counts.forEach((x, v) => x !== null && shownByBreakdowns.add(v));
  for (const subset of jointSubsets(problem.active.length)) {
    const ruled = rules && subset.every((a) => cuts.includes(a));
    // Behind two published breakdowns every non-empty joint cell has k and is diverse (rule 4):
    // only multi-choice options that no breakdown shows are left to test.
    const hidden = !ruled ? all : q.kind === 'multi' ? all.filter((v) => !shownByBreakdowns.has(v)) : [];
    for (const combo of combinations(problem, subset)) {
      const parts = [...combo].map(([a, v]) => [problem.active[a]!.id, problem.active[a]!.values[v]!] as const);
      sets.push({
        label: `${q.id}, ${parts.map(([g, v]) => `${g} = ${v}`).join(' and ')}`,
        path: `${q.id}.joint[${parts.map(([g, v]) => `${g}=${v}`).join('&')}]`,
        kind: 'joint',
        cohorts: cohortsWhere(problem, combo),
        own: subset,
        hidden,
        whole: true,
        covered: ruled && hidden.length === 0,
      });
    }
  }
  return sets;
}

interface SizeSet {
  label: string;
  path: string;
  cohorts: number[];
  own: number[];
  /** A marker of the release: its interval is reported. */
  hiddenFigure: boolean;
  covered: boolean;
}

function sizeSets(problem: Problem, rules: boolean): SizeSet[] {
  const sets: SizeSet[] = [];
  const shown = problem.active.flatMap((g, a) => (g.sizes.published && g.sizes.counts.some((x) => x !== null) ? [a] : []));
  problem.active.forEach((g, a) => {
    const hidden: number[] = [];
    g.values.forEach((value, v) => {
      const known = g.sizes.published && g.sizes.counts[v] !== null;
      if (!known) hidden.push(v);
      sets.push({ label: `the group ${g.id} = ${value}`, path: `${g.id}.overall.counts.${value}`, cohorts: cohortsWhere(problem, new Map([[a, v]])), own: [a], hiddenFigure: !known, covered: known });
    });
    if (hidden.length > 1) {
      sets.push({
        label: `the hidden groups of ${g.id} pooled (${hidden.map((v) => g.values[v]).join(', ')})`,
        path: `${g.id}.overall[pool]`,
        cohorts: problem.cohorts.flatMap((tuple, j) => (hidden.includes(tuple[a]!) ? [j] : [])),
        own: [a],
        hiddenFigure: false,
        covered: false,
      });
    }
  });
  for (const subset of jointSubsets(problem.active.length)) {
    const covered = rules && subset.every((a) => shown.includes(a));
    for (const combo of combinations(problem, subset)) {
      const parts = [...combo].map(([a, v]) => [problem.active[a]!.id, problem.active[a]!.values[v]!] as const);
      sets.push({
        label: `the joint group ${parts.map(([g, v]) => `${g} = ${v}`).join(' and ')}`,
        path: `joint[${parts.map(([g, v]) => `${g}=${v}`).join('&')}]`,
        cohorts: cohortsWhere(problem, combo),
        own: subset,
        hiddenFigure: false,
        covered,
      });
    }
  }
  return sets;
}
