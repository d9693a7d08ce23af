/**
 * Properties of the releases (§6) over random tables and random sequences of releases: random
 * definitions (k, c, one or two grouping questions, Likert / rating / single / multi-choice
 * questions, comments), random responses with skips, empty and tiny groups and lopsided answers,
 * released as interim releases at increasing sizes and then a final release. Every published
 * figure is checked against the truth counted straight from the generated rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeRelease, isMarker, type FigureCell, type GroupCell, type PublishedCell, type ReleaseContent } from '../../src/releases/compute.js';
import { PREFER_NOT_TO_SAY, type Question, type ResolvedDefinition } from '../../src/surveys/definition.js';
import { aggregatesOf, definition, diverse, grouping, inGroupOf, likert, multi, rating, single, text, trueCell, type Release, type Row } from './table.js';

// ---------------------------------------------------------------------------------------------
// Random tables

interface GenQuestion {
  kind: 'likert' | 'rating' | 'single' | 'multi';
  /** Options of a choice question, or the top of a 0..size rating. */
  size: number;
  /** Relative weight of each value (multi-choice: chance in tenths that each option is chosen). */
  weights: number[];
  /** Percentage of respondents who skip the question. */
  skip: number;
}
interface Gen {
  k: number;
  c: number;
  /** Per grouping question, the weight of each option, then of prefer_not_to_say. */
  groupings: number[][];
  questions: GenQuestion[];
  comments: boolean;
}

/** Weights with zeros among them: empty groups, options nobody chooses, everybody alike. */
const weights = (length: number) =>
  fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 10 }) }), { minLength: length, maxLength: length });

const genArb: fc.Arbitrary<Gen> = fc.record({
  k: fc.integer({ min: 3, max: 5 }),
  c: fc.integer({ min: 1, max: 2 }),
  groupings: fc.array(
    fc.integer({ min: 2, max: 4 }).chain((options) => weights(options + 1)),
    { minLength: 1, maxLength: 2 },
  ),
  questions: fc.array(
    fc.record({
      kind: fc.constantFrom('likert' as const, 'rating' as const, 'single' as const, 'multi' as const),
      size: fc.integer({ min: 2, max: 4 }),
      weights: weights(5),
      skip: fc.constantFrom(0, 10, 40),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  comments: fc.boolean(),
});

const options = (prefix: string, n: number) => Array.from({ length: n }, (_, j) => `${prefix}o${j}`);

function definitionOf(gen: Gen): ResolvedDefinition {
  const questions: Question[] = gen.groupings.map((w, i) => grouping(`g${i}`, options(`g${i}`, w.length - 1)));
  gen.questions.forEach((q, i) => {
    const id = `q${i}`;
    if (q.kind === 'likert') questions.push(likert(id));
    else if (q.kind === 'rating') questions.push(rating(id, 0, q.size));
    else if (q.kind === 'single') questions.push(single(id, options(id, q.size)));
    else questions.push(multi(id, options(id, q.size)));
  });
  if (gen.comments) questions.push(text('comments'));
  return definition(questions, { k: gen.k, c: gen.c, interim: true });
}

/** Index chosen by weight from a random number, or undefined when every weight is zero. */
function pick(w: readonly number[], u: number): number | undefined {
  const total = w.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  let r = u % total;
  for (let j = 0; j < w.length; j++) {
    if (r < w[j]!) return j;
    r -= w[j]!;
  }
  return undefined;
}

/** One response, decoded from a list of random numbers. */
function rowOf(gen: Gen, nums: readonly number[]): Row {
  let i = 0;
  const next = () => nums[i++ % nums.length]!;
  const row: Row = {};
  gen.groupings.forEach((w, g) => {
    const j = pick(w, next());
    const fromSkip = next() % 2 === 0;
    // prefer_not_to_say is chosen or the question skipped: one group either way.
    row[`g${g}`] = j === undefined || j === w.length - 1 ? (fromSkip ? undefined : PREFER_NOT_TO_SAY) : `g${g}o${j}`;
  });
  gen.questions.forEach((q, n) => {
    const id = `q${n}`;
    const skip = next() % 100 < q.skip;
    if (q.kind === 'multi') {
      const chosen = options(id, q.size).filter((_, j) => next() % 10 < q.weights[j]!);
      if (!skip) row[id] = chosen;
      return;
    }
    const values = q.kind === 'likert' ? 5 : q.kind === 'rating' ? q.size + 1 : q.size;
    const j = pick(q.weights.slice(0, values), next());
    if (skip || j === undefined) return;
    row[id] = q.kind === 'likert' ? j + 1 : q.kind === 'rating' ? j : `${id}o${j}`;
  });
  if (gen.comments && next() % 3 === 0) row.comments = 'A comment.';
  return row;
}

interface Scenario {
  gen: Gen;
  def: ResolvedDefinition;
  rows: Row[];
  /** Sizes of the interim releases (non-decreasing), then the final release at rows.length. */
  sizes: number[];
  seed: number;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    gen: genArb,
    raw: fc.array(fc.array(fc.nat(999), { minLength: 24, maxLength: 24 }), { maxLength: 70 }),
    // Gaps between releases, counted back from the final one: often fewer than k, so that rule 6
    // keeps figures stale, sometimes zero (a release with nothing new), sometimes large.
    gaps: fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 40 })), { maxLength: 4 }),
    seed: fc.nat(),
  })
  .map(({ gen, raw, gaps, seed }) => {
    const rows = raw.map((nums) => rowOf(gen, nums));
    const sizes = [rows.length];
    for (const gap of gaps) sizes.unshift(Math.max(0, sizes[0]! - gap));
    return { gen, def: definitionOf(gen), rows, sizes, seed };
  });

/** The releases of a scenario, each with the rows it was made from. */
function releasesOf(s: Scenario): { rows: Row[]; release: Release; final: boolean }[] {
  const out: { rows: Row[]; release: Release; final: boolean }[] = [];
  let previous: Release | undefined;
  s.sizes.forEach((size, i) => {
    const rows = s.rows.slice(0, size);
    const final = i === s.sizes.length - 1;
    const release = computeRelease({ definition: s.def, aggregates: aggregatesOf(s.def, rows), final, previous });
    out.push({ rows, release, final });
    previous = release;
  });
  return out;
}

/** A deterministic shuffle (Fisher–Yates on a small LCG). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading a release

const RUNS = { numRuns: 300 };
const published = (cell: FigureCell | GroupCell | undefined): cell is PublishedCell => cell !== undefined && !isMarker(cell);
const numeric = (counts: PublishedCell['counts']) => Object.fromEntries(Object.entries(counts).filter(([, x]) => typeof x === 'number')) as Record<string, number>;
const withoutStale = (cell: PublishedCell) => {
  const { stale: _stale, ...rest } = cell;
  return rest;
};
const isGrouping = (q: Question) => q.type === 'single_choice' && q.grouping === true;
const groupingIds = (def: ResolvedDefinition) => def.questions.filter(isGrouping).map((q) => q.id);

interface Figure {
  where: string;
  q?: Question;
  cell: FigureCell | GroupCell;
  kind: 'respondents' | 'overall' | 'group' | 'sizes' | 'comments';
}

/** Every figure of a release. */
function figures(def: ResolvedDefinition, content: ReleaseContent): Figure[] {
  const out: Figure[] = [{ where: 'respondents', cell: content.respondents as FigureCell, kind: 'respondents' }];
  for (const r of content.questions) {
    const q = def.questions.find((x) => x.id === r.id)!;
    if (r.type === 'text') {
      out.push({ where: `${r.id} comments`, q, cell: r.comments as FigureCell, kind: 'comments' });
      continue;
    }
    out.push({ where: `${r.id} overall`, q, cell: r.overall, kind: isGrouping(q) ? 'sizes' : 'overall' });
    for (const [gid, groups] of Object.entries(r.breakdowns ?? {})) {
      for (const g of groups) out.push({ where: `${r.id} by ${gid}=${g.group}`, q, cell: g, kind: 'group' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('every release', () => {
  it('publishes no cell of fewer than k respondents, and no group size below k', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const { release } of releasesOf(s)) {
          for (const f of figures(s.def, release.content)) {
            if (!published(f.cell)) continue;
            const n = 'n' in f.cell ? f.cell.n : undefined;
            expect(n, f.where).toBeGreaterThanOrEqual(s.gen.k);
            if (f.kind === 'sizes') for (const [group, x] of Object.entries(numeric(f.cell.counts))) expect(x, `${f.where} ${group}`).toBeGreaterThanOrEqual(s.gen.k);
          }
        }
      }),
      RUNS,
    );
  });

  it('publishes only diverse distributions: n − max ≥ c + 1, and min(x, n − x) ≥ c + 1 for each shown option', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { c } = s.gen;
        for (const { release } of releasesOf(s)) {
          for (const f of figures(s.def, release.content)) {
            if (!published(f.cell) || !f.q || (f.kind !== 'overall' && f.kind !== 'group')) continue;
            if (f.q.type === 'multi_choice') {
              for (const [o, x] of Object.entries(numeric(f.cell.counts))) expect(Math.min(x, f.cell.n - x), `${f.where} ${o}`).toBeGreaterThanOrEqual(c + 1);
            } else {
              // Every count of a whole distribution is shown (its counts sum to n).
              expect(Object.values(f.cell.counts).every((x) => typeof x === 'number'), f.where).toBe(true);
              expect(diverse({ n: f.cell.n, counts: numeric(f.cell.counts) }, c), f.where).toBe(true);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('publishes true figures: every fresh cell equals the count of the rows it stands for', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const { rows, release } of releasesOf(s)) {
          const c = release.content;
          if (published(c.respondents as FigureCell) && !('stale' in c.respondents)) expect(c.respondents).toEqual({ n: rows.length });
          for (const r of c.questions) {
            if (r.type === 'text') {
              if (published(r.comments as FigureCell)) expect((r.comments as { n: number }).n).toBe(rows.filter((row) => typeof row.comments === 'string').length);
              continue;
            }
            const q = s.def.questions.find((x) => x.id === r.id)!;
            if (published(r.overall) && !r.overall.stale) {
              const truth = isGrouping(q) ? { n: rows.length, counts: trueCell(s.def, rows, q.id).counts } : trueCell(s.def, rows, q.id);
              expect(r.overall.n, `${q.id} overall`).toBe(truth.n);
              for (const [v, x] of Object.entries(numeric(r.overall.counts))) expect(x, `${q.id} overall ${v}`).toBe(truth.counts[v]);
            }
            for (const [gid, groups] of Object.entries(r.breakdowns ?? {})) {
              const g = s.def.questions.find((x) => x.id === gid)!;
              for (const cell of groups) {
                if (!published(cell)) continue;
                const truth = trueCell(s.def, rows, q.id, inGroupOf(g, cell.group));
                expect(cell.n, `${q.id} by ${gid}=${cell.group}`).toBe(truth.n);
                for (const [v, x] of Object.entries(numeric(cell.counts))) expect(x).toBe(truth.counts[v]);
              }
            }
          }
        }
      }),
      RUNS,
    );
  });
});

describe('every breakdown of a final release', () => {
  it('leaves a suppressed pool that is empty, or two or more groups of at least k together that pass rule 2 — unless nothing of it is published', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { k, c } = s.gen;
        const last = releasesOf(s).at(-1)!;
        const { rows } = last;
        for (const r of last.release.content.questions) {
          if (r.type === 'text') continue;
          const q = s.def.questions.find((x) => x.id === r.id)!;
          if (isGrouping(q)) {
            // Group sizes: the groups of the grouping question's own distribution.
            if (!published(r.overall)) continue;
            const sizes = Object.entries(r.overall.counts).map(([group, x]) => ({ group, shown: typeof x === 'number', n: rows.filter(inGroupOf(q, group)).length }));
            if (!sizes.some((x) => x.shown)) continue;
            const pool = sizes.filter((x) => !x.shown && x.n > 0);
            if (pool.length === 0) continue;
            expect(pool.length, `${q.id} sizes pool`).toBeGreaterThanOrEqual(2);
            expect(pool.reduce((sum, x) => sum + x.n, 0), `${q.id} sizes pool`).toBeGreaterThanOrEqual(k);
            continue;
          }
          for (const [gid, groups] of Object.entries(r.breakdowns ?? {})) {
            const g = s.def.questions.find((x) => x.id === gid)!;
            const cells = groups.map((cell) => ({ cell, truth: trueCell(s.def, rows, q.id, inGroupOf(g, cell.group)) }));
            if (!cells.some((x) => published(x.cell))) continue;
            const pool = cells.filter((x) => !published(x.cell) && x.truth.n > 0);
            if (pool.length === 0) continue;
            const where = `${q.id} by ${gid}`;
            expect(pool.length, where).toBeGreaterThanOrEqual(2);
            const n = pool.reduce((sum, x) => sum + x.truth.n, 0);
            expect(n, where).toBeGreaterThanOrEqual(k);
            const counts: Record<string, number> = {};
            for (const x of pool) for (const [v, y] of Object.entries(x.truth.counts)) counts[v] = (counts[v] ?? 0) + y;
            if (q.type === 'multi_choice') {
              const shown = published(r.overall) ? Object.keys(numeric(r.overall.counts)) : [];
              for (const o of shown) expect(Math.min(counts[o]!, n - counts[o]!), `${where} pool ${o}`).toBeGreaterThanOrEqual(c + 1);
            } else {
              expect(diverse({ n, counts }, c), `${where} pool`).toBe(true);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('never lets the published groups add up to a figure rule 6 held back, nor to within k of the stale figure', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { k } = s.gen;
        const last = releasesOf(s).at(-1)!;
        const { rows, release } = last;
        const content = release.content;
        const respondents = content.respondents as FigureCell;
        for (const r of content.questions) {
          if (r.type === 'text') continue;
          const q = s.def.questions.find((x) => x.id === r.id)!;
          if (isGrouping(q)) {
            if (!published(respondents) || !('stale' in respondents) || !published(r.overall)) continue;
            const shown = Object.values(numeric(r.overall.counts)).reduce((a, b) => a + b, 0);
            expect(shown).not.toBe(rows.length);
            expect(respondents.n - shown, `${q.id} sizes beside stale respondents`).toBeGreaterThanOrEqual(k);
            continue;
          }
          if (!published(r.overall) || !r.overall.stale) continue;
          const fresh = trueCell(s.def, rows, q.id).n;
          for (const [gid, groups] of Object.entries(r.breakdowns ?? {})) {
            const shown = groups.filter(published).reduce((sum, g) => sum + (g as PublishedCell).n, 0);
            expect(shown, `${q.id} by ${gid}`).not.toBe(fresh);
            expect(r.overall.n - shown, `${q.id} by ${gid} beside its stale overall`).toBeGreaterThanOrEqual(k);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('between consecutive releases', () => {
  it('every figure present in both moves by 0 or by at least k respondents; a marker becomes a figure only k respondents after it was shown', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { k } = s.gen;
        const seq = releasesOf(s);
        // For each figure, the true n when it was last published (as a figure or as the marker).
        const lastPublished = new Map<string, number>();
        let previous: { content: ReleaseContent; rows: Row[] } | undefined;
        for (const { rows, release } of seq) {
          const keyed = new Map<string, { cell: FigureCell; n: number }>();
          keyed.set('respondents', { cell: release.content.respondents as FigureCell, n: rows.length });
          for (const r of release.content.questions) {
            if (r.type === 'text' || isGrouping(s.def.questions.find((x) => x.id === r.id)!)) continue;
            keyed.set(r.id, { cell: r.overall, n: trueCell(s.def, rows, r.id).n });
          }
          const before = new Map<string, FigureCell>();
          if (previous) {
            before.set('respondents', previous.content.respondents as FigureCell);
            for (const r of previous.content.questions) if (r.type !== 'text' && 'overall' in r) before.set(r.id, r.overall);
          }
          for (const [key, { cell, n }] of keyed) {
            const prev = before.get(key);
            const ref = lastPublished.get(key);
            if (prev !== undefined && published(prev) && published(cell)) {
              // Both figures: identical, or at least k respondents apart.
              const same = JSON.stringify(withoutStale(prev)) === JSON.stringify(withoutStale(cell));
              if (!same) expect(cell.n - prev.n, `${key}: ${prev.n} → ${cell.n}`).toBeGreaterThanOrEqual(k);
              if (cell.stale) expect(same, `${key} stale`).toBe(true);
            }
            if (published(cell) && !cell.stale) {
              // A fresh figure: nobody added (the same figure again), or k respondents after the last
              // publication of this figure, marker included.
              if (ref !== undefined && n !== ref) expect(n - ref, `${key} fresh at ${n}, last published at ${ref}`).toBeGreaterThanOrEqual(k);
              lastPublished.set(key, n);
            } else if (published(cell)) {
              // A stale figure is the previous one again, while fewer than k were added.
              expect(prev !== undefined && published(prev), `${key} stale without a previous figure`).toBe(true);
              expect(n - ref!, `${key} kept although k were added`).toBeLessThan(k);
              expect(n - ref!, `${key} marked stale although nobody was added`).toBeGreaterThan(0);
            } else if (prev !== undefined && published(prev)) {
              // A figure turning into the marker is a new publication (of the marker).
              expect(n - ref!, `${key} hidden less than k after it was shown`).toBeGreaterThanOrEqual(k);
              lastPublished.set(key, n);
            } else if (ref === undefined || n - ref >= k) {
              // The marker again: counts as published now once k were added (rule 6), else it is kept.
              lastPublished.set(key, n);
            }
          }
          previous = { content: release.content, rows };
        }
      }),
      RUNS,
    );
  });
});

describe('determinism (rule 7)', () => {
  it('gives byte-identical releases for the same responses, whatever order they reach the counts in', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const seq = releasesOf(s);
        let previous: Release | undefined;
        seq.forEach(({ rows, release, final }, i) => {
          // Responses, values and cohorts inserted into the Maps in another order.
          const again = computeRelease({ definition: s.def, aggregates: aggregatesOf(s.def, shuffled(rows, s.seed + i)), final, previous });
          expect(JSON.stringify(again.content)).toBe(JSON.stringify(release.content));
          expect(JSON.stringify(again.state)).toBe(JSON.stringify(release.state));
          // And the same computation twice gives the same bytes.
          expect(JSON.stringify(computeRelease({ definition: s.def, aggregates: aggregatesOf(s.def, rows), final, previous }).content)).toBe(JSON.stringify(release.content));
          previous = release;
        });
      }),
      RUNS,
    );
  });
});
