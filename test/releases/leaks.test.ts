/**
 * The classic disclosure leaks (§6), one small table each. For every table the comment says what
 * the naive approach ("hide groups smaller than k", nothing else) would publish and what an
 * attacker learns from it; the assertions show that the released output does not leak it. Where
 * the attack is a subtraction, the test also runs it against the naive release to prove the table
 * really is a leak case.
 */
import { describe, expect, it } from 'vitest';
import { isMarker, type GroupCell, type PublishedCell } from '../../src/releases/compute.js';
import { PREFER_NOT_TO_SAY } from '../../src/surveys/definition.js';
import {
  choice,
  definition,
  diverse,
  grouping,
  inGroupOf,
  likert,
  many,
  multi,
  published,
  publishedGroups,
  question,
  release,
  subtract,
  text,
  trueCell,
  type Row,
} from './table.js';

const K = 5;
const REGION = grouping('region', ['africa', 'americas', 'asia']);
const GROUPS = ['africa', 'americas', 'asia', PREFER_NOT_TO_SAY];

/** The naive release of a breakdown: every group of at least k published in full, the others hidden. */
function naiveBreakdown(rows: readonly Row[], questionId: string, keys: readonly string[] = GROUPS, g = REGION): GroupCell[] {
  const def = definition([g, likert(questionId)]);
  return keys.map((key) => {
    const cell = trueCell(def, rows, questionId, inGroupOf(g, key));
    return cell.n >= K ? { group: key, n: cell.n, counts: cell.counts } : { group: key, suppressed: true as const };
  });
}

const sizesOf = (overall: PublishedCell) => Object.entries(overall.counts).filter(([, x]) => typeof x === 'number') as [string, number][];

/** Likert answers for a group, spread enough to pass rule 2 on their own. */
const answers = (region: string | undefined, values: number[]): Row[] => values.map((speak_freely) => ({ region, speak_freely }));

describe('the complement from the total', () => {
  // Naive: africa (8) and americas (7) published, asia (3) hidden. Overall − africa − americas
  // = asia's three answers (two "strongly disagree", one "disagree").
  const rows = [...answers('africa', [5, 4, 4, 3, 3, 2, 2, 1]), ...answers('americas', [5, 5, 4, 3, 3, 2, 1]), ...answers('asia', [1, 1, 2])];
  const def = definition([REGION, likert('speak_freely')]);
  const { content } = release(def, rows, true);

  it('is a leak for the naive release', () => {
    const overall = { ...trueCell(def, rows, 'speak_freely') };
    expect(subtract(overall, naiveBreakdown(rows, 'speak_freely'))).toEqual({ n: 3, counts: { 1: 2, 2: 1, 3: 0, 4: 0, 5: 0 } });
  });

  it('hides a second group, so that subtracting leaves at least k respondents who did not all answer alike', () => {
    const q = choice(content, 'speak_freely');
    const groups = q.breakdowns!.region!;
    expect(groups.map((g) => g.group)).toEqual(GROUPS);
    expect(isMarker(groups.find((g) => g.group === 'asia'))).toBe(true);
    // The smallest other group (americas, 7) joins asia.
    expect(publishedGroups(groups).map((g) => g.group)).toEqual(['africa']);
    const left = subtract(published(q.overall), groups);
    expect(left.n).toBeGreaterThanOrEqual(K);
    expect(diverse(left, 1)).toBe(true);
  });

  it('does the same to the group sizes', () => {
    const sizes = published(choice(content, 'region').overall);
    expect(sizes.counts.asia).toEqual({ suppressed: true });
    const shown = sizesOf(sizes);
    expect(shown).toEqual([['africa', 8]]);
    expect(published(content.respondents as PublishedCell).n - shown.reduce((s, [, n]) => s + n, 0)).toBeGreaterThanOrEqual(K);
  });
});

describe('two groups of one beside a group of twenty', () => {
  // Naive: africa (20) published, americas (1) and asia (1) hidden. Overall − africa = the two
  // of them together, both "strongly disagree": each of the two learns the other's answer, and
  // anyone who knows one of them is from asia or the americas learns theirs.
  const rows = [...answers('africa', [5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 4, 4, 3, 3]), ...answers('americas', [1]), ...answers('asia', [1])];
  const def = definition([REGION, likert('speak_freely')]);
  const { content } = release(def, rows, true);

  it('is a leak for the naive release', () => {
    const overall = trueCell(def, rows, 'speak_freely');
    expect(subtract(overall, naiveBreakdown(rows, 'speak_freely'))).toMatchObject({ n: 2, counts: { 1: 2 } });
  });

  it('pools the two with the big group: nothing is left to subtract', () => {
    const q = choice(content, 'speak_freely');
    // The overall figure is fine (22 respondents), every group of the breakdown is the marker.
    expect(published(q.overall).n).toBe(22);
    expect(q.breakdowns!.region!.every((g) => isMarker(g))).toBe(true);
    // Group sizes too: 20 + two hidden would say "two people are not from africa".
    expect(Object.values(published(choice(content, 'region').overall).counts).every((x) => isMarker(x))).toBe(true);
  });
});

describe('the same survey released at n = 10, 11 and 16, then closed at 18', () => {
  // In arrival order. At 18: africa 7, americas 6, asia 3, prefer_not_to_say 2.
  const order: [string | undefined, number][] = [
    ['africa', 5], ['africa', 4], ['americas', 3], ['americas', 2], ['asia', 4], ['africa', 3], ['americas', 5], [undefined, 2], ['africa', 1], ['asia', 3],
    ['americas', 1],
    ['africa', 4], ['americas', 4], ['africa', 2], ['asia', 5], ['americas', 3],
    ['africa', 5], [PREFER_NOT_TO_SAY, 4],
  ];
  const rows: Row[] = order.map(([region, speak_freely]) => ({ region, speak_freely }));
  const def = definition([REGION, likert('speak_freely'), text('suggestions')], { interim: true });
  const at10 = release(def, rows.slice(0, 10), false);
  const at11 = release(def, rows.slice(0, 11), false, at10);
  const at16 = release(def, rows.slice(0, 16), false, at11);
  const at18 = release(def, rows, true, at16);

  it('publishes overall figures only in an interim release', () => {
    expect(at10.content.final).toBe(false);
    expect(at10.content.respondents).toEqual({ n: 10 });
    // No grouping question's sizes, no comments, no breakdowns.
    expect(at10.content.questions.map((q) => q.id)).toEqual(['speak_freely']);
    expect(choice(at10.content, 'speak_freely')).toEqual({ id: 'speak_freely', type: 'likert', overall: { n: 10, counts: { 1: 1, 2: 2, 3: 3, 4: 2, 5: 2 }, mean: 3.2 } });
  });

  it('keeps the 10 figures, marked stale, at 11', () => {
    // Naive: overall at 11 − overall at 10 = the eleventh respondent's answer ("strongly disagree").
    const fresh11 = trueCell(def, rows.slice(0, 11), 'speak_freely');
    expect(fresh11.counts['1']! - trueCell(def, rows.slice(0, 10), 'speak_freely').counts['1']!).toBe(1);
    expect(at11.content.respondents).toEqual({ n: 10, stale: true });
    expect(choice(at11.content, 'speak_freely').overall).toEqual({ ...choice(at10.content, 'speak_freely').overall, stale: true });
    // Rule 6 still counts from 10: the step is measured from the last publication. (The job would
    // not even make this release — "not_due", see job.test.ts — but the rules must hold without it.)
    expect(at11.state.figures['overall:speak_freely']).toBe(10);
  });

  it('updates at 16, six respondents after the figures were last published', () => {
    expect(at16.content.respondents).toEqual({ n: 16 });
    const overall = published(choice(at16.content, 'speak_freely').overall);
    expect(overall.stale).toBeUndefined();
    expect(overall).toEqual({ n: 16, counts: trueCell(def, rows.slice(0, 16), 'speak_freely').counts, mean: 3.19 });
  });

  it('at 18 keeps the 16 figures and protects them: every breakdown keeps at least k of their respondents suppressed', () => {
    // Naive: africa (7) and americas (6) published at 18. The 16 release minus those two leaves
    // 3 respondents' answers — fewer than k, isolated by subtracting two releases. (Publishing
    // all four groups would even add up to the 18 figure that rule 6 held back: minus the 16
    // release, that is the last two respondents' answers.)
    const staleOverall = published(choice(at16.content, 'speak_freely').overall);
    const naive = naiveBreakdown(rows, 'speak_freely');
    expect(subtract(staleOverall, naive).n).toBe(3);

    const { content } = at18;
    expect(content.final).toBe(true);
    expect(content.respondents).toEqual({ n: 16, stale: true });
    const q = choice(content, 'speak_freely');
    expect(q.overall).toEqual({ ...staleOverall, stale: true });
    const groups = q.breakdowns!.region!;
    const shownN = publishedGroups(groups).reduce((s, g) => s + g.n, 0);
    // The published groups never add up to the held-back 18 …
    expect(shownN).not.toBe(18);
    // … and subtracting them from the published 16 leaves at least k of those 16.
    expect(staleOverall.n - shownN).toBeGreaterThanOrEqual(K);
    // The group sizes add up to the respondent count, which rule 6 holds back at 16: showing 18
    // respondents' group sizes beside it would mix two moments, so they are not shown at all.
    expect(choice(content, 'region').overall).toEqual({ suppressed: true });
    // Comment counts come with the final release (none here: the marker).
    expect(question(content, 'suggestions')).toEqual({ id: 'suggestions', type: 'text', comments: { suppressed: true } });
  });
});

describe('a group whose members all chose the same answer', () => {
  // Naive: africa (6) published as "6 × strongly agree": anyone who knows a partner is in africa
  // knows what that partner answered, without any small number anywhere.
  const rows = [...answers('africa', [5, 5, 5, 5, 5, 5]), ...answers('americas', [5, 4, 4, 3, 2, 2, 1]), ...answers('asia', [4, 4, 3, 3, 2, 1])];
  const def = definition([REGION, likert('speak_freely')]);
  const { content } = release(def, rows, true);

  it('suppresses the group, and pools it with another so that the subtraction is diverse too', () => {
    expect(naiveBreakdown(rows, 'speak_freely')[0]).toEqual({ group: 'africa', n: 6, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 6 } });
    const q = choice(content, 'speak_freely');
    const groups = q.breakdowns!.region!;
    expect(groups[0]).toEqual({ group: 'africa', suppressed: true });
    expect(publishedGroups(groups).map((g) => g.group)).toEqual(['americas']);
    const left = subtract(published(q.overall), groups);
    expect(left.n).toBeGreaterThanOrEqual(K);
    expect(diverse(left, 1)).toBe(true);
  });
});

describe('a group where all but one chose the same answer', () => {
  // Naive: americas (7) published as "6 × agree, 1 × disagree": each of the six who agreed
  // knows the seventh disagreed, and so does anyone who knows six of them.
  const rows = [...answers('africa', [5, 4, 4, 3, 2, 2, 1]), ...answers('americas', [4, 4, 4, 4, 4, 4, 2]), ...answers('asia', [5, 5, 3, 3, 2, 1, 1])];
  const def = definition([REGION, likert('speak_freely')]);

  it('suppresses the group (c = 1), and every published group shows at least c + 1 answers outside its largest', () => {
    const q = choice(release(def, rows, true).content, 'speak_freely');
    const groups = q.breakdowns!.region!;
    expect(groups[1]).toEqual({ group: 'americas', suppressed: true });
    for (const g of publishedGroups(groups)) expect(diverse(g as { n: number; counts: Record<string, number> }, 1)).toBe(true);
    expect(subtract(published(q.overall), groups).n).toBeGreaterThanOrEqual(K);
  });

  it('suppresses "all but two" as well once c = 2', () => {
    const rows2 = [...answers('africa', [5, 4, 4, 3, 2, 2, 1]), ...answers('americas', [4, 4, 4, 4, 4, 2, 1]), ...answers('asia', [5, 5, 3, 3, 2, 1, 1])];
    const q = choice(release(definition([REGION, likert('speak_freely')], { c: 2 }), rows2, true).content, 'speak_freely');
    expect(q.breakdowns!.region![1]).toEqual({ group: 'americas', suppressed: true });
  });
});

describe('a multi-choice option almost nobody chose, and one almost everybody chose', () => {
  // Naive: overall "visits: 1" (the one partner who had a visit is known to the programme) and
  // "calls: 11 of 12" (the one who did not join calls); by region, americas "mentoring: 4" beside
  // an overall 5 gives africa's 1 by subtraction even though africa's count is hidden.
  const act = (region: string, ...chosen: string[]): Row => ({ region, activities: chosen });
  const rows = [
    act('africa', 'calls', 'visits'), act('africa', 'calls', 'mentoring'), act('africa', 'calls'), act('africa', 'calls'), act('africa', 'calls'), act('africa', 'calls'),
    act('americas', 'calls', 'mentoring'), act('americas', 'calls', 'mentoring'), act('americas', 'calls', 'mentoring'), act('americas', 'mentoring'), act('americas', 'calls'), act('americas', 'calls'),
  ];
  const def = definition([REGION, multi('activities', ['calls', 'mentoring', 'visits'])]);
  const q = choice(release(def, rows, true).content, 'activities');

  it('hides those options overall and keeps the others', () => {
    expect(trueCell(def, rows, 'activities').counts).toEqual({ calls: 11, mentoring: 5, visits: 1 });
    expect(q.overall).toEqual({ n: 12, counts: { calls: { suppressed: true }, mentoring: 5, visits: { suppressed: true } } });
  });

  it('hides an option hidden in any published group in all of them', () => {
    // americas alone would show mentoring (4 of 6); africa's 1 of 6 hides it there, so it is hidden in both.
    const groups = q.breakdowns!.region!;
    expect(publishedGroups(groups).map((g) => g.group)).toEqual(['africa', 'americas']);
    for (const g of publishedGroups(groups)) {
      expect(g.counts).toEqual({ calls: { suppressed: true }, mentoring: { suppressed: true }, visits: { suppressed: true } });
    }
  });
});

describe('two grouping questions whose combination has a cell of one', () => {
  // africa-small 8, africa-large 6, americas-small 7, americas-large 1 (every margin ≥ k).
  // Naive: breakdowns by region and by size. Exactly one partner answered "strongly disagree":
  // americas shows one "1", large shows one "1" — so it is the only partner who is both, and
  // whoever knows which partner that is learns their answer.
  const SIZE = grouping('size', ['small', 'large']);
  const r = (region: string, size: string, values: number[]): Row[] => values.map((speak_freely) => ({ region, size, speak_freely }));
  const rows = [...r('africa', 'small', [5, 4, 4, 3, 3, 2, 2, 5]), ...r('africa', 'large', [5, 4, 3, 3, 2, 2]), ...r('americas', 'small', [5, 4, 4, 3, 2, 2, 3]), ...r('americas', 'large', [1])];
  const def = definition([REGION, SIZE, likert('speak_freely')]);
  const { content } = release(def, rows, true);

  it('is a leak for the naive release', () => {
    const byRegion = naiveBreakdown(rows, 'speak_freely', GROUPS, REGION);
    const bySize = naiveBreakdown(rows, 'speak_freely', ['small', 'large', PREFER_NOT_TO_SAY], SIZE);
    expect(published(byRegion[1]).counts['1']).toBe(1);
    expect(published(bySize[1]).counts['1']).toBe(1);
  });

  it('breaks down by the first grouping question only; the other lists every group with the marker', () => {
    const q = choice(content, 'speak_freely');
    expect(Object.keys(q.breakdowns!)).toEqual(['region', 'size']);
    expect(publishedGroups(q.breakdowns!.region!).map((g) => g.group)).toEqual(['africa', 'americas']);
    expect(q.breakdowns!.size).toEqual([
      { group: 'small', suppressed: true },
      { group: 'large', suppressed: true },
      { group: PREFER_NOT_TO_SAY, suppressed: true },
    ]);
    // The withheld question's own sizes are withheld too; the first one's are published.
    expect(published(choice(content, 'size').overall).counts).toEqual({ small: { suppressed: true }, large: { suppressed: true }, [PREFER_NOT_TO_SAY]: { suppressed: true } });
    expect(published(choice(content, 'region').overall).counts).toMatchObject({ africa: 14, americas: 8 });
    // Grouping questions are never broken down by one another.
    expect(choice(content, 'region').breakdowns).toEqual({});
  });

  it('breaks down by both once every non-empty combination has k respondents', () => {
    const more = [...rows, ...r('americas', 'large', [2, 3, 4, 5])];
    const q = choice(release(def, more, true).content, 'speak_freely');
    expect(publishedGroups(q.breakdowns!.size!).map((g) => g.group)).toEqual(['small', 'large']);
  });
});

describe('a survey with fewer than k responses', () => {
  // Naive: there are no groups to hide in an overall figure, so it publishes "4 respondents",
  // each question's distribution over 4 people and "3 comments".
  const rows: Row[] = [
    { region: 'africa', speak_freely: 5, suggestions: 'More calls.' },
    { region: 'africa', speak_freely: 4, suggestions: 'Fewer reports.' },
    { region: 'asia', speak_freely: 2, suggestions: 'Visits.' },
    { speak_freely: 1 },
  ];
  const def = definition([REGION, likert('speak_freely'), text('suggestions')]);

  it('publishes nothing: no figure, no comment count, every breakdown the marker', () => {
    const { content } = release(def, rows, true);
    expect(content.respondents).toEqual({ suppressed: true });
    expect(choice(content, 'region').overall).toEqual({ suppressed: true });
    const q = choice(content, 'speak_freely');
    expect(q.overall).toEqual({ suppressed: true });
    expect(q.breakdowns!.region).toEqual(GROUPS.map((group) => ({ group, suppressed: true })));
    expect(question(content, 'suggestions')).toEqual({ id: 'suggestions', type: 'text', comments: { suppressed: true } });
    // Not a single count anywhere in the output.
    expect(JSON.stringify({ respondents: content.respondents, questions: content.questions })).not.toMatch(/\d/);
  });
});

describe("a grouping question's own counts with a group below k", () => {
  // Naive: sizes africa 10, americas 9, asia hidden, beside 21 respondents: 21 − 10 − 9 = asia's 2.
  const rows = [...answers('africa', [5, 4, 4, 3, 3, 2, 2, 1, 1, 5]), ...answers('americas', [5, 4, 4, 3, 3, 2, 2, 1, 1]), ...answers('asia', [3, 4])];
  const def = definition([REGION, likert('speak_freely')]);
  const { content } = release(def, rows, true);

  it('hides the small group and its complement', () => {
    const sizes = published(choice(content, 'region').overall);
    expect(sizes.n).toBe(21);
    expect(sizes.counts).toEqual({ africa: 10, americas: { suppressed: true }, asia: { suppressed: true }, [PREFER_NOT_TO_SAY]: { suppressed: true } });
    expect(sizes.n - sizesOf(sizes).reduce((s, [, n]) => s + n, 0)).toBeGreaterThanOrEqual(K);
    // A group whose size is hidden is hidden in every breakdown too.
    expect(publishedGroups(choice(content, 'speak_freely').breakdowns!.region!).map((g) => g.group)).toEqual(['africa']);
  });
});

describe('empty groups', () => {
  it('are listed with the marker and need no company in the pool', () => {
    // Nobody from asia, nobody who preferred not to say: africa and americas stay published.
    const rows = [...answers('africa', [5, 4, 4, 3, 3, 2, 2, 1]), ...answers('americas', [5, 5, 4, 3, 3, 2, 1])];
    const { content } = release(definition([REGION, likert('speak_freely')]), rows, true);
    const groups = choice(content, 'speak_freely').breakdowns!.region!;
    expect(groups.map((g) => [g.group, isMarker(g)])).toEqual([['africa', false], ['americas', false], ['asia', true], [PREFER_NOT_TO_SAY, true]]);
    expect(published(choice(content, 'region').overall).counts).toEqual({ africa: 8, americas: 7, asia: { suppressed: true }, [PREFER_NOT_TO_SAY]: { suppressed: true } });
  });

  it('do not count as the second group of a pool', () => {
    // Naive complement that counts empty groups: americas (3) hidden with asia (0) and
    // prefer_not_to_say (0) — "three groups hidden" — yet overall − africa = americas' 3 answers.
    const rows = [...answers('africa', [5, 4, 4, 3, 3, 2, 2, 1, 1, 5]), ...answers('americas', [1, 1, 2])];
    const def = definition([REGION, likert('speak_freely')]);
    expect(subtract(trueCell(def, rows, 'speak_freely'), naiveBreakdown(rows, 'speak_freely')).n).toBe(3);
    const { content } = release(def, rows, true);
    const q = choice(content, 'speak_freely');
    expect(q.breakdowns!.region!.every((g) => isMarker(g))).toBe(true);
    expect(subtract(published(q.overall), q.breakdowns!.region!).n).toBe(13);
  });
});
