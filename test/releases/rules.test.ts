/** The disclosure-control rules of §6, one pure function per clause: examples at and around every boundary, and properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  belowKOverall,
  breakdownsAllowed,
  cellKind,
  cellSuppressed,
  commentCountShown,
  complement,
  deterministicMean,
  diverseDistribution,
  firstSizesSuppressed,
  groupsSuppressed,
  hasBreakdowns,
  hiddenByAudit,
  hiddenInAnyHiddenInAll,
  hiddenOptions,
  inProofOrder,
  interimReleaseDue,
  isFirstGroupingQuestion,
  jointCellsPass,
  jointGroupsPass,
  jointOver,
  laterSizesSuppressed,
  nothingFurther,
  optionShown,
  optionsHiddenInBreakdown,
  optionsHiddenInCell,
  optionsShownOverall,
  passesRules1And2,
  poolIsSafe,
  releasesFigures,
  respondentCountShown,
  sizesAllowBreakdowns,
  suppressFurther,
  threshold,
  type Group,
} from '../../src/releases/rules.js';

const settings = { k: 5, c: 1 };
/** A group of a breakdown with its distribution; n is the sum of the counts. */
const group = (key: string, counts: Record<string, number>): Group => ({ key, cell: { n: Object.values(counts).reduce((a, b) => a + b, 0), counts } });
const sizeGroup = (key: string, n: number): Group => ({ key, cell: { n, counts: { [key]: n } } });
const sorted = (s: Set<string>) => [...s].sort();

describe('rule 1 — threshold', () => {
  it('publishes a cell of at least k and suppresses one below k', () => {
    expect(threshold(5, 5)).toBe(true);
    expect(threshold(6, 5)).toBe(true);
    expect(threshold(4, 5)).toBe(false);
    expect(threshold(1, 3)).toBe(false);
    expect(threshold(0, 3)).toBe(false);
  });
});

describe('rule 2 — diversity', () => {
  it('publishes a distribution only if n − largest ≥ c + 1', () => {
    // Everyone answered the same: never shown.
    expect(diverseDistribution({ n: 6, counts: { 1: 0, 5: 6 } }, 1)).toBe(false);
    // All but one answered the same: never shown with c = 1.
    expect(diverseDistribution({ n: 6, counts: { 2: 1, 5: 5 } }, 1)).toBe(false);
    // Two outside the largest answer: shown with c = 1 …
    expect(diverseDistribution({ n: 6, counts: { 2: 2, 5: 4 } }, 1)).toBe(true);
    // … but not with c = 2, which needs three.
    expect(diverseDistribution({ n: 6, counts: { 2: 2, 5: 4 } }, 2)).toBe(false);
    expect(diverseDistribution({ n: 6, counts: { 1: 1, 2: 2, 5: 3 } }, 2)).toBe(true);
    // An empty distribution has nothing to show.
    expect(diverseDistribution({ n: 0, counts: {} }, 1)).toBe(false);
  });

  it('hides a multi-choice option unless min(x, n − x) ≥ c + 1, keeping the others', () => {
    const cell = { n: 10, counts: { calls: 10, mentoring: 1, visits: 5, peers: 9, webinars: 2, none: 0 } };
    // Only the options almost nobody / almost everybody chose are hidden.
    expect(hiddenOptions(cell, 1).sort()).toEqual(['calls', 'mentoring', 'none', 'peers']);
    expect(hiddenOptions({ n: 10, counts: { webinars: 2, peers: 8 } }, 2).sort()).toEqual(['peers', 'webinars']);
    expect(hiddenOptions({ n: 10, counts: { webinars: 3, peers: 7 } }, 2)).toEqual([]);
    expect(optionShown(2, 10, 1)).toBe(true);
    expect(optionShown(1, 10, 1)).toBe(false);
    expect(optionShown(8, 10, 1)).toBe(true);
    expect(optionShown(9, 10, 1)).toBe(false);
  });

  it('hides an option hidden in any published group in all of them', () => {
    expect([...hiddenInAnyHiddenInAll([['calls'], [], ['visits', 'calls']])].sort()).toEqual(['calls', 'visits']);
    expect(hiddenInAnyHiddenInAll([[], []]).size).toBe(0);
  });

  it('checks a cell against rules 1 and 2 together: group sizes need only k', () => {
    const s = { k: 5, c: 1 };
    expect(passesRules1And2({ n: 9, counts: { africa: 9 } }, 'sizes', s)).toBe(true);
    expect(passesRules1And2({ n: 4, counts: { africa: 4 } }, 'sizes', s)).toBe(false);
    expect(passesRules1And2({ n: 6, counts: { 1: 3, 2: 3 } }, 'distribution', s)).toBe(true);
    expect(passesRules1And2({ n: 6, counts: { 1: 5, 2: 1 } }, 'distribution', s)).toBe(false);
    expect(passesRules1And2({ n: 4, counts: { 1: 2, 2: 2 } }, 'distribution', s)).toBe(false);
    // Multi-choice: every option given must be shown, others do not matter.
    const multi = { n: 10, counts: { calls: 5, visits: 1 } };
    expect(passesRules1And2(multi, 'options', s, ['calls'])).toBe(true);
    expect(passesRules1And2(multi, 'options', s, ['calls', 'visits'])).toBe(false);
    expect(passesRules1And2(multi, 'options', s)).toBe(false);
  });
});

describe('rule 3 — complement', () => {
  it('changes nothing when no group with respondents is suppressed', () => {
    const groups = [group('a', { 1: 3, 2: 3 }), group('b', { 1: 2, 2: 4 }), group('c', {})];
    expect(complement(groups, new Set(), { ...settings, kind: 'distribution' })).toEqual({ suppressed: new Set(), withheld: false });
    // An empty group is listed as suppressed but counts for nothing: it needs no company.
    expect(complement(groups, new Set(['c']), { ...settings, kind: 'distribution' })).toEqual({ suppressed: new Set(['c']), withheld: false });
  });

  it('suppresses the smallest further group when one suppressed group would be isolated by subtraction', () => {
    const groups = [group('a', { 1: 10, 2: 10 }), group('b', { 1: 3, 2: 4 }), group('c', { 1: 1 })];
    const r = complement(groups, new Set(['c']), { ...settings, kind: 'distribution' });
    expect(sorted(r.suppressed)).toEqual(['b', 'c']);
    expect(r.withheld).toBe(false);
  });

  it('breaks ties between equally small groups by definition order', () => {
    const groups = [group('a', { 1: 3, 2: 3 }), group('b', { 1: 3, 2: 3 }), group('c', { 1: 1, 2: 1 })];
    expect(sorted(complement(groups, new Set(['c']), { ...settings, kind: 'distribution' }).suppressed)).toEqual(['a', 'c']);
    const reversed = [group('b', { 1: 3, 2: 3 }), group('a', { 1: 3, 2: 3 }), group('c', { 1: 1, 2: 1 })];
    expect(sorted(complement(reversed, new Set(['c']), { ...settings, kind: 'distribution' }).suppressed)).toEqual(['b', 'c']);
  });

  it('needs the pool to reach k, not just two groups', () => {
    // Two groups of one beside twenty: the pool of two is below k, so the big group goes too.
    const groups = [group('a', { 1: 10, 2: 10 }), group('b', { 1: 1 }), group('c', { 2: 1 })];
    const r = complement(groups, new Set(['b', 'c']), { ...settings, kind: 'distribution' });
    expect(sorted(r.suppressed)).toEqual(['a', 'b', 'c']);
  });

  it('needs the pooled distribution to pass rule 2', () => {
    // b and c pool to 6 respondents who all answered 1: adding the next group (d) makes it diverse.
    const groups = [group('a', { 1: 10, 2: 10 }), group('b', { 1: 3 }), group('c', { 1: 3 }), group('d', { 1: 2, 2: 5 })];
    expect(sorted(complement(groups, new Set(['b', 'c']), { ...settings, kind: 'distribution' }).suppressed)).toEqual(['b', 'c', 'd']);
  });

  it('withholds the whole breakdown when no pool can be made safe', () => {
    const groups = [group('a', { 1: 20 }), group('b', { 1: 1 }), group('c', {})];
    expect(complement(groups, new Set(['b']), { ...settings, kind: 'distribution' })).toEqual({ suppressed: new Set(['a', 'b', 'c']), withheld: true });
  });

  it('protects every option the overall figure shows, for multi-choice', () => {
    // Pooled: calls 2 of 6 (fine), visits 0 of 6 (min(0, 6) < 2) — visits is shown overall, so another group joins.
    const groups = [
      { key: 'a', cell: { n: 10, counts: { calls: 5, visits: 5 } } },
      { key: 'b', cell: { n: 3, counts: { calls: 1, visits: 0 } } },
      { key: 'c', cell: { n: 3, counts: { calls: 1, visits: 0 } } },
      { key: 'd', cell: { n: 8, counts: { calls: 4, visits: 4 } } },
    ];
    const opts = { ...settings, kind: 'options' as const };
    expect(sorted(complement(groups, new Set(['b', 'c']), { ...opts, shownOptions: ['calls', 'visits'] }).suppressed)).toEqual(['b', 'c', 'd']);
    // When the overall figure hides visits, the pool need not protect it.
    expect(sorted(complement(groups, new Set(['b', 'c']), { ...opts, shownOptions: ['calls'] }).suppressed)).toEqual(['b', 'c']);
  });

  it('pools group sizes as a split between groups', () => {
    // Sizes 1 and 1 beside 20: the pool of 2 is below k; with the 20 it is 22, not dominated by one group.
    const sizes = [sizeGroup('a', 20), sizeGroup('b', 1), sizeGroup('c', 1), sizeGroup('prefer_not_to_say', 0)];
    expect(sorted(complement(sizes, new Set(['b', 'c', 'prefer_not_to_say']), { ...settings, kind: 'sizes' }).suppressed)).toEqual(['a', 'b', 'c', 'prefer_not_to_say']);
    const ok = [sizeGroup('a', 20), sizeGroup('b', 3), sizeGroup('c', 4)];
    expect(sorted(complement(ok, new Set(['b', 'c']), { ...settings, kind: 'sizes' }).suppressed)).toEqual(['b', 'c']);
  });
});

describe('rule 4 — breakdowns', () => {
  it('exist only in invite-only surveys', () => {
    expect(breakdownsAllowed('invite')).toBe(true);
    expect(breakdownsAllowed('open')).toBe(false);
  });

  it('add a later grouping question only if every non-empty joint group has at least k respondents', () => {
    expect(jointGroupsPass([5, 9, 0, 12], 5)).toBe(true);
    expect(jointGroupsPass([20, 9, 1, 12], 5)).toBe(false);
    expect(jointGroupsPass([20, 4], 5)).toBe(false);
    expect(jointGroupsPass([], 5)).toBe(true);
  });

  it('add a later grouping question to a question only if every joint cell with respondents passes rules 1 and 2', () => {
    const s = { k: 5, c: 1 };
    const cell = (counts: Record<string, number>) => ({ n: Object.values(counts).reduce((a, b) => a + b, 0), counts });
    const diverse = { groupSize: 6, cell: cell({ 1: 3, 2: 3 }) };
    expect(jointCellsPass([diverse, diverse], 'distribution', s)).toBe(true);
    // Five small northern partners who all answered "5": k of them, but not diverse.
    expect(jointCellsPass([diverse, { groupSize: 5, cell: cell({ 5: 5 }) }], 'distribution', s)).toBe(false);
    // A joint cell below k.
    expect(jointCellsPass([diverse, { groupSize: 4, cell: cell({ 1: 2, 2: 2 }) }], 'distribution', s)).toBe(false);
    // A joint group whose members all skipped the question: n = 0 fails …
    expect(jointCellsPass([diverse, { groupSize: 5, cell: cell({}) }], 'distribution', s)).toBe(false);
    // … while an empty joint group counts for nothing.
    expect(jointCellsPass([diverse, { groupSize: 0, cell: cell({}) }], 'distribution', s)).toBe(true);
    // Multi-choice: only the options the breakdowns show.
    const m = { groupSize: 8, cell: { n: 8, counts: { calls: 4, visits: 8 } } };
    expect(jointCellsPass([m], 'options', s, ['calls'])).toBe(true);
    expect(jointCellsPass([m], 'options', s, ['calls', 'visits'])).toBe(false);
  });
});

describe('rule 5 — below k overall, nothing', () => {
  it('is true below k respondents only', () => {
    expect(belowKOverall(4, 5)).toBe(true);
    expect(belowKOverall(0, 5)).toBe(true);
    expect(belowKOverall(5, 5)).toBe(false);
  });
});

describe('rule 6 — counts in steps of k while open', () => {
  it('makes an interim release only once k respondents were added since the previous one', () => {
    expect(interimReleaseDue(4, undefined, 5)).toBe(false);
    expect(interimReleaseDue(5, undefined, 5)).toBe(true);
    expect(interimReleaseDue(14, 10, 5)).toBe(false);
    expect(interimReleaseDue(15, 10, 5)).toBe(true);
    expect(interimReleaseDue(40, 10, 5)).toBe(true);
    // Nobody added: nothing to release.
    expect(interimReleaseDue(10, 10, 5)).toBe(false);
  });
});

describe('rule 7 — deterministic', () => {
  it('rounds means half away from zero on the exact ratio, to two decimals', () => {
    expect(deterministicMean(7, 2)).toBe(3.5);
    expect(deterministicMean(10, 3)).toBe(3.33);
    expect(deterministicMean(2, 3)).toBe(0.67);
    // 1/8 = 0.125 exactly: half away from zero.
    expect(deterministicMean(1, 8)).toBe(0.13);
    expect(deterministicMean(-1, 8)).toBe(-0.13);
    expect(deterministicMean(1, 200)).toBe(0.01);
    expect(deterministicMean(-1, 200)).toBe(-0.01);
    // 4.015 is not exact in binary; the ratio 803/200 is, and rounds up.
    expect(deterministicMean(803, 200)).toBe(4.02);
    expect(Object.is(deterministicMean(0, 7), 0)).toBe(true);
  });
});

describe('rule 8 — what happens then', () => {
  const groupsOf = (shown: Record<string, { key: string; n: number }[]>) => (question: string, grouping: string) => shown[`${question}/${grouping}`] ?? [];

  it('hides the next group of the breakdown in rule 3\'s order: smallest n first, ties in definition order', () => {
    const shown = groupsOf({ 'q/region': [{ key: 'africa', n: 9 }, { key: 'americas', n: 6 }, { key: 'asia', n: 6 }] });
    const once = suppressFurther(nothingFurther(), { kind: 'hide_group', question: 'q', grouping: 'region' }, shown);
    expect(once.groups).toEqual({ q: { region: ['americas'] } });
    const twice = suppressFurther(once, { kind: 'hide_group', question: 'q', grouping: 'region' }, groupsOf({ 'q/region': [{ key: 'africa', n: 9 }, { key: 'asia', n: 6 }] }));
    expect(twice.groups).toEqual({ q: { region: ['americas', 'asia'] } });
    // The input is left as it was.
    expect(once.groups).toEqual({ q: { region: ['americas'] } });
  });

  it('hides the whole question when its breakdown shows no group any more', () => {
    const next = suppressFurther(nothingFurther(), { kind: 'hide_group', question: 'q', grouping: 'region' }, groupsOf({}));
    expect(next.questions).toEqual(['q']);
    expect(() => suppressFurther(next, { kind: 'hide_question', question: 'q' }, groupsOf({}))).toThrow();
  });

  it('for group sizes, hides the grouping question\'s own distribution first, then every breakdown by it', () => {
    const first = suppressFurther(nothingFurther(), { kind: 'hide_sizes', grouping: 'region' }, groupsOf({}));
    expect(first).toMatchObject({ sizes: ['region'], breakdownsBy: [] });
    const second = suppressFurther(first, { kind: 'hide_sizes', grouping: 'region' }, groupsOf({}));
    expect(second).toMatchObject({ sizes: ['region'], breakdownsBy: ['region'] });
    expect(() => suppressFurther(second, { kind: 'hide_sizes', grouping: 'region' }, groupsOf({}))).toThrow();
  });

  it('hides a comment count once', () => {
    const next = suppressFurther(nothingFurther(), { kind: 'hide_comments', question: 'suggestions' }, groupsOf({}));
    expect(next.comments).toEqual(['suggestions']);
    expect(() => suppressFurther(next, { kind: 'hide_comments', question: 'suggestions' }, groupsOf({}))).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// The decisions compute.ts asks of the rules (it only reads counts and assembles the JSON).

/** A cell with 2–4 values and random counts; n is their sum (multi-choice: the respondents, at least every count). */
const cellArb = (kind: 'distribution' | 'options') =>
  fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 2, maxLength: 4 }).chain((xs) => {
    const counts = Object.fromEntries(xs.map((x, j) => [`v${j}`, x]));
    const largest = Math.max(...xs);
    const sum = xs.reduce((a, b) => a + b, 0);
    return kind === 'distribution' ? fc.constant({ n: sum, counts }) : fc.integer({ min: largest, max: largest + 12 }).map((n) => ({ n, counts }));
  });
const kindArb = fc.constantFrom<'distribution' | 'options'>('distribution', 'options');
const settingsArb = fc.record({ k: fc.integer({ min: 3, max: 6 }), c: fc.integer({ min: 1, max: 2 }) });
/** A breakdown: 2–5 groups g0, g1, … of one kind, with their cells. */
const breakdownArb = (kind: 'distribution' | 'options') =>
  fc.array(cellArb(kind), { minLength: 2, maxLength: 5 }).map((cells) => cells.map((cell, j): Group => ({ key: `g${j}`, cell })));
const sizesArb = fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 2, maxLength: 5 }).map((ns) => ns.map((n, j) => sizeGroup(`g${j}`, n)));

describe('which releases carry figures (§6, rule 6)', () => {
  it('only the final release has figures', () => {
    expect(releasesFigures(true)).toBe(true);
    expect(releasesFigures(false)).toBe(false);
  });

  it('shows the number of respondents from k on (rules 1 and 5)', () => {
    expect(respondentCountShown(5, 5)).toBe(true);
    expect(respondentCountShown(4, 5)).toBe(false);
    fc.assert(fc.property(fc.nat(50), fc.integer({ min: 3, max: 10 }), (n, k) => respondentCountShown(n, k) === !belowKOverall(n, k)));
  });
});

describe('rules 1 and 2 — a whole cell, and its options', () => {
  it('takes multi-choice questions option by option, every other kind as a distribution', () => {
    expect(cellKind('multi_choice')).toBe('options');
    for (const type of ['single_choice', 'likert', 'rating'] as const) expect(cellKind(type)).toBe('distribution');
  });

  it('suppresses a cell below k, or a distribution that is not diverse; never a multi-choice cell for diversity', () => {
    expect(cellSuppressed({ n: 4, counts: { 1: 2, 2: 2 } }, 'distribution', settings)).toBe(true);
    expect(cellSuppressed({ n: 6, counts: { 1: 5, 2: 1 } }, 'distribution', settings)).toBe(true);
    expect(cellSuppressed({ n: 6, counts: { 1: 4, 2: 2 } }, 'distribution', settings)).toBe(false);
    // Everyone ticked the same option: the option is hidden, the cell is not.
    expect(cellSuppressed({ n: 6, counts: { calls: 6, visits: 0 } }, 'options', settings)).toBe(false);
    expect(cellSuppressed({ n: 4, counts: { calls: 2, visits: 2 } }, 'options', settings)).toBe(true);
  });

  it('property: a cell is suppressed whole exactly when rules 1–2 fail it (multi-choice: only when n < k)', () => {
    fc.assert(
      fc.property(kindArb.chain((kind) => fc.tuple(fc.constant(kind), cellArb(kind), settingsArb)), ([kind, cell, s]) => {
        const expected = kind === 'options' ? cell.n < s.k : !passesRules1And2(cell, kind, s);
        expect(cellSuppressed(cell, kind, s)).toBe(expected);
      }),
    );
  });

  it('property: a published cell shows every option but those rule 2 hides, and the overall figure protects exactly those it shows', () => {
    fc.assert(
      fc.property(kindArb.chain((kind) => fc.tuple(fc.constant(kind), cellArb(kind), fc.integer({ min: 1, max: 2 }))), ([kind, cell, c]) => {
        const hidden = optionsHiddenInCell(cell, kind, c);
        const shown = optionsShownOverall(cell, hidden);
        if (kind === 'distribution') expect(hidden.size).toBe(0);
        for (const o of Object.keys(cell.counts)) expect(hidden.has(o)).toBe(kind === 'options' && !optionShown(cell.counts[o]!, cell.n, c));
        // Shown and hidden partition the options, in definition order.
        expect(shown).toEqual(Object.keys(cell.counts).filter((o) => !hidden.has(o)));
      }),
    );
  });
});

describe('rules 1–3 and 4 for group sizes', () => {
  it('hides small groups of the first grouping question and protects their complement', () => {
    expect(sorted(firstSizesSuppressed([sizeGroup('a', 20), sizeGroup('b', 3), sizeGroup('c', 4), sizeGroup('d', 0)], settings))).toEqual(['b', 'c', 'd']);
    // One small group alone would be isolated by subtraction: the smallest other group joins it.
    expect(sorted(firstSizesSuppressed([sizeGroup('a', 20), sizeGroup('b', 7), sizeGroup('c', 2)], settings))).toEqual(['b', 'c']);
    expect(sorted(firstSizesSuppressed([sizeGroup('a', 20), sizeGroup('b', 2)], settings))).toEqual(['a', 'b']);
  });

  it('property: the first grouping question\'s sizes keep rules 1 and 3', () => {
    fc.assert(
      fc.property(sizesArb, settingsArb, (sizes, s) => {
        const hidden = firstSizesSuppressed(sizes, s);
        for (const g of sizes) if (g.cell.n < s.k) expect(hidden.has(g.key)).toBe(true);
        const pool = sizes.filter((g) => g.cell.n > 0 && hidden.has(g.key));
        const everyone = sizes.filter((g) => g.cell.n > 0).every((g) => hidden.has(g.key));
        expect(everyone || pool.length === 0 || poolIsSafe(pool, { ...s, kind: 'sizes' })).toBe(true);
      }),
    );
  });

  it('shows a later grouping question\'s sizes (but its empty groups) only if every non-empty joint group has k; README choice 2', () => {
    const sizes = [sizeGroup('a', 12), sizeGroup('b', 8), sizeGroup('prefer_not_to_say', 0)];
    expect(sorted(laterSizesSuppressed(sizes, [5, 7, 0, 8], 5))).toEqual(['prefer_not_to_say']);
    expect(sorted(laterSizesSuppressed(sizes, [5, 7, 4, 4], 5))).toEqual(['a', 'b', 'prefer_not_to_say']);
  });

  it('property: a later grouping question\'s sizes are all hidden or hide only the empty groups', () => {
    fc.assert(
      fc.property(sizesArb, fc.array(fc.nat(12)), fc.integer({ min: 3, max: 6 }), (sizes, joint, k) => {
        const hidden = laterSizesSuppressed(sizes, joint, k);
        const expected = jointGroupsPass(joint, k) ? sizes.filter((g) => g.cell.n === 0) : sizes;
        expect(sorted(hidden)).toEqual(expected.map((g) => g.key).sort());
      }),
    );
  });

  it('breaks nothing down by a grouping question whose sizes show no group (README choice 1)', () => {
    expect(sizesAllowBreakdowns(new Set(['a', 'b']), ['a', 'b', 'prefer_not_to_say'])).toBe(true);
    expect(sizesAllowBreakdowns(new Set(['a', 'b', 'prefer_not_to_say']), ['a', 'b', 'prefer_not_to_say'])).toBe(false);
  });
});

describe('rule 4 — which grouping questions, and over what', () => {
  it('breaks a question down by the first grouping question in definition order under rules 1–3, the later ones jointly', () => {
    expect(isFirstGroupingQuestion(0)).toBe(true);
    expect(isFirstGroupingQuestion(1)).toBe(false);
    expect(jointOver(['region'], 'size')).toEqual(['region', 'size']);
    expect(jointOver([], 'size')).toEqual(['size']);
  });

  it('never breaks a grouping question down by another', () => {
    expect(hasBreakdowns(true)).toBe(false);
    expect(hasBreakdowns(false)).toBe(true);
  });
});

describe('a breakdown before and after rule 3', () => {
  it('hides groups that fail rules 1–2, groups hidden in the sizes (README choice 1) and groups rule 8 hid', () => {
    const groups = [group('a', { 1: 3, 2: 3 }), group('b', { 1: 6 }), group('c', { 1: 2, 2: 1 }), group('d', { 1: 4, 2: 4 }), group('e', { 1: 4, 2: 4 })];
    expect(sorted(groupsSuppressed(groups, 'distribution', settings, [], []))).toEqual(['b', 'c']);
    expect(sorted(groupsSuppressed(groups, 'distribution', settings, ['d'], ['e']))).toEqual(['b', 'c', 'd', 'e']);
  });

  it('property: the groups hidden before rule 3 are exactly those three kinds', () => {
    fc.assert(
      fc.property(
        kindArb.chain((kind) => fc.tuple(fc.constant(kind), breakdownArb(kind))),
        settingsArb,
        fc.array(fc.nat(4)),
        fc.array(fc.nat(4)),
        ([kind, groups], s, inSizes, byRule8) => {
          const sizes = inSizes.map((j) => `g${j}`);
          const audit = byRule8.map((j) => `g${j}`);
          const hidden = groupsSuppressed(groups, kind, s, sizes, audit);
          for (const g of groups) expect(hidden.has(g.key)).toBe(sizes.includes(g.key) || audit.includes(g.key) || cellSuppressed(g.cell, kind, s));
        },
      ),
    );
  });

  it('hides a multi-choice option in every published group when any published group hides it', () => {
    const groups: Group[] = [
      { key: 'a', cell: { n: 8, counts: { calls: 4, visits: 1 } } },
      { key: 'b', cell: { n: 8, counts: { calls: 4, visits: 4 } } },
      { key: 'c', cell: { n: 3, counts: { calls: 3, visits: 0 } } },
    ];
    expect([...optionsHiddenInBreakdown(groups, new Set(['c']), 'options', 1)]).toEqual(['visits']);
    // c is not published: what it would hide does not matter.
    expect(optionsHiddenInBreakdown(groups, new Set(['a', 'c']), 'options', 1).size).toBe(0);
    expect(optionsHiddenInBreakdown(groups, new Set(), 'distribution', 1).size).toBe(0);
  });

  it('property: an option is hidden in a breakdown iff some published group hides it', () => {
    fc.assert(
      fc.property(breakdownArb('options'), fc.array(fc.nat(4)), fc.integer({ min: 1, max: 2 }), (groups, suppressedIdx, c) => {
        const suppressed = new Set(suppressedIdx.map((j) => `g${j}`));
        const hidden = optionsHiddenInBreakdown(groups, suppressed, 'options', c);
        const published = groups.filter((g) => !suppressed.has(g.key));
        for (const o of Object.keys(groups[0]!.cell.counts)) {
          expect(hidden.has(o)).toBe(published.some((g) => g.cell.counts[o] !== undefined && !optionShown(g.cell.counts[o]!, g.cell.n, c)));
        }
      }),
    );
  });
});

describe('comment counts (README choice 9)', () => {
  it('are shown under rules 1 and 5, unless rule 8 hid them', () => {
    expect(commentCountShown(5, 20, 5, false)).toBe(true);
    expect(commentCountShown(4, 20, 5, false)).toBe(false);
    expect(commentCountShown(5, 4, 5, false)).toBe(false);
    expect(commentCountShown(5, 20, 5, true)).toBe(false);
  });
});

describe('rule 8 — what compute asks of the further suppressions, and the order of proofs', () => {
  it('reads what rule 8 has hidden', () => {
    const hidden = hiddenByAudit({ groups: { q: { region: ['africa'] } }, questions: ['r'], sizes: ['region'], breakdownsBy: ['size'], comments: ['notes'] });
    expect(hidden.groups('q', 'region')).toEqual(['africa']);
    expect(hidden.groups('q', 'size')).toEqual([]);
    expect(hidden.question('r')).toBe(true);
    expect(hidden.question('q')).toBe(false);
    expect(hidden.sizes('region')).toBe(true);
    expect(hidden.breakdownsBy('size')).toBe(true);
    expect(hidden.breakdownsBy('region')).toBe(false);
    expect(hidden.comments('notes')).toBe(true);
  });

  it('property: proofs are handled in question order, keeping the audit\'s order within a question', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(4)), (positions) => {
        const proofs = positions.map((position, arrival) => ({ position, arrival }));
        const ordered = inProofOrder(proofs, (p) => p.position);
        expect(ordered).toHaveLength(proofs.length);
        for (let i = 1; i < ordered.length; i++) {
          const [a, b] = [ordered[i - 1]!, ordered[i]!];
          expect(a.position < b.position || (a.position === b.position && a.arrival < b.arrival)).toBe(true);
        }
      }),
    );
  });
});
