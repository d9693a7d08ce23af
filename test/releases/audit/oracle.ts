/**
 * An exhaustive oracle for the disclosure audit of §6 rule 8: from a release's JSON alone it
 * enumerates, by brute force and with no solver, every microdata set the release is consistent
 * with, and derives from them the exact interval of every hidden figure and joint cell and every
 * proof of disclosure. It shares no code and no model with src/releases/audit/ (it is the
 * independent check the audit is compared with in exact.test.ts), so it is written for clarity
 * and tiny surveys, not for speed.
 *
 * How the enumeration is kept finite and small (and why that is still every microdata set):
 *
 * - Every figure counts, per question, the respondents of some cohorts (a cohort is a combination
 *   of answers to the active grouping questions). So, for everything here, a microdata set is its
 *   cohort sizes s[j] plus, per question, a table of answers per cohort; and given s the questions
 *   are independent (no figure or rule mixes two questions). We enumerate every s (compositions
 *   of N over the cohorts that fit the shown group sizes), keep those where every question has
 *   at least one table that fits, and ask each question's questions separately for those s.
 * - Within one question, cohorts that no figure, no rule and no asked set tells apart (an
 *   "atom") only matter through their pooled table: any table of an atom's m respondents can be
 *   split among its cohorts in any way (respondents are individuals), and per-cohort tables
 *   always add up to such a table. So a question's tables are enumerated per atom. For
 *   multi-choice an atom's table is (a answered, y_o ticked per option) with y_o ≤ a and
 *   Σ y_o ≥ a, and every such tuple is realisable by a answers that each tick at least one option.
 * - Cohorts in no figure, rule or asked set of a question can always be given some table (a
 *   required question too: everyone ticks or gives the first value), so they are left out.
 */
import { isMarker, type ReleaseJson } from '../../../src/releases/content.js';

export const PREFER_NOT_TO_SAY = 'prefer_not_to_say';

export interface OracleInterval {
  figure: string;
  lo: number;
  hi: number;
}
export type OracleInference = 'count' | 'homogeneity';
export interface OracleProof {
  path: string;
  inference: OracleInference;
  claim: string;
}
export interface OracleReport {
  passed: boolean;
  /** Every marker the audit is about (hidden cells, hidden options, hidden group sizes). */
  intervals: OracleInterval[];
  /** The joint cells of every pair of active grouping questions (and of all, with three or more). */
  joint: OracleInterval[];
  proofs: OracleProof[];
  /** How many cohort-size vectors are consistent with the release (how much work was done). */
  sizeVectors: number;
}
export interface OracleOptions {
  /** Whether readers rely on the rules having been followed (K1–K5); default true. */
  rules?: boolean;
}

/** No microdata set fits the release: its figures contradict each other or the rules. */
export class NoMicrodata extends Error {}

// ---- reading the release ---------------------------------------------------------------------

/** A cell as a reader sees it: null when it is a marker (or absent), else its n and its counts (null: a marker). */
type Seen = { n: number; counts: (number | null)[] } | null;

interface Grouping {
  id: string;
  values: string[];
  /** The shown size of each group (null: a marker). */
  sizes: (number | null)[];
  active: boolean;
}

interface Choice {
  id: string;
  kind: 'single' | 'multi';
  values: string[];
  required: boolean;
  overall: Seen;
  /** Per grouping question id: the cell of each of its values, in its order. */
  byGroup: Map<string, Seen[]>;
}

type QuestionJson = ReleaseJson['questions'][number];

function valuesOf(q: QuestionJson): string[] {
  if (q.type === 'likert') return ['1', '2', '3', '4', '5'];
  if (q.type === 'rating') {
    if (q.min === undefined || q.max === undefined) throw new Error(`${q.id}: a rating without min and max`);
    return Array.from({ length: q.max - q.min + 1 }, (_, i) => String(q.min! + i));
  }
  if (q.type === 'text') return [];
  if (!q.options) throw new Error(`${q.id}: no options`);
  return q.grouping ? [...q.options, PREFER_NOT_TO_SAY] : [...q.options];
}

function seen(cell: unknown, values: readonly string[]): Seen {
  if (cell === undefined || isMarker(cell)) return null;
  const c = cell as { n: number; counts: Record<string, number | { suppressed: true }> };
  return {
    n: c.n,
    counts: values.map((v) => {
      const x = c.counts[v];
      if (x === undefined) throw new Error(`a cell without a count for ${v}`);
      return isMarker(x) ? null : x;
    }),
  };
}

// ---- enumeration helpers ---------------------------------------------------------------------

/** One atom's pooled table: a answered; x per value (single: gave it; multi: ticked it). */
interface Table {
  a: number;
  x: number[];
}

const tablesMemo = new Map<string, Table[]>();

/** Every table m respondents can give a question with V values. */
function tablesOf(kind: 'single' | 'multi', V: number, required: boolean, m: number): Table[] {
  const key = `${kind}:${V}:${required}:${m}`;
  let out = tablesMemo.get(key);
  if (out) return out;
  out = [];
  const x = new Array<number>(V).fill(0);
  if (kind === 'single') {
    // x_1 + … + x_V = a ≤ m (a = m when nobody may skip).
    const rec = (v: number, left: number) => {
      if (v === V) {
        const a = x.reduce((p, q) => p + q, 0);
        if (!required || a === m) out!.push({ a, x: [...x] });
        return;
      }
      for (let t = 0; t <= left; t++) {
        x[v] = t;
        rec(v + 1, left - t);
      }
      x[v] = 0;
    };
    rec(0, m);
  } else {
    // a answered (a = m when required); each option ticked by 0..a; everyone who answered ticked one.
    for (let a = required ? m : 0; a <= m; a++) {
      const rec = (v: number) => {
        if (v === V) {
          if (x.reduce((p, q) => p + q, 0) >= a) out!.push({ a, x: [...x] });
          return;
        }
        for (let t = 0; t <= a; t++) {
          x[v] = t;
          rec(v + 1);
        }
        x[v] = 0;
      };
      rec(0);
    }
  }
  tablesMemo.set(key, out);
  return out;
}

const projectedMemo = new Map<string, Table[]>();

/**
 * The same tables, told apart only by their answered count and the counts of the values in
 * `kept`: the other counts are read by no figure, no rule and no asked set, so tables that differ
 * only there are interchangeable (one stands for all).
 */
function tablesKept(kind: 'single' | 'multi', V: number, required: boolean, m: number, kept: readonly boolean[]): Table[] {
  const key = `${kind}:${V}:${required}:${m}:${kept.map(Number).join('')}`;
  let out = projectedMemo.get(key);
  if (out) return out;
  const seenKeys = new Set<string>();
  out = [];
  for (const t of tablesOf(kind, V, required, m)) {
    const k = indexKey(t.a, t.x, kept);
    if (seenKeys.has(k)) continue;
    seenKeys.add(k);
    out.push(t);
  }
  projectedMemo.set(key, out);
  return out;
}

const indexMemo = new Map<string, Map<string, Table[]>>();

/** Those tables, indexed by their answered count and their counts of the values in `by` (a subset of `kept`). */
function tablesIndexed(kind: 'single' | 'multi', V: number, required: boolean, m: number, kept: readonly boolean[], by: readonly boolean[]): Map<string, Table[]> {
  const key = `${kind}:${V}:${required}:${m}:${kept.map(Number).join('')}:${by.map(Number).join('')}`;
  let index = indexMemo.get(key);
  if (index) return index;
  index = new Map();
  for (const t of tablesKept(kind, V, required, m, kept)) {
    const k = indexKey(t.a, t.x, by);
    let list = index.get(k);
    if (!list) index.set(k, (list = []));
    list.push(t);
  }
  indexMemo.set(key, index);
  return index;
}

const indexKey = (a: number, x: readonly number[], shown: readonly boolean[]) => `${a}:${x.filter((_, v) => shown[v]).join(',')}`;

// ---- one question ----------------------------------------------------------------------------

/** A published cell of a question: its respondents must give exactly its n and its shown counts. */
interface Cell {
  cohorts: number[];
  n: number;
  counts: (number | null)[];
}

interface Model {
  q: Choice;
  V: number;
  cells: Cell[];
  /** K1 and K2: at least one of these cells has min(y, n − y) ≤ c for option v. */
  few: { cells: number[]; v: number }[];
  /** K3: the joint groups over the question's published breakdowns (empty unless two or more). */
  joint: number[][];
  /** K3: the values whose diversity the joint cells are known to have. */
  jointValues: number[];
  /**
   * K5 (rule 3): per published breakdown with hidden groups, the cohorts of each hidden group; the
   * hidden groups with respondents are none or at least two, with k together and a diverse pool.
   */
  pools: number[][][];
  /** K5: the values whose pooled diversity is known (single: all; multi: those the overall shows). */
  poolValues: number[];
}

/** Cohorts a question's figures, rules and one asked set treat alike: their tables pool (see top). */
interface Atom {
  cohorts: number[];
  cells: number[];
  joint: number;
  /** Per pool of m.pools: the hidden group this atom's cohorts are in (-1: none). */
  pools: number[];
  inS: boolean;
}

function atomsOf(m: Model, cohortCount: number, S: readonly number[] | null): Atom[] {
  const inS = new Set(S ?? []);
  const bySignature = new Map<string, Atom>();
  for (let j = 0; j < cohortCount; j++) {
    const cells = m.cells.flatMap((cell, i) => (cell.cohorts.includes(j) ? [i] : []));
    const joint = m.joint.findIndex((g) => g.includes(j));
    const pools = m.pools.map((groups) => groups.findIndex((g) => g.includes(j)));
    const s = inS.has(j);
    // Nothing asks about these respondents' answers and nothing constrains them: any table fits.
    if (cells.length === 0 && joint < 0 && pools.every((p) => p < 0) && !s) continue;
    const signature = `${cells.join(',')}|${joint}|${pools.join(',')}|${s}`;
    const atom = bySignature.get(signature);
    if (atom) atom.cohorts.push(j);
    else bySignature.set(signature, { cohorts: [j], cells, joint, pools, inS: s });
  }
  return [...bySignature.values()];
}

interface Settings {
  k: number;
  c: number;
}

/**
 * Every (n, counts) the set S (the atoms marked inS) can have over the question's tables that fit
 * the cohort sizes s, as "n,x1,x2,…" strings; null when no table fits.
 *
 * The atoms' tables are chosen one atom after the other. What has been chosen so far matters
 * only through the running sums that figures, rules and S read (a "state"), so equal states are
 * kept once: this enumerates every combination of tables, up to what nobody can tell apart.
 */
function tablesFitting(m: Model, atoms: readonly Atom[], s: readonly number[], { k, c }: Settings): Set<string> | null {
  const { V, cells, q } = m;
  const capOf = (cohorts: readonly number[]) => cohorts.reduce((sum, j) => sum + s[j]!, 0);
  const live = atoms.map((atom) => ({ atom, cap: capOf(atom.cohorts) })).filter((x) => x.cap > 0);
  // A published cell none of whose cohorts has anyone must show nothing.
  const last = cells.map(() => -1);
  live.forEach(({ atom }, i) => atom.cells.forEach((ci) => (last[ci] = i)));
  for (let ci = 0; ci < cells.length; ci++) if (last[ci] === -1 && cells[ci]!.n !== 0) return null;
  const jointCap = m.joint.map(capOf);

  // The running sums: per published cell its n and the counts something reads (shown ones, and
  // hidden options K1/K2 speak of); per K3 joint group its n and the counts K3 reads; S in full.
  let dims = 0;
  const hi: number[] = [];
  const dim = (bound: number) => (hi.push(bound), dims++);
  const cellN = cells.map((cell) => dim(cell.n));
  const cellX = cells.map((cell, ci) =>
    cell.counts.map((x, v) => (x !== null ? dim(x) : m.few.some((f) => f.v === v && f.cells.includes(ci)) ? dim(cell.n) : -1)),
  );
  const jointN = m.joint.map(() => dim(Infinity));
  const jointX = m.joint.map(() => m.q.values.map((_, v) => (m.jointValues.includes(v) ? dim(Infinity) : -1)));
  const poolN = m.pools.map((groups) => groups.map(() => dim(Infinity)));
  const poolX = m.pools.map(() => m.q.values.map((_, v) => (m.poolValues.includes(v) ? dim(Infinity) : -1)));
  const sN = dim(Infinity);
  const sX = m.q.values.map(() => dim(Infinity));

  let states = new Map<string, number[]>([['', new Array<number>(dims).fill(0)]]);
  for (let i = 0; i < live.length; i++) {
    const { atom, cap } = live[i]!;
    // Where this atom's table goes: (dimension, -1 for its answered count or the value it counts).
    const targets: [number, number][] = [];
    for (const ci of atom.cells) {
      targets.push([cellN[ci]!, -1]);
      cellX[ci]!.forEach((d, v) => d >= 0 && targets.push([d, v]));
    }
    if (atom.joint >= 0) {
      targets.push([jointN[atom.joint]!, -1]);
      jointX[atom.joint]!.forEach((d, v) => d >= 0 && targets.push([d, v]));
    }
    atom.pools.forEach((g, p) => {
      if (g < 0) return;
      targets.push([poolN[p]![g]!, -1]);
      poolX[p]!.forEach((d, v) => d >= 0 && targets.push([d, v]));
    });
    if (atom.inS) {
      targets.push([sN, -1]);
      sX.forEach((d, v) => targets.push([d, v]));
    }
    const kept = m.q.values.map((_, v) => targets.some(([, w]) => w === v));
    // Cells this atom completes: their sums must come out exactly as shown.
    const done = atom.cells.filter((ci) => last[ci] === i);
    const exact = done.flatMap((ci) => [cellN[ci]!, ...cells[ci]!.counts.flatMap((x, v) => (x !== null ? [cellX[ci]![v]!] : []))]);
    const by = done.length > 0 ? cells[done[0]!]!.counts.map((x) => x !== null) : null;
    const next = new Map<string, number[]>();
    for (const state of states.values()) {
      let candidates: Table[];
      if (by) {
        // Only the tables that give the first completed cell exactly what it still lacks.
        const ci = done[0]!;
        const lackN = cells[ci]!.n - state[cellN[ci]!]!;
        const lackX = cells[ci]!.counts.map((x, v) => (x === null ? 0 : x - state[cellX[ci]![v]!]!));
        candidates = tablesIndexed(q.kind, V, q.required, cap, kept, by).get(indexKey(lackN, lackX, by)) ?? [];
      } else candidates = tablesKept(q.kind, V, q.required, cap, kept);
      for (const t of candidates) {
        const after = [...state];
        let ok = true;
        for (const [d, v] of targets) {
          after[d]! += v < 0 ? t.a : t.x[v]!;
          if (after[d]! > hi[d]!) ok = false;
        }
        if (!ok || exact.some((d) => after[d] !== hi[d])) continue;
        const key = after.join(',');
        if (!next.has(key)) next.set(key, after);
      }
    }
    if (next.size === 0) return null;
    states = next;
  }

  // The rules every reader knows, on the finished sums.
  const out = new Set<string>();
  for (const state of states.values()) {
    const few = m.few.every((f) => f.cells.some((ci) => Math.min(state[cellX[ci]![f.v]!]!, cells[ci]!.n - state[cellX[ci]![f.v]!]!) <= c));
    if (!few) continue;
    const joint = m.joint.every((_, t) => {
      if (jointCap[t] === 0) return true;
      const n = state[jointN[t]!]!;
      if (n < k) return false;
      return m.jointValues.every((v) => {
        const x = state[jointX[t]![v]!]!;
        return q.kind === 'single' ? n - x >= c + 1 : Math.min(x, n - x) >= c + 1;
      });
    });
    if (!joint) continue;
    const pooled = m.pools.every((groups, p) => {
      const ns = groups.map((_, g) => state[poolN[p]![g]!]!);
      const occupied = ns.filter((n) => n > 0).length;
      const n = ns.reduce((a, b) => a + b, 0);
      if (occupied === 0) return true;
      if (occupied === 1 || n < k) return false;
      return m.poolValues.every((v) => {
        const x = state[poolX[p]![v]!]!;
        return q.kind === 'single' ? n - x >= c + 1 : Math.min(x, n - x) >= c + 1;
      });
    });
    if (!pooled) continue;
    out.add(`${state[sN]},${sX.map((d) => state[d]).join(',')}`);
  }
  return out.size > 0 ? out : null;
}

// ---- the tests of one set --------------------------------------------------------------------

type Polarity = 'gave' | 'ticked' | 'unticked';

/**
 * The two tests of rule 8 on one side of one value, over the values (n, counts) the set can have
 * (each tuple is [n, x1, x2, …]). F1 is where the set has respondents.
 */
function sideTests(tuples: readonly number[][], v: number, polarity: Polarity, { k, c }: Settings): { count: boolean; pinnedAt?: number; homogeneity: boolean } {
  const f1 = tuples.filter((t) => t[0]! >= 1);
  if (f1.length === 0) return { count: false, homogeneity: false };
  const small = Math.max(...tuples.map((t) => t[0]!)) < k;
  const side = (t: readonly number[]) => sideOf(t, v, polarity);
  const values = f1.map(side);
  const count = small && Math.min(...values) === Math.max(...values);
  return {
    count,
    ...(count ? { pinnedAt: values[0]! } : {}),
    homogeneity: Math.max(...f1.map((t) => t[0]! - side(t))) <= c && Math.min(...values) >= 1,
  };
}

/** A side's count in a tuple [n, x1, x2, …]: gave or ticked value v, or left it unticked. */
const sideOf = (t: readonly number[], v: number, polarity: Polarity) => (polarity === 'unticked' ? t[0]! - t[1 + v]! : t[1 + v]!);

/** A set of the same question around a tested one: what it shows (null: hidden), and every (n, counts) it can have. */
interface Around {
  cohorts: readonly number[];
  shown: Seen;
  values: readonly number[][];
}

// ---- the oracle ------------------------------------------------------------------------------

export function oracle(release: ReleaseJson, options: OracleOptions = {}): OracleReport {
  const rules = options.rules !== false;
  if (isMarker(release.respondents)) throw new Error('the oracle needs the respondent count');
  if (release.releases.length > 0) throw new Error('the oracle does not read earlier releases');
  const N = release.respondents.n;
  const settings: Settings = { k: release.minGroupSize, c: release.minDiversity };
  const { k, c } = settings;

  // Grouping questions, then the other choice questions (text questions are out of scope).
  const groupings: Grouping[] = [];
  for (const q of release.questions) {
    if (q.type === 'text' || !q.grouping) continue;
    const values = valuesOf(q);
    const sizes = seen(q.overall, values);
    groupings.push({ id: q.id, values, sizes: sizes ? sizes.counts : values.map(() => null), active: false });
  }
  const choices: Choice[] = [];
  for (const q of release.questions) {
    if (q.type === 'text' || q.grouping) continue;
    const values = valuesOf(q);
    const byGroup = new Map<string, Seen[]>();
    for (const g of groupings) {
      const groups = q.breakdowns[g.id] ?? [];
      byGroup.set(
        g.id,
        g.values.map((value) => seen(groups.find((x) => x.group === value), values)),
      );
    }
    for (const id of Object.keys(q.breakdowns)) if (!groupings.some((g) => g.id === id)) throw new Error(`${q.id}: a breakdown by ${id}`);
    choices.push({ id: q.id, kind: q.type === 'multi_choice' ? 'multi' : 'single', values, required: q.required, overall: seen(q.overall, values), byGroup });
  }
  // Active: its own distribution shows a number, or some breakdown by it publishes a group.
  for (const g of groupings) g.active = g.sizes.some((x) => x !== null) || choices.some((q) => q.byGroup.get(g.id)!.some((cell) => cell !== null));
  const active = groupings.filter((g) => g.active);
  let tuples: number[][] = [[]];
  for (const g of active) tuples = tuples.flatMap((t) => g.values.map((_, v) => [...t, v]));
  const J = tuples.length;
  const where = (combo: readonly [number, number][]) => tuples.flatMap((t, j) => (combo.every(([a, v]) => t[a] === v) ? [j] : []));
  const all = tuples.map((_, j) => j);
  const shownSizes = active.flatMap((g, a) => (g.sizes.some((x) => x !== null) ? [a] : []));

  // ---- the rules every reader knows, per question (K1–K3), and its published cells ----
  const models: Model[] = choices.map((q) => {
    const V = q.values.length;
    const cells: Cell[] = [];
    const few: Model['few'] = [];
    if (q.overall) {
      cells.push({ cohorts: all, ...q.overall });
      if (rules && q.kind === 'multi') q.overall.counts.forEach((x, v) => x === null && few.push({ cells: [0], v }));
    }
    const cuts: number[] = [];
    const shownByBreakdowns = new Set<number>();
    active.forEach((g, a) => {
      const groups = q.byGroup.get(g.id)!;
      if (groups.some((cell) => cell !== null)) cuts.push(a);
      const at = new Map<number, number>();
      groups.forEach((cell, value) => {
        if (!cell) return;
        at.set(value, cells.length);
        cells.push({ cohorts: where([[a, value]]), ...cell });
        cell.counts.forEach((x, v) => x !== null && shownByBreakdowns.add(v));
      });
      if (rules && q.kind === 'multi') {
        for (let v = 0; v < V; v++) {
          const hiddenIn = [...at].flatMap(([value, ci]) => (groups[value]!.counts[v] === null ? [ci] : []));
          if (hiddenIn.length > 0) few.push({ cells: hiddenIn, v });
        }
      }
    });
    let joint: number[][] = [];
    if (rules && cuts.length >= 2) {
      let combos: [number, number][][] = [[]];
      for (const a of cuts) combos = combos.flatMap((cb) => active[a]!.values.map((_, v) => [...cb, [a, v] as [number, number]]));
      joint = combos.map((cb) => where(cb));
    }
    const jointValues = q.kind === 'single' ? q.values.map((_, v) => v) : [...shownByBreakdowns].sort((x, y) => x - y);
    // K5 (rule 3) on every published breakdown with hidden groups.
    const pools: number[][][] = [];
    if (rules) {
      for (const a of cuts) {
        const groups = q.byGroup.get(active[a]!.id)!;
        const hidden = groups.flatMap((cell, value) => (cell === null ? [value] : []));
        if (hidden.length > 0) pools.push(hidden.map((value) => where([[a, value]])));
      }
    }
    const poolValues = q.kind === 'single' ? q.values.map((_, v) => v) : q.overall ? q.overall.counts.flatMap((x, v) => (x === null ? [] : [v])) : [];
    return { q, V, cells, few, joint, jointValues, pools, poolValues };
  });

  // ---- every cohort-size vector that fits the shown sizes ----
  // To prune early, also what each published cell implies on its own (its respondents number at
  // least its n, exactly n when nobody may skip): the full check per question comes after.
  const sums: { cohorts: number[]; lo: number; hi: number }[] = [];
  active.forEach((g, a) => g.sizes.forEach((x, v) => x !== null && sums.push({ cohorts: where([[a, v]]), lo: x, hi: x })));
  for (const m of models) for (const cell of m.cells) sums.push({ cohorts: cell.cohorts, lo: cell.n, hi: m.q.required ? cell.n : N });
  const lastOf = sums.map((x) => Math.max(...x.cohorts, -1));
  const sumsAt = tuples.map((_, j) => sums.flatMap((x, i) => (x.cohorts.includes(j) ? [i] : [])));
  const candidates: number[][] = [];
  {
    const s = new Array<number>(J).fill(0);
    const partial = sums.map(() => 0);
    const rec = (j: number, left: number) => {
      if (j === J) {
        if (left === 0) candidates.push([...s]);
        return;
      }
      for (let t = j === J - 1 ? left : 0; t <= left; t++) {
        s[j] = t;
        let ok = true;
        for (const i of sumsAt[j]!) {
          partial[i]! += t;
          if (partial[i]! > sums[i]!.hi || (lastOf[i] === j && partial[i]! < sums[i]!.lo)) ok = false;
        }
        if (ok) rec(j + 1, left - t);
        for (const i of sumsAt[j]!) partial[i]! -= t;
      }
      s[j] = 0;
    };
    rec(0, N);
  }

  // K4 (every non-empty joint group over the grouping questions whose sizes show has k), then:
  // every question has a table that fits (its figures, K1–K3), decided once per atom sizes.
  const feasible = models.map(() => new Map<string, boolean>());
  const constraintAtoms = models.map((m) => atomsOf(m, J, null));
  const capsKey = (atoms: readonly Atom[], s: readonly number[]) => atoms.map((atom) => atom.cohorts.reduce((sum, j) => sum + s[j]!, 0)).join(',');
  const k4Groups: number[][] = [];
  if (rules && shownSizes.length >= 2) {
    let combos: [number, number][][] = [[]];
    for (const a of shownSizes) combos = combos.flatMap((cb) => active[a]!.values.map((_, v) => [...cb, [a, v] as [number, number]]));
    for (const cb of combos) k4Groups.push(where(cb));
  }
  // K5 (rule 3) on every size distribution that shows a number: its hidden groups with
  // respondents are none, or at least two with k together, none holding all but c of them.
  const sizePools: number[][][] = [];
  if (rules) {
    active.forEach((g, a) => {
      if (!g.sizes.some((x) => x !== null)) return;
      const hidden = g.values.flatMap((_, v) => (g.sizes[v] === null ? [v] : []));
      if (hidden.length > 0) sizePools.push(hidden.map((v) => where([[a, v]])));
    });
  }
  const consistent = candidates.filter((s) => {
    for (const g of k4Groups) {
      const size = g.reduce((sum, j) => sum + s[j]!, 0);
      if (size > 0 && size < k) return false;
    }
    for (const groups of sizePools) {
      const sizes = groups.map((g) => g.reduce((sum, j) => sum + s[j]!, 0));
      const pool = sizes.reduce((a, b) => a + b, 0);
      const occupied = sizes.filter((n) => n > 0).length;
      if (occupied === 1 || (occupied > 0 && (pool < k || sizes.some((n) => pool - n < c + 1)))) return false;
    }
    return models.every((m, i) => {
      const key = capsKey(constraintAtoms[i]!, s);
      let ok = feasible[i]!.get(key);
      if (ok === undefined) feasible[i]!.set(key, (ok = tablesFitting(m, constraintAtoms[i]!, s, settings) !== null));
      return ok;
    });
  });
  if (consistent.length === 0) throw new NoMicrodata('no microdata set fits the release');

  /** Every (n, counts) of question m's respondents in cohorts S, over all consistent microdata. */
  const cellValues = (m: Model, S: readonly number[]): number[][] => {
    const atoms = atomsOf(m, J, S);
    const done = new Set<string>();
    const out = new Set<string>();
    for (const s of consistent) {
      const key = capsKey(atoms, s);
      if (done.has(key)) continue;
      done.add(key);
      for (const t of tablesFitting(m, atoms, s, settings) ?? []) out.add(t);
    }
    return [...out].map((t) => t.split(',').map(Number));
  };
  const range = (xs: readonly number[]) => ({ lo: Math.min(...xs), hi: Math.max(...xs) });

  const intervals: OracleInterval[] = [];
  const joint: OracleInterval[] = [];
  const proofs: OracleProof[] = [];

  /** Baseline: N, the definition and `required` only: the set holds 0..N respondents (all N when it is everyone). */
  const baseline = (m: Model, S: readonly number[]): number[][] => {
    const sizes = S.length === J ? [N] : Array.from({ length: N + 1 }, (_, i) => i);
    return sizes.flatMap((size) => tablesOf(m.q.kind, m.V, m.q.required, size).map((t) => [t.a, ...t.x]));
  };

  /**
   * A count pinned at 0 in a small set is not a proof when a set around it (same question: the
   * overall cell, a group, a pool of hidden groups) with k respondents for sure gives it to
   * nobody: shown as 0 in a published cell of n ≥ k, or 0 in every microdata set for one hidden.
   */
  const inheritedZero = (v: number, polarity: Polarity, around: readonly Around[]) =>
    around.some((t) =>
      t.shown
        ? t.shown.n >= k && polarity !== 'unticked' && t.shown.counts[v] === 0
        : Math.max(...t.values.map((x) => sideOf(x, v, polarity))) === 0 && Math.min(...t.values.map((x) => x[0]!)) >= k,
    );

  /** The rule 8 tests of one set of question m, hidden values in order, ticked before unticked. */
  const testSet = (m: Model, path: string, S: readonly number[], values: readonly number[][], hidden: readonly number[], around: readonly Around[] = []) => {
    for (const v of hidden) {
      const polarities: Polarity[] = m.q.kind === 'multi' ? ['ticked', 'unticked'] : ['gave'];
      for (const polarity of polarities) {
        const tests = sideTests(values, v, polarity, settings);
        if (tests.count && tests.pinnedAt === 0 && inheritedZero(v, polarity, around)) tests.count = false;
        const inference: OracleInference | undefined = tests.count ? 'count' : tests.homogeneity ? 'homogeneity' : undefined;
        if (!inference) continue;
        // What the definition and the respondent count alone imply is not a disclosure: the proof
        // is dropped when the same test succeeds on the baseline. (Read as "the whole test ends
        // with the same inference" it is the same here: no set of the baseline is small unless
        // N < k, and then rule 5 publishes nothing.)
        if (sideTests(baseline(m, S), v, polarity, settings)[inference]) return;
        const what = `${polarity === 'gave' ? 'gave' : polarity === 'ticked' ? 'ticked' : 'left unticked'} ${m.q.values[v]}`;
        proofs.push({ path, inference, claim: inference === 'count' ? `how many of ${path} ${what} is known` : `all but at most ${c} of ${path} ${what}` });
        return;
      }
    }
  };

  const everyValue = (m: Model) => m.q.values.map((_, v) => v);
  const hiddenOf = (m: Model, cell: Seen) => (cell === null ? everyValue(m) : cell.counts.flatMap((x, v) => (x === null ? [v] : [])));
  // Joint cells: every pair of active grouping questions, and all of them together when there are
  // three or more (for group sizes too, where the brief names pairs only: with at most two
  // grouping questions, as in the tests, it is the same).
  const jointSubsets: number[][] = [];
  for (let a = 0; a < active.length; a++) for (let b = a + 1; b < active.length; b++) jointSubsets.push([a, b]);
  if (active.length >= 3) jointSubsets.push(active.map((_, a) => a));
  const combosOf = (subset: readonly number[]) => {
    let combos: [number, number][][] = [[]];
    for (const a of subset) combos = combos.flatMap((cb) => active[a]!.values.map((_, v) => [...cb, [a, v] as [number, number]]));
    return combos;
  };
  const jointName = (combo: readonly [number, number][]) => combo.map(([a, v]) => `${active[a]!.id}=${active[a]!.values[v]}`).join('&');

  // ---- question sets ----
  for (const m of models) {
    const { q } = m;
    const figures = (path: string, values: number[][], cell: Seen, into: OracleInterval[]) => {
      if (cell === null) into.push({ figure: `${path}.n`, ...range(values.map((t) => t[0]!)) });
      for (const v of hiddenOf(m, cell)) into.push({ figure: `${path}.counts.${q.values[v]}`, ...range(values.map((t) => t[1 + v]!)) });
    };
    // The overall cell, every group of every active grouping question, and the pool of a
    // published breakdown's hidden groups: their values first (each is "around" the others).
    const sets: { path: string; S: number[]; cell: Seen; hidden: number[]; figure: boolean }[] = [{ path: `${q.id}.overall`, S: all, cell: q.overall, hidden: hiddenOf(m, q.overall), figure: true }];
    active.forEach((g, a) => {
      const groups = q.byGroup.get(g.id)!;
      groups.forEach((cell, value) => sets.push({ path: `${q.id}.breakdowns.${g.id}[${g.values[value]}]`, S: where([[a, value]]), cell, hidden: hiddenOf(m, cell), figure: true }));
      const hiddenGroups = groups.flatMap((cell, value) => (cell === null ? [value] : []));
      if (groups.some((cell) => cell !== null) && hiddenGroups.length >= 2) {
        sets.push({ path: `${q.id}.breakdowns.${g.id}[pool]`, S: tuples.flatMap((t, j) => (hiddenGroups.includes(t[a]!) ? [j] : [])), cell: null, hidden: everyValue(m), figure: false });
      }
    });
    const valued = sets.map((x) => ({ ...x, values: cellValues(m, x.S) }));
    const aroundOf = (S: readonly number[], self?: string): Around[] =>
      valued.filter((t) => t.path !== self && S.every((j) => t.S.includes(j))).map((t) => ({ cohorts: t.S, shown: t.cell, values: t.values }));
    for (const x of valued) {
      if (x.figure) figures(x.path, x.values, x.cell, intervals);
      testSet(m, x.path, x.S, x.values, x.hidden, aroundOf(x.S, x.path));
    }
    // Joint cells.
    const cuts = active.flatMap((g, a) => (q.byGroup.get(g.id)!.some((cell) => cell !== null) ? [a] : []));
    const shownByBreakdowns = new Set<number>();
    for (const a of cuts) for (const cell of q.byGroup.get(active[a]!.id)!) cell?.counts.forEach((x, v) => x !== null && shownByBreakdowns.add(v));
    for (const subset of jointSubsets) {
      const underK3 = rules && subset.every((a) => cuts.includes(a));
      const tested = !underK3 ? everyValue(m) : q.kind === 'single' ? [] : everyValue(m).filter((v) => !shownByBreakdowns.has(v));
      for (const combo of combosOf(subset)) {
        const path = `${q.id}.joint[${jointName(combo)}]`;
        const S = where(combo);
        const values = cellValues(m, S);
        figures(path, values, null, joint);
        testSet(m, path, S, values, tested, aroundOf(S));
      }
    }
  }

  // ---- group-size sets ----
  // Every group of an active grouping question (its size a marker or not), the pool of a
  // distribution's hidden groups, and the joint groups. Count proofs: a set that is always small
  // (and whose size is not shown, nor covered by K4) whose size, or split by another grouping
  // question, is known. Then homogeneity: all but at most c of the set gave one answer to another
  // grouping question (and at least one did), which rule 2 would hide in any distribution.
  const sizeSets: { path: string; cohorts: number[]; own: number[]; figure: boolean; countTested: boolean }[] = [];
  active.forEach((g, a) => {
    const hidden = g.values.flatMap((_, v) => (g.sizes[v] === null ? [v] : []));
    g.values.forEach((value, v) => sizeSets.push({ path: `${g.id}.overall.counts.${value}`, cohorts: where([[a, v]]), own: [a], figure: hidden.includes(v), countTested: hidden.includes(v) }));
    if (hidden.length >= 2) sizeSets.push({ path: `${g.id}.overall[pool]`, cohorts: tuples.flatMap((t, j) => (hidden.includes(t[a]!) ? [j] : [])), own: [a], figure: false, countTested: true });
  });
  for (const subset of jointSubsets) {
    const underK4 = rules && subset.every((a) => shownSizes.includes(a));
    for (const combo of combosOf(subset)) sizeSets.push({ path: `joint[${jointName(combo)}]`, cohorts: where(combo), own: subset, figure: false, countTested: !underK4 });
  }
  for (const set of sizeSets) {
    // Per consistent s: the set's size, then how it splits by every other active grouping question.
    const splits: number[][] = [set.cohorts];
    active.forEach((g, b) => {
      if (set.own.includes(b)) return;
      g.values.forEach((_, h) => splits.push(set.cohorts.filter((j) => tuples[j]![b] === h)));
    });
    const values = [...new Set(consistent.map((s) => splits.map((cs) => cs.reduce((sum, j) => sum + s[j]!, 0)).join(',')))].map((t) => t.split(',').map(Number));
    if (set.figure) intervals.push({ figure: set.path, ...range(values.map((t) => t[0]!)) });
    const f1 = values.filter((t) => t[0]! >= 1);
    if (f1.length === 0) continue;
    if (set.countTested && Math.max(...values.map((t) => t[0]!)) < k) {
      const pinned = splits.findIndex((_, i) => new Set(f1.map((t) => t[i])).size === 1);
      if (pinned >= 0) {
        proofs.push({ path: set.path, inference: 'count', claim: `${set.path} has 1 to ${k - 1} respondents and its count ${pinned} is known` });
        continue;
      }
    }
    const homogeneous = splits.findIndex((_, i) => i > 0 && Math.max(...f1.map((t) => t[0]! - t[i]!)) <= c && Math.min(...f1.map((t) => t[i]!)) >= 1);
    if (homogeneous > 0) proofs.push({ path: set.path, inference: 'homogeneity', claim: `all but at most ${c} of ${set.path} gave the same answer ${homogeneous}` });
  }

  return { passed: proofs.length === 0, intervals, joint, proofs, sizeVectors: consistent.length };
}
