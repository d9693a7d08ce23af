/**
 * Properties of rules 1–7 (§6) over random tables and random sequences of releases: random
 * definitions (open or invite-only, k, c, one or two grouping questions, Likert / rating / single /
 * multi-choice questions, comments), random responses with skips, empty and tiny groups and
 * lopsided answers, released as the job does: an interim release whenever k respondents came in
 * since the previous one, then a final release. Every published figure is checked against the
 * truth counted straight from the generated rows. (The audit of rule 8 has its own tests.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeRelease, isMarker, type FigureCell, type GroupCell, type PublishedCell, type ReleaseContent } from '../../src/releases/compute.js';
import { interimReleaseDue } from '../../src/releases/rules.js';
import { PREFER_NOT_TO_SAY, type Question, type ResolvedDefinition } from '../../src/surveys/definition.js';
import { aggregatesOf, definition, diverse, grouping, inGroupOf, likert, multi, rating, single, storedValue, text, trueCell, type Row } from './table.js';

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
  /** Breakdowns exist only in invite-only surveys (rule 4). */
  access: 'open' | 'invite';
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
  access: fc.oneof({ weight: 3, arbitrary: fc.constant('invite' as const) }, { weight: 1, arbitrary: fc.constant('open' as const) }),
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
  return definition(questions, { k: gen.k, c: gen.c, interim: true, access: gen.access });
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
  /** Sizes at which the job runs while open (non-decreasing), then the final release at rows.length. */
  sizes: number[];
  seed: number;
}

function scenarios(gens: fc.Arbitrary<Gen>, rowCount: { minLength?: number; maxLength: number }): fc.Arbitrary<Scenario> {
  return fc
    .record({
      gen: gens,
      raw: fc.array(fc.array(fc.nat(999), { minLength: 24, maxLength: 24 }), rowCount),
      // Gaps between runs, counted back from the final one: often fewer than k, so that rule 6
      // makes no interim release, sometimes zero (nothing new), sometimes large.
      gaps: fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 40 })), { maxLength: 4 }),
      seed: fc.nat(),
    })
    .map(({ gen, raw, gaps, seed }) => {
      const rows = raw.map((nums) => rowOf(gen, nums));
      const sizes = [rows.length];
      for (const gap of gaps) sizes.unshift(Math.max(0, sizes[0]! - gap));
      return { gen, def: definitionOf(gen), rows, sizes, seed };
    });
}

const scenarioArb = scenarios(genArb, { maxLength: 70 });

/**
 * Rule 4's second grouping question: invite-only surveys with two grouping questions of two
 * options and enough respondents that joint groups often reach k, and often do not.
 */
const twoGroupingsArb = scenarios(
  genArb.chain((gen) =>
    fc.tuple(weights(3), weights(3)).map(([a, b]): Gen => ({ ...gen, access: 'invite', groupings: [a.map((w, i) => (i === 2 ? Math.min(w, 2) : w)), b.map((w, i) => (i === 2 ? Math.min(w, 2) : w))] })),
  ),
  { minLength: 20, maxLength: 90 },
);

interface Made {
  rows: Row[];
  content: ReleaseContent;
  final: boolean;
  /** The earlier releases it was made after, as the job lists them. */
  earlier: ReleaseContent['releases'];
}

/**
 * The releases of a scenario as the job makes them (job.ts): at each run while open, an interim
 * release if rule 6 says one is due; at the last size, the final release.
 */
function releasesOf(s: Scenario): Made[] {
  const out: Made[] = [];
  let last: number | undefined;
  s.sizes.forEach((size, i) => {
    const final = i === s.sizes.length - 1;
    if (!final && !interimReleaseDue(size, last, s.gen.k)) return;
    const rows = s.rows.slice(0, size);
    const earlier = out.map((m, j) => ({ releasedAt: `2026-11-${String(j + 1).padStart(2, '0')}`, respondents: m.content.respondents }));
    out.push({ rows, content: computeRelease({ definition: s.def, aggregates: aggregatesOf(s.def, rows), final, earlier }), final, earlier });
    last = size;
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

/** The grouping-question combination of a row, over the grouping questions given. */
const combination = (def: ResolvedDefinition, ids: readonly string[], row: Row) => ids.map((id) => storedValue(def.questions.find((q) => q.id === id)!, row[id])).join('|');

/** The non-empty joint groups of the rows over these grouping questions, with their rows. */
function jointGroups(def: ResolvedDefinition, ids: readonly string[], rows: readonly Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const row of rows) {
    const key = combination(def, ids, row);
    out.set(key, [...(out.get(key) ?? []), row]);
  }
  return out;
}

describe('every release', () => {
  it('publishes no cell of fewer than k respondents, and no group size below k', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const { content } of releasesOf(s)) {
          for (const f of figures(s.def, content)) {
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
        for (const { content } of releasesOf(s)) {
          for (const f of figures(s.def, content)) {
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

  it('publishes true figures: every cell equals the count of the rows it stands for', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const { rows, content: c } of releasesOf(s)) {
          if (published(c.respondents as FigureCell)) expect(c.respondents).toEqual({ n: rows.length });
          for (const r of c.questions) {
            if (r.type === 'text') {
              if (published(r.comments as FigureCell)) expect((r.comments as { n: number }).n).toBe(rows.filter((row) => typeof row.comments === 'string').length);
              continue;
            }
            const q = s.def.questions.find((x) => x.id === r.id)!;
            if (published(r.overall)) {
              const truth = isGrouping(q) ? { n: rows.length, counts: trueCell(s.def, rows, q.id).counts } : trueCell(s.def, rows, q.id);
              expect(r.overall.n, `${q.id} overall`).toBe(truth.n);
              for (const [v, x] of Object.entries(numeric(r.overall.counts))) expect(x, `${q.id} overall ${v}`).toBe(truth.counts[v]);
            }
            for (const [gid, groups] of Object.entries(r.breakdowns)) {
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

  it('lists the earlier releases of the survey, by their respondent counts only', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        for (const { content, earlier } of releasesOf(s)) expect(content.releases).toEqual(earlier);
      }),
      RUNS,
    );
  });
});

describe('an interim release (rule 6)', () => {
  it('publishes the respondent count and nothing else, and only once k respondents came in since the previous release', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const made = releasesOf(s);
        let previous: number | undefined;
        for (const { rows, content, final } of made) {
          if (final) continue;
          expect(content.final).toBe(false);
          expect(content.questions).toEqual([]);
          expect(content.respondents).toEqual({ n: rows.length });
          expect(rows.length - (previous ?? 0)).toBeGreaterThanOrEqual(s.gen.k);
          previous = rows.length;
        }
      }),
      RUNS,
    );
  });
});

describe('the final release', () => {
  it('publishes every figure afresh: nothing in it depends on the releases before it', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const last = releasesOf(s).at(-1)!;
        expect(last.final).toBe(true);
        const alone = computeRelease({ definition: s.def, aggregates: aggregatesOf(s.def, last.rows), final: true });
        expect(JSON.stringify({ ...last.content, releases: [] })).toBe(JSON.stringify(alone));
      }),
      RUNS,
    );
  });

  it('has the same shape whatever the answers: every question, and on every choice question a breakdown by every grouping question listing all its groups', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { content } = releasesOf(s).at(-1)!;
        expect(content.questions.map((q) => q.id)).toEqual(s.def.questions.map((q) => q.id));
        const groupings = s.def.questions.filter(isGrouping);
        for (const r of content.questions) {
          if (r.type === 'text') continue;
          const q = s.def.questions.find((x) => x.id === r.id)!;
          // Grouping questions are never broken down by one another.
          if (isGrouping(q)) {
            expect(r.breakdowns).toEqual({});
            continue;
          }
          expect(Object.keys(r.breakdowns)).toEqual(groupings.map((g) => g.id));
          for (const g of groupings) {
            const keys = g.type === 'single_choice' ? [...g.options.map((o) => o.value), PREFER_NOT_TO_SAY] : [];
            expect(r.breakdowns[g.id]!.map((x) => x.group)).toEqual(keys);
          }
        }
      }),
      RUNS,
    );
  });

  it('of an open survey publishes no breakdown (rule 4)', () => {
    fc.assert(
      fc.property(
        scenarioArb.filter((s) => s.gen.access === 'open'),
        (s) => {
          const { content } = releasesOf(s).at(-1)!;
          for (const r of content.questions) {
            if (r.type === 'text') continue;
            for (const groups of Object.values(r.breakdowns)) expect(groups.every((g) => isMarker(g))).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('every breakdown of a final release', () => {
  it('leaves a suppressed pool that is empty, or two or more groups of at least k together that pass rule 2 — unless nothing of it is published', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { k, c } = s.gen;
        const { rows, content } = releasesOf(s).at(-1)!;
        for (const r of content.questions) {
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
          for (const [gid, groups] of Object.entries(r.breakdowns)) {
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

  it('hides in every breakdown by a grouping question the groups its own distribution hides', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { content } = releasesOf(s).at(-1)!;
        const sizes = new Map(content.questions.filter((r) => r.type !== 'text' && r.grouping).map((r) => [r.id, (r as { overall: FigureCell }).overall]));
        for (const r of content.questions) {
          if (r.type === 'text' || r.grouping) continue;
          for (const [gid, groups] of Object.entries(r.breakdowns)) {
            const own = sizes.get(gid)!;
            for (const cell of groups) {
              if (!published(cell)) continue;
              expect(published(own), `${r.id} by ${gid} beside hidden sizes`).toBe(true);
              expect(typeof (own as PublishedCell).counts[cell.group], `${r.id} by ${gid}=${cell.group}`).toBe('number');
            }
          }
        }
      }),
      RUNS,
    );
  });
});

describe('a later grouping question (rule 4)', () => {
  it('has its group sizes published only if every non-empty joint group with the grouping questions published before it has k respondents', () => {
    fc.assert(
      fc.property(
        twoGroupingsArb,
        (s) => {
          const { rows, content } = releasesOf(s).at(-1)!;
          const ids = groupingIds(s.def);
          const shows = (id: string) => {
            const cell = (content.questions.find((r) => r.id === id) as { overall: FigureCell }).overall;
            return published(cell) && Object.values(cell.counts).some((x) => typeof x === 'number');
          };
          if (!shows(ids[1]!)) return;
          const over = [...ids.slice(0, 1).filter(shows), ids[1]!];
          for (const [key, members] of jointGroups(s.def, over, rows)) expect(members.length, `joint group ${key}`).toBeGreaterThanOrEqual(s.gen.k);
        },
      ),
      RUNS,
    );
  });

  it('breaks a question down only where every joint cell with the breakdowns before it, whose joint group has respondents, passes rules 1 and 2', () => {
    fc.assert(
      fc.property(
        twoGroupingsArb,
        (s) => {
          const { k, c } = s.gen;
          const { rows, content } = releasesOf(s).at(-1)!;
          const ids = groupingIds(s.def);
          for (const r of content.questions) {
            if (r.type === 'text' || r.grouping) continue;
            const by = ids.filter((id) => r.breakdowns[id]!.some(published));
            // The first grouping question goes by rules 1–3 alone; the second needs its joint cells.
            if (!by.includes(ids[1]!)) continue;
            const over = by.slice(0, by.indexOf(ids[1]!) + 1);
            const shown = new Set(Object.values(r.breakdowns).flatMap((groups) => groups.filter(published).flatMap((g) => Object.keys(numeric((g as PublishedCell).counts)))));
            for (const [key, members] of jointGroups(s.def, over, rows)) {
              const cell = trueCell(s.def, members, r.id);
              const where = `${r.id} joint cell ${key}`;
              expect(cell.n, where).toBeGreaterThanOrEqual(k);
              if (r.type === 'multi_choice') for (const o of shown) expect(Math.min(cell.counts[o]!, cell.n - cell.counts[o]!), `${where} ${o}`).toBeGreaterThanOrEqual(c + 1);
              else expect(diverse(cell, c), where).toBe(true);
            }
          }
        },
      ),
      RUNS,
    );
  });
});

describe('determinism (rule 7)', () => {
  it('gives byte-identical releases for the same responses, whatever order they reach the counts in', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        releasesOf(s).forEach(({ rows, content, final, earlier }, i) => {
          // Responses, values and cohorts inserted into the Maps in another order.
          const again = computeRelease({ definition: s.def, aggregates: aggregatesOf(s.def, shuffled(rows, s.seed + i)), final, earlier });
          expect(JSON.stringify(again)).toBe(JSON.stringify(content));
          // And the same computation twice gives the same bytes.
          expect(JSON.stringify(computeRelease({ definition: s.def, aggregates: aggregatesOf(s.def, rows), final, earlier }))).toBe(JSON.stringify(content));
        });
      }),
      RUNS,
    );
  });
});
