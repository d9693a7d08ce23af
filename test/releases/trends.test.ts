/**
 * withTrends (§13) as a pure function, with properties over random rounds: a trend adds only
 * copies of the earlier rounds' published figures, for the same question only, from final,
 * audited releases only, oldest first — and leaves this round's own figures untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countMarkers, type ReleaseJson } from '../../src/releases/content.js';
import { comparable, sameQuestion, withTrends } from '../../src/releases/trends.js';
import type { Question } from '../../src/surveys/definition.js';
import { definition, grouping, likert, multi, rating, release, single, text, type Row } from './table.js';

/** A round of a small invite-only survey; `variant` changes one question so that it is no longer the same. */
function round(slug: string, rows: Row[], variant: 'same' | 'options' | 'order' | 'scale' | 'type', final = true, audited = true): ReleaseJson {
  const questions: Question[] = [
    grouping('region', ['north', 'south']),
    likert('mood'),
    variant === 'options' ? single('pick', ['a', 'b', 'd']) : variant === 'order' ? single('pick', ['b', 'a', 'c']) : single('pick', ['a', 'b', 'c']),
    multi('help', ['x', 'y']),
    variant === 'scale' ? rating('score', 0, 5) : variant === 'type' ? likert('score') : rating('score', 0, 4),
    text('notes'),
  ];
  const def = definition(questions, { slug, access: 'invite', k: 3 });
  const content = release(def, rows, final);
  return { ...content, survey: slug, releasedAt: '2026-11-30', ...(final && audited ? { audit: { passed: true as const, hiddenFigures: countMarkers(content), solver: 'test' } } : {}) };
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  region: fc.constantFrom('north', 'south', undefined),
  mood: fc.constantFrom(1, 2, 3, 4, 5, undefined),
  pick: fc.constantFrom('a', 'b', undefined),
  help: fc.subarray(['x', 'y']),
  score: fc.constantFrom(0, 1, 2, 3, 4),
});
const roundArb = fc.record({
  rows: fc.array(rowArb, { minLength: 0, maxLength: 30 }),
  variant: fc.constantFrom('same' as const, 'same' as const, 'options' as const, 'order' as const, 'scale' as const, 'type' as const),
  final: fc.boolean(),
  audited: fc.boolean(),
});

describe('withTrends', () => {
  it('adds copies of the comparable earlier figures, oldest first, and changes nothing of this round', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 0, maxLength: 30 }), fc.array(roundArb, { maxLength: 4 }), (rows, earlierGens) => {
        const current = round('now', rows, 'same');
        const earlier = earlierGens.map((g, i) => ({ survey: `r${i}`, release: round(`r${i}`, g.rows, g.variant, g.final, g.audited) }));
        const before = JSON.stringify(current);
        const out = withTrends(current, earlier);
        expect(JSON.stringify(current)).toBe(before);
        expect(countMarkers(out)).toBe(countMarkers(current));
        for (const [i, q] of out.questions.entries()) {
          const mine = current.questions[i]!;
          const { previous, ...own } = q as typeof q & { previous?: unknown };
          // Its own figures, in the same key order.
          expect(JSON.stringify(own)).toBe(JSON.stringify(mine));
          const expected = earlier
            .filter((e) => comparable(e.release))
            .flatMap((e) => {
              const then = e.release.questions.find((x) => x.id === q.id);
              return then && sameQuestion(mine, then) ? [{ survey: e.survey, overall: then.overall, breakdowns: then.breakdowns }] : [];
            });
          if (expected.length === 0) expect(previous).toBeUndefined();
          else expect(JSON.stringify(previous)).toBe(JSON.stringify(expected));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never compares text, a changed option list or order, another scale or another type', () => {
    const rows: Row[] = [{ region: 'north', mood: 3, pick: 'a', help: ['x'], score: 2 }];
    const now = round('now', rows, 'same');
    const ids = (variant: 'options' | 'order' | 'scale' | 'type' | 'same') =>
      withTrends(now, [{ survey: 'then', release: round('then', rows, variant) }])
        .questions.filter((q) => q.type !== 'text' && q.previous)
        .map((q) => q.id);
    expect(ids('same')).toEqual(['region', 'mood', 'pick', 'help', 'score']);
    expect(ids('options')).toEqual(['region', 'mood', 'help', 'score']);
    expect(ids('order')).toEqual(['region', 'mood', 'help', 'score']);
    expect(ids('scale')).toEqual(['region', 'mood', 'pick', 'help']);
    expect(ids('type')).toEqual(['region', 'mood', 'pick', 'help']);
    // Interim releases and releases without a passed audit are never compared.
    expect(withTrends(now, [{ survey: 'then', release: round('then', rows, 'same', false) }])).toBe(now);
    expect(withTrends(now, [{ survey: 'then', release: round('then', rows, 'same', true, false) }])).toBe(now);
  });
});
