/**
 * HiGHS (University of Edinburgh), compiled to WebAssembly by the `highs` package: loaded once per
 * thread, one persistent model per program, objectives and row bounds changed between solves.
 *
 * Exact on integers: every answer comes with an integer point that is checked here, in integer
 * arithmetic, against every row; an LP relaxation is only used when its optimum is such a point
 * (then it is the integer optimum too), or to learn that a value cannot be reached (the integer
 * program is then solved anyway before a flag depends on it, see audit.ts).
 */
import highsModule from 'highs';
import { evaluate, type Expr, type Lp } from './model.js';

// The package's types describe a CommonJS module while Node loads its ES module (whose default
// export is the loader): take the loader from whichever shape arrives.
type Loader = (typeof highsModule)['default'];
const loadHighs: Loader = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as Loader;
type Highs = Awaited<ReturnType<Loader>>;
type Model = ReturnType<Highs['createModel']>;

let loading: Promise<Highs> | undefined;

/** The solver, loaded on first use (about 30 ms) and kept for the life of the thread. */
function loadSolver(): Promise<Highs> {
  loading ??= loadHighs();
  return loading;
}

/** "HiGHS 1.15.0", for the release's audit summary. */
export async function solverName(): Promise<string> {
  const highs = await loadSolver();
  return `HiGHS ${highs.version.major}.${highs.version.minor}.${highs.version.patch}`;
}

export type Outcome =
  /** The optimum, with an integer point reaching it. */
  | { status: 'optimal'; value: number; x: Float64Array }
  /** The target was reached (the optimum may be further): an integer point. */
  | { status: 'reached'; value: number; x: Float64Array }
  /** The relaxation (LP) cannot reach the target: no integer point can. */
  | { status: 'unreachable'; bound: number }
  | { status: 'infeasible' };

export interface SolveRequest {
  objective: Expr;
  sense: 'max' | 'min';
  /** Rows whose bounds are changed for this solve only. */
  rows?: { row: number; lo: number; hi: number }[];
  /** Columns whose bounds are changed for this solve only (fixing the cohort sizes of a check). */
  cols?: { col: number; lo: number; hi: number }[];
  /** Stop as soon as an integer point reaches this value (≥ for max, ≤ for min). */
  target?: number;
  /** Solve the integer program even when the relaxation says the target is out of reach. */
  exact?: boolean;
  /** The best value a known integer point of the program reaches: the optimum if a relaxation's bound equals it. */
  known?: { value: number; x: Float64Array };
}

/** How far from a whole number a relaxed value may be and still count as it. */
const TOL = 1e-6;
/**
 * How far above an integer a relaxation's optimum may sit and still bound the program at that
 * integer. Generous on purpose: a looser bound is still a bound, while a tight one could turn
 * rounding noise into a wrong "out of reach".
 */
const BOUND_TOL = 1e-4;

/** A persistent program: its LP relaxation and its integer version, built on first need. */
export class Program {
  private models = new Map<'core' | 'lp' | 'mip', Model>();
  /** Per model: the program's row index → the model's row index. */
  private rowIndex = new Map<'core' | 'lp' | 'mip', Map<number, number>>();
  /** Solves made, for the bench and the progress line. */
  solves = 0;
  /** Optima found by a dive, and integer programs solved: how often the relaxations were not enough. */
  dives = 0;
  exacts = 0;

  constructor(
    private readonly highs: Highs,
    readonly lp: Lp,
  ) {}

  /**
   * `core`: the relaxation without the rows that hold indicator columns (what readers know of the
   * rules). Its vertices are whole numbers far more often, and a whole point of it that also keeps
   * those rules is an optimum of the integer program.
   */
  private build(kind: 'core' | 'lp' | 'mip'): Model {
    const { highs, lp } = this;
    const numCols = lp.lo.length;
    const derived = new Set(lp.completions.map((c) => c.col));
    const rows = kind === 'core' ? lp.rows.map((r, i) => [r, i] as const).filter(([r]) => !r.idx.some((c) => derived.has(c))) : lp.rows.map((r, i) => [r, i] as const);
    this.rowIndex.set(kind, new Map(rows.map(([, i], at) => [i, at])));
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const [r] of rows) {
      indices.push(...r.idx);
      values.push(...r.val);
      starts.push(indices.length);
    }
    const inf = highs.infinity;
    const bound = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
    const model = highs.createModel({
      numCols,
      numRows: rows.length,
      colCost: new Float64Array(numCols),
      colLower: Float64Array.from(lp.lo, bound),
      colUpper: Float64Array.from(lp.hi, bound),
      rowLower: rows.map(([r]) => bound(r.lo)),
      rowUpper: rows.map(([r]) => bound(r.hi)),
      matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
      ...(kind === 'mip' ? { integrality: new Int32Array(numCols).fill(1) } : {}),
    });
    // Presolve off: HiGHS 1.15's presolve returned a wrong integer optimum on one of these
    // programs (found by the exhaustive check in test/releases/audit/exact.test.ts; the program is
    // kept there), and the programs are small enough not to need it. Symmetry detection costs more
    // than it saves at this size (measured), and so does the feasibility-jump heuristic: it took
    // two thirds of each integer solve (8.4 → 2.7 ms a solve in the utility bench). Neither
    // changes what is proved: HiGHS still closes the gap to zero.
    model.options.set({ output_flag: false, presolve: 'off', mip_rel_gap: 0, mip_abs_gap: 1e-6, mip_detect_symmetry: false, mip_heuristic_run_feasibility_jump: false });
    return model;
  }

  private model(kind: 'core' | 'lp' | 'mip'): Model {
    let model = this.models.get(kind);
    if (!model) this.models.set(kind, (model = this.build(kind)));
    return model;
  }

  private run(kind: 'core' | 'lp' | 'mip', req: SolveRequest): { status: number; value: number; x: Float64Array } {
    const { highs, lp } = this;
    const model = this.model(kind);
    const integer = kind === 'mip';
    const at = this.rowIndex.get(kind)!;
    const inf = highs.infinity;
    const cost = new Float64Array(lp.lo.length);
    for (const [col, coef] of req.objective) cost[col] = coef;
    model.changeColsCost({ kind: 'range', from: 0, to: cost.length - 1 }, cost);
    model.changeObjectiveSense(req.sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize);
    const bound = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
    for (const r of req.rows ?? []) model.changeRowBounds(at.get(r.row)!, bound(r.lo), bound(r.hi));
    for (const c of req.cols ?? []) model.changeColBounds(c.col, bound(c.lo), bound(c.hi));
    if (integer) model.options.set({ objective_target: req.target === undefined || !Number.isFinite(req.target) ? (req.sense === 'max' ? 1e30 : -1e30) : req.target });
    try {
      this.solves++;
      const { modelStatus } = model.run();
      const x = modelStatus === highs.constants.modelStatus.infeasible ? new Float64Array(0) : model.getSolution().colValue;
      return { status: modelStatus, value: x.length ? evaluate(req.objective, x) : NaN, x };
    } finally {
      for (const r of req.rows ?? []) model.changeRowBounds(at.get(r.row)!, bound(lp.rows[r.row]!.lo), bound(lp.rows[r.row]!.hi));
      for (const c of req.cols ?? []) model.changeColBounds(c.col, bound(lp.lo[c.col]!), bound(lp.hi[c.col]!));
    }
  }

  /** The integer point nearest to x, if it satisfies every row exactly. */
  private integral(x: Float64Array, req: SolveRequest): Float64Array | undefined {
    const y = new Float64Array(x.length);
    // Indicator columns (rule knowledge: "empty or at least k", "few or most") follow from the
    // counts; the relaxation leaves them fractional even when every count is whole.
    const derived = new Set(this.lp.completions.map((c) => c.col));
    for (let i = 0; i < x.length; i++) {
      if (derived.has(i)) continue;
      const r = Math.round(x[i]!);
      if (Math.abs(r - x[i]!) > TOL) return undefined;
      y[i] = r;
    }
    for (const { col, value } of this.lp.completions) y[col] = value(y);
    // Every row and bound, with the ones changed for this solve, exactly.
    return this.lp.satisfies(y, req.rows, req.cols) ? y : undefined;
  }

  solve(req: SolveRequest): Outcome {
    const { highs } = this;
    const status = highs.constants.modelStatus;
    const better = (a: number, b: number) => (req.sense === 'max' ? a >= b - TOL : a <= b + TOL);
    // Relaxations first: cheap, and their optimum is often a vertex with whole numbers. Each is a
    // relaxation of the integer program, so its bound holds for it, and a whole point of it that
    // satisfies every row of the program is the program's optimum.
    let bound: number | undefined;
    let last: Float64Array | undefined;
    for (const kind of ['core', 'lp'] as const) {
      const relaxed = this.run(kind, req);
      if (relaxed.status === status.infeasible) {
        if (!req.exact) return { status: 'infeasible' };
        bound = undefined;
        break;
      }
      if (relaxed.status !== status.optimal) throw new Error(`HiGHS could not solve the relaxation (status ${relaxed.status})`);
      // `+ 0`: never -0 (Math.ceil of a tiny negative number), which JSON would print as 0 anyway.
      bound = (req.sense === 'max' ? Math.floor(relaxed.value + BOUND_TOL) : Math.ceil(relaxed.value - BOUND_TOL)) + 0;
      if (req.target !== undefined && !better(bound, req.target) && !req.exact) return { status: 'unreachable', bound };
      if (req.known && req.known.value === bound) return { status: 'optimal', value: bound, x: req.known.x };
      const x = this.integral(relaxed.x, req);
      if (x && Math.round(evaluate(req.objective, x)) === bound) return { status: 'optimal', value: bound, x };
      last = relaxed.x;
    }
    // A dive: take the rule choices the relaxation leans to (each indicator from its counts), fix
    // them, and solve again. If that reaches the bound with whole numbers, it is the optimum.
    if (bound !== undefined && last && this.lp.completions.length > 0) {
      const rounded = Float64Array.from(last, (v) => Math.round(v));
      const fixed = this.lp.completions.map(({ col, value }) => {
        const v = value(rounded);
        return { col, lo: v, hi: v };
      });
      const dived = this.run('lp', { ...req, cols: [...(req.cols ?? []), ...fixed] });
      if (dived.status === status.optimal) {
        const x = this.integral(dived.x, req);
        if (x && Math.round(evaluate(req.objective, x)) === bound) {
          this.dives++;
          return { status: 'optimal', value: bound, x };
        }
      }
    }
    this.exacts++;
    let exact = this.run('mip', req);
    let x = exact.status === status.optimal || exact.status === status.objectiveTarget ? this.integral(exact.x, req) : undefined;
    if (exact.status !== status.infeasible && !x) {
      // Within HiGHS's tolerances but not exactly (a big indicator coefficient, rounding): solve
      // again with tighter tolerances before giving up.
      const model = this.model('mip');
      model.options.set({ mip_feasibility_tolerance: 1e-10, primal_feasibility_tolerance: 1e-10 });
      try {
        exact = this.run('mip', req);
      } finally {
        model.options.set({ mip_feasibility_tolerance: 1e-6, primal_feasibility_tolerance: 1e-7 });
      }
      x = exact.status === status.optimal || exact.status === status.objectiveTarget ? this.integral(exact.x, req) : undefined;
    }
    if (exact.status === status.infeasible) return { status: 'infeasible' };
    if (exact.status !== status.optimal && exact.status !== status.objectiveTarget) {
      throw new Error(`HiGHS could not solve the integer program (status ${exact.status})`);
    }
    if (!x) throw new Error('HiGHS returned a point that does not satisfy the program exactly');
    const value = Math.round(evaluate(req.objective, x)) + 0;
    if (exact.status === status.objectiveTarget) return { status: 'reached', value, x };
    if (req.target !== undefined && !better(value, req.target)) return { status: 'unreachable', bound: value };
    return { status: 'optimal', value, x };
  }

  dispose(): void {
    for (const model of this.models.values()) model.dispose();
    this.models.clear();
  }
}

export async function createProgram(lp: Lp): Promise<Program> {
  return new Program(await loadSolver(), lp);
}

export type { Highs };
