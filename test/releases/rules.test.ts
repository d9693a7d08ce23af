/** The seven disclosure-control rules of §6, one pure function each: examples at and around every boundary. */
import { describe, expect, it } from 'vitest';
import {
  belowKOverall,
  complement,
  deterministicMean,
  diversity,
  interimReleaseDue,
  oneCutAtATime,
  releaseInStepsOfK,
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
    expect(diversity({ n: 6, counts: { 1: 0, 5: 6 } }, 'distribution', 1).publish).toBe(false);
    // All but one answered the same: never shown with c = 1.
    expect(diversity({ n: 6, counts: { 2: 1, 5: 5 } }, 'distribution', 1).publish).toBe(false);
    // Two outside the largest answer: shown with c = 1 …
    expect(diversity({ n: 6, counts: { 2: 2, 5: 4 } }, 'distribution', 1).publish).toBe(true);
    // … but not with c = 2, which needs three.
    expect(diversity({ n: 6, counts: { 2: 2, 5: 4 } }, 'distribution', 2).publish).toBe(false);
    expect(diversity({ n: 6, counts: { 1: 1, 2: 2, 5: 3 } }, 'distribution', 2).publish).toBe(true);
    // An empty distribution has nothing to show.
    expect(diversity({ n: 0, counts: {} }, 'distribution', 1).publish).toBe(false);
  });

  it('hides a multi-choice option unless min(x, n − x) ≥ c + 1, keeping the others', () => {
    const d = diversity({ n: 10, counts: { calls: 10, mentoring: 1, visits: 5, peers: 9, webinars: 2, none: 0 } }, 'options', 1);
    // The cell itself is published; only the options almost nobody / almost everybody chose are hidden.
    expect(d.publish).toBe(true);
    expect(d.hiddenOptions.sort()).toEqual(['calls', 'mentoring', 'none', 'peers']);
    expect(diversity({ n: 10, counts: { webinars: 2, peers: 8 } }, 'options', 2).hiddenOptions.sort()).toEqual(['peers', 'webinars']);
    expect(diversity({ n: 10, counts: { webinars: 3, peers: 7 } }, 'options', 2).hiddenOptions).toEqual([]);
  });

  it('leaves group sizes to rules 1 and 3', () => {
    expect(diversity({ n: 9, counts: { africa: 9 } }, 'sizes', 1)).toEqual({ publish: true, hiddenOptions: [] });
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

  it('at a final release behind a stale overall figure, requires a pool even when nothing was suppressed', () => {
    const groups = [group('a', { 1: 5, 2: 5 }), group('b', { 1: 3, 2: 3 }), group('c', { 1: 4, 2: 3 })];
    const r = complement(groups, new Set(), { ...settings, kind: 'distribution', requirePool: 5 });
    expect(sorted(r.suppressed)).toEqual(['b', 'c']);
    expect(complement(groups, new Set(), { ...settings, kind: 'distribution' }).suppressed.size).toBe(0);
  });

  it('keeps k respondents of the stale figure in the pool on top of those added since it was published', () => {
    // Stale figure published at 16, 18 now: the pool must hold k + 2 = 7, since the two newcomers may be in it.
    const groups = [group('a', { 1: 4, 2: 3 }), group('b', { 1: 3, 2: 3 }), group('c', { 1: 2, 2: 1 }), group('d', { 1: 1, 2: 1 })];
    const opts = { ...settings, kind: 'distribution' as const };
    expect(sorted(complement(groups, new Set(['c', 'd']), { ...opts, requirePool: 5 }).suppressed)).toEqual(['c', 'd']);
    expect(sorted(complement(groups, new Set(['c', 'd']), { ...opts, requirePool: 7 }).suppressed)).toEqual(['b', 'c', 'd']);
  });
});

describe('rule 4 — one cut at a time', () => {
  it('keeps every grouping question when every non-empty combination has at least k respondents', () => {
    expect(oneCutAtATime(['region', 'size'], [5, 9, 0, 12], 5)).toEqual(['region', 'size']);
  });
  it('keeps only the first grouping question when one combination is below k', () => {
    expect(oneCutAtATime(['region', 'size'], [20, 9, 1, 12], 5)).toEqual(['region']);
    expect(oneCutAtATime(['size', 'region'], [20, 4], 5)).toEqual(['size']);
  });
  it('has nothing to combine with one grouping question or none', () => {
    expect(oneCutAtATime(['region'], [1], 5)).toEqual(['region']);
    expect(oneCutAtATime([], [], 5)).toEqual([]);
  });
});

describe('rule 5 — below k overall, nothing', () => {
  it('is true below k respondents only', () => {
    expect(belowKOverall(4, 5)).toBe(true);
    expect(belowKOverall(0, 5)).toBe(true);
    expect(belowKOverall(5, 5)).toBe(false);
  });
});

describe('rule 6 — release in steps of k', () => {
  it('updates a figure never published, and one that gained at least k respondents', () => {
    expect(releaseInStepsOfK(11, undefined, 5)).toBe('update');
    expect(releaseInStepsOfK(15, 10, 5)).toBe('update');
    expect(releaseInStepsOfK(40, 10, 5)).toBe('update');
  });
  it('keeps a figure that gained fewer than k respondents', () => {
    expect(releaseInStepsOfK(11, 10, 5)).toBe('keep');
    expect(releaseInStepsOfK(14, 10, 5)).toBe('keep');
  });
  it('updates a figure nobody was added to: it changes by 0, and is not stale', () => {
    expect(releaseInStepsOfK(10, 10, 5)).toBe('update');
  });
  it('makes an interim release only once k respondents were added since the previous one', () => {
    expect(interimReleaseDue(4, undefined, 5)).toBe(false);
    expect(interimReleaseDue(5, undefined, 5)).toBe(true);
    expect(interimReleaseDue(14, 10, 5)).toBe(false);
    expect(interimReleaseDue(15, 10, 5)).toBe(true);
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
