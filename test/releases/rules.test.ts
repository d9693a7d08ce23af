/** The disclosure-control rules of §6, one pure function per clause: examples at and around every boundary. */
import { describe, expect, it } from 'vitest';
import {
  belowKOverall,
  breakdownsAllowed,
  complement,
  deterministicMean,
  diverseDistribution,
  hiddenInAnyHiddenInAll,
  hiddenOptions,
  interimReleaseDue,
  jointCellsPass,
  jointGroupsPass,
  nothingFurther,
  optionShown,
  passesRules1And2,
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
