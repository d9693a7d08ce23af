/**
 * The classic disclosure leaks (§6), one small table each, on invite-only surveys (the only ones
 * with breakdowns, rule 4). For every table the comment says what the naive approach ("hide groups
 * smaller than k", nothing else) would publish and what an attacker learns from it; the assertions
 * show that rules 1–7 do not leak it. Where the attack is a subtraction, the test also runs it
 * against the naive release to prove the table really is a leak case. (The inferences only the
 * audit of rule 8 catches have their own tests.)
 */
import { describe, expect, it } from 'vitest';
import { computeRelease, isMarker, type GroupCell, type PublishedCell, type ReleaseContent } from '../../src/releases/compute.js';
import { interimReleaseDue } from '../../src/releases/rules.js';
import { PREFER_NOT_TO_SAY, type Question } from '../../src/surveys/definition.js';
import {
  choice,
  aggregatesOf,
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
/** An invite-only survey: breakdowns exist only there (rule 4). */
const invite = (questions: Question[], opts: { c?: number; interim?: boolean } = {}) => definition(questions, { ...opts, access: 'invite' });
const REGION = grouping('region', ['africa', 'americas', 'asia']);
const GROUPS = ['africa', 'americas', 'asia', PREFER_NOT_TO_SAY];

/** The naive release of a breakdown: every group of at least k published in full, the others hidden. */
function naiveBreakdown(rows: readonly Row[], questionId: string, keys: readonly string[] = GROUPS, g = REGION): GroupCell[] {
  const def = invite([g, likert(questionId)]);
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
  const def = invite([REGION, likert('speak_freely')]);
  const content = release(def, rows, true);

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
  const def = invite([REGION, likert('speak_freely')]);
  const content = release(def, rows, true);

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

describe('interim releases while a survey is open, then the final release at 18', () => {
  // In arrival order. At 18: africa 7, americas 6, asia 3, prefer_not_to_say 2.
  const order: [string | undefined, number][] = [
    ['africa', 5], ['africa', 4], ['americas', 3], ['americas', 2], ['asia', 4], ['africa', 3], ['americas', 5], [undefined, 2], ['africa', 1], ['asia', 3],
    ['americas', 1],
    ['africa', 4], ['americas', 4], ['africa', 2], ['asia', 5], ['americas', 3],
    ['africa', 5], [PREFER_NOT_TO_SAY, 4],
  ];
  const rows: Row[] = order.map(([region, speak_freely]) => ({ region, speak_freely }));
  const def = invite([REGION, likert('speak_freely'), text('suggestions')], { interim: true });

  /**
   * What the job does as the responses arrive: after each one it releases if rule 6 says an
   * interim release is due (k respondents since the previous one), then the final release at the
   * close. Each release lists the earlier ones.
   */
  function releasesWhileOpen(): { at: number; content: ReleaseContent }[] {
    const made: { at: number; content: ReleaseContent }[] = [];
    const earlier = () => made.map(({ at, content }) => ({ releasedAt: `2026-11-${String(at).padStart(2, '0')}`, respondents: content.respondents }));
    for (let n = 1; n <= rows.length; n++) {
      const last = made.at(-1);
      if (!interimReleaseDue(n, last?.at, K)) continue;
      made.push({ at: n, content: computeRelease({ definition: def, aggregates: aggregatesOf(def, rows.slice(0, n)), final: false, earlier: earlier() }) });
    }
    made.push({ at: rows.length, content: computeRelease({ definition: def, aggregates: aggregatesOf(def, rows), final: true, earlier: earlier() }) });
    return made;
  }
  const made = releasesWhileOpen();

  it('is a leak for naive interim figures one respondent apart', () => {
    // Overall at 11 − overall at 10 = the eleventh respondent's answer ("strongly disagree").
    const at10 = trueCell(def, rows.slice(0, 10), 'speak_freely');
    const at11 = trueCell(def, rows.slice(0, 11), 'speak_freely');
    expect(at11.n - at10.n).toBe(1);
    expect(Object.entries(at11.counts).filter(([v, x]) => x !== at10.counts[v])).toEqual([['1', 2]]);
  });

  it('makes an interim release only once k respondents came in since the previous one', () => {
    expect(made.map((r) => [r.at, r.content.final])).toEqual([[5, false], [10, false], [15, false], [18, true]]);
    const counts = made.map((r) => published(r.content.respondents as PublishedCell).n);
    expect(counts).toEqual([5, 10, 15, 18]);
    for (let i = 1; i < counts.length - 1; i++) expect(counts[i]! - counts[i - 1]!).toBeGreaterThanOrEqual(K);
  });

  it('publishes the respondent count only in an interim release', () => {
    for (const { at, content } of made.filter((r) => !r.content.final)) {
      expect(content.respondents).toEqual({ n: at });
      // No figure of any question: no overall, no group size, no breakdown, no comment count.
      expect(content.questions).toEqual([]);
      // Nothing else: the survey's settings, the code count and the earlier releases' counts.
      expect(Object.keys(content).sort()).toEqual(['final', 'invitations', 'minDiversity', 'minGroupSize', 'questions', 'releases', 'respondents', 'survey']);
      expect(content.releases.map((r) => r.respondents)).toEqual(made.filter((r) => r.at < at).map((r) => ({ n: r.at })));
    }
  });

  it('publishes every figure afresh at the close, and lists the earlier releases by their counts only', () => {
    const final = made.at(-1)!.content;
    expect(final.final).toBe(true);
    expect(final.respondents).toEqual({ n: 18 });
    expect(final.releases).toEqual([
      { releasedAt: '2026-11-05', respondents: { n: 5 } },
      { releasedAt: '2026-11-10', respondents: { n: 10 } },
      { releasedAt: '2026-11-15', respondents: { n: 15 } },
    ]);
    // The figures are those of all 18 respondents: nothing in them is an earlier moment's figure.
    const overall = published(choice(final, 'speak_freely').overall);
    expect(overall).toEqual({ n: 18, counts: trueCell(def, rows, 'speak_freely').counts, mean: 3.33 });
    expect(JSON.stringify(final)).not.toContain('stale');
    // Group sizes add up to the respondent count of this release, not to an earlier one.
    const sizes = published(choice(final, 'region').overall);
    expect(sizes.n).toBe(18);
    expect(sizes.counts).toEqual({ africa: 7, americas: 6, asia: { suppressed: true }, [PREFER_NOT_TO_SAY]: { suppressed: true } });
    // The comment count comes with the final release (none here: the marker).
    expect(question(final, 'suggestions')).toEqual({ id: 'suggestions', type: 'text', required: false, grouping: false, comments: { suppressed: true } });
  });
});

describe('a group whose members all chose the same answer', () => {
  // Naive: africa (6) published as "6 × strongly agree": anyone who knows a partner is in africa
  // knows what that partner answered, without any small number anywhere.
  const rows = [...answers('africa', [5, 5, 5, 5, 5, 5]), ...answers('americas', [5, 4, 4, 3, 2, 2, 1]), ...answers('asia', [4, 4, 3, 3, 2, 1])];
  const def = invite([REGION, likert('speak_freely')]);
  const content = release(def, rows, true);

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
  const def = invite([REGION, likert('speak_freely')]);

  it('suppresses the group (c = 1), and every published group shows at least c + 1 answers outside its largest', () => {
    const q = choice(release(def, rows, true), 'speak_freely');
    const groups = q.breakdowns!.region!;
    expect(groups[1]).toEqual({ group: 'americas', suppressed: true });
    for (const g of publishedGroups(groups)) expect(diverse(g as { n: number; counts: Record<string, number> }, 1)).toBe(true);
    expect(subtract(published(q.overall), groups).n).toBeGreaterThanOrEqual(K);
  });

  it('suppresses "all but two" as well once c = 2', () => {
    const rows2 = [...answers('africa', [5, 4, 4, 3, 2, 2, 1]), ...answers('americas', [4, 4, 4, 4, 4, 2, 1]), ...answers('asia', [5, 5, 3, 3, 2, 1, 1])];
    const q = choice(release(invite([REGION, likert('speak_freely')], { c: 2 }), rows2, true), 'speak_freely');
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
  const def = invite([REGION, multi('activities', ['calls', 'mentoring', 'visits'])]);
  const q = choice(release(def, rows, true), 'activities');

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
  const def = invite([REGION, SIZE, likert('speak_freely')]);
  const content = release(def, rows, true);

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
    const q = choice(release(def, more, true), 'speak_freely');
    expect(publishedGroups(q.breakdowns!.size!).map((g) => g.group)).toEqual(['small', 'large']);
  });
});

describe('two grouping questions whose joint cells of one question are not diverse', () => {
  // Every region × size combination has at least k respondents, so the group sizes of both are
  // published. The five large partners of the americas all answered "5" to pace: breakdowns of
  // pace by region (americas: six 5s of eleven) and by size (large: six 5s of ten) each pass
  // rules 1–3, yet together with the other groups they are two margins of the joint table, and
  // the joint cell they pin is "all five answered 5". So pace is broken down by region only;
  // speak_freely, whose joint cells are all diverse, by both.
  const SIZE = grouping('size', ['small', 'large']);
  const r = (region: string, size: string, speak: number[], pace: number[]): Row[] => speak.map((speak_freely, i) => ({ region, size, speak_freely, pace: pace[i] }));
  const rows = [
    ...r('africa', 'small', [5, 4, 3, 2, 1, 3], [1, 2, 3, 4, 5, 3]),
    ...r('africa', 'large', [5, 4, 3, 2, 2], [2, 3, 4, 4, 5]),
    ...r('americas', 'small', [1, 2, 3, 4, 5, 4], [1, 1, 2, 3, 4, 5]),
    ...r('americas', 'large', [2, 3, 4, 5, 1], [5, 5, 5, 5, 5]),
  ];
  const def = invite([REGION, SIZE, likert('speak_freely'), likert('pace')]);
  const content = release(def, rows, true);

  it('publishes both grouping questions\' sizes: every joint group has k respondents', () => {
    expect(published(choice(content, 'region').overall).counts).toEqual({ africa: 11, americas: 11, asia: { suppressed: true }, [PREFER_NOT_TO_SAY]: { suppressed: true } });
    expect(published(choice(content, 'size').overall).counts).toEqual({ small: 12, large: 10, [PREFER_NOT_TO_SAY]: { suppressed: true } });
  });

  it('breaks a question down by the second grouping question only where every joint cell passes rules 1 and 2', () => {
    const speak = choice(content, 'speak_freely');
    expect(publishedGroups(speak.breakdowns.region!).map((g) => g.group)).toEqual(['africa', 'americas']);
    expect(publishedGroups(speak.breakdowns.size!).map((g) => g.group)).toEqual(['small', 'large']);

    const pace = choice(content, 'pace');
    expect(publishedGroups(pace.breakdowns.region!).map((g) => g.group)).toEqual(['africa', 'americas']);
    expect(pace.breakdowns.size).toEqual([
      { group: 'small', suppressed: true },
      { group: 'large', suppressed: true },
      { group: PREFER_NOT_TO_SAY, suppressed: true },
    ]);
  });

  it('is a leak that no margin shows: each breakdown alone passes rules 1–3', () => {
    const large = trueCell(def, rows, 'pace', inGroupOf(SIZE, 'large'));
    const americas = trueCell(def, rows, 'pace', inGroupOf(REGION, 'americas'));
    expect([large.n, americas.n]).toEqual([10, 11]);
    expect(diverse(large, 1) && diverse(americas, 1)).toBe(true);
    const joint = trueCell(def, rows, 'pace', (row) => row.region === 'americas' && row.size === 'large');
    expect(joint).toEqual({ n: 5, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 5 } });
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
  const def = invite([REGION, likert('speak_freely'), text('suggestions')]);

  it('publishes nothing: no figure, no comment count, every breakdown the marker', () => {
    const content = release(def, rows, true);
    expect(content.respondents).toEqual({ suppressed: true });
    expect(choice(content, 'region').overall).toEqual({ suppressed: true });
    const q = choice(content, 'speak_freely');
    expect(q.overall).toEqual({ suppressed: true });
    expect(q.breakdowns!.region).toEqual(GROUPS.map((group) => ({ group, suppressed: true })));
    expect(question(content, 'suggestions')).toEqual({ id: 'suggestions', type: 'text', required: false, grouping: false, comments: { suppressed: true } });
    // Not a single count anywhere in the output.
    expect(JSON.stringify({ respondents: content.respondents, questions: content.questions })).not.toMatch(/\d/);
  });
});

describe("a grouping question's own counts with a group below k", () => {
  // Naive: sizes africa 10, americas 9, asia hidden, beside 21 respondents: 21 − 10 − 9 = asia's 2.
  const rows = [...answers('africa', [5, 4, 4, 3, 3, 2, 2, 1, 1, 5]), ...answers('americas', [5, 4, 4, 3, 3, 2, 2, 1, 1]), ...answers('asia', [3, 4])];
  const def = invite([REGION, likert('speak_freely')]);
  const content = release(def, rows, true);

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
    const content = release(invite([REGION, likert('speak_freely')]), rows, true);
    const groups = choice(content, 'speak_freely').breakdowns!.region!;
    expect(groups.map((g) => [g.group, isMarker(g)])).toEqual([['africa', false], ['americas', false], ['asia', true], [PREFER_NOT_TO_SAY, true]]);
    expect(published(choice(content, 'region').overall).counts).toEqual({ africa: 8, americas: 7, asia: { suppressed: true }, [PREFER_NOT_TO_SAY]: { suppressed: true } });
  });

  it('do not count as the second group of a pool', () => {
    // Naive complement that counts empty groups: americas (3) hidden with asia (0) and
    // prefer_not_to_say (0) — "three groups hidden" — yet overall − africa = americas' 3 answers.
    const rows = [...answers('africa', [5, 4, 4, 3, 3, 2, 2, 1, 1, 5]), ...answers('americas', [1, 1, 2])];
    const def = invite([REGION, likert('speak_freely')]);
    expect(subtract(trueCell(def, rows, 'speak_freely'), naiveBreakdown(rows, 'speak_freely')).n).toBe(3);
    const content = release(def, rows, true);
    const q = choice(content, 'speak_freely');
    expect(q.breakdowns!.region!.every((g) => isMarker(g))).toBe(true);
    expect(subtract(published(q.overall), q.breakdowns!.region!).n).toBe(13);
  });
});
