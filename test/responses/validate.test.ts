/** Answer validation (§4): every problem per question, one canonical stored form, JSON and form alike. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDefinition, type ResolvedDefinition } from '../../src/surveys/definition.js';
import { validateAnswers } from '../../src/responses/validate.js';
import { L, sampleAnswers, sampleSurvey } from '../helpers.js';

const def: ResolvedDefinition = resolveDefinition(
  sampleSurvey({
    questions: [
      ...sampleSurvey().questions,
      {
        id: 'size',
        type: 'single_choice',
        grouping: true,
        prompt: L('Size?', '¿Tamaño?', 'Taille ?'),
        options: [
          { value: 'small', label: L('Small', 'Pequeña', 'Petite') },
          { value: 'large', label: L('Large', 'Grande', 'Grande') },
        ],
      },
      { id: 'pace', type: 'rating', min: -3, max: 3, required: true, prompt: L('Pace?', '¿Ritmo?', 'Rythme ?') },
      { id: 'short', type: 'text', maxLength: 10, prompt: L('Short', 'Corto', 'Court') },
    ],
  }),
  { minGroupSize: 5, minDiversity: 1 },
);

const ok = (input: unknown, source: 'json' | 'form' = 'json') => {
  const r = validateAnswers(def, input, source);
  if (!r.ok) throw new Error(`unexpected problems: ${JSON.stringify(r.problems)}`);
  return r.response;
};
const problems = (input: unknown, source: 'json' | 'form' = 'json') => {
  const r = validateAnswers(def, input, source);
  return r.ok ? [] : r.problems.map((p) => `${p.path} ${p.code}`);
};

describe('valid answers', () => {
  it('are stored in one canonical form: values as text, multi-choice in definition order, cohort of grouping answers', () => {
    const r = ok({ ...sampleAnswers({ activities: ['visits', 'calls'] }), size: 'large', pace: -2, short: '  hi  ' });
    expect(r.answers).toEqual([
      { questionId: 'region', value: 'americas' },
      { questionId: 'speak_freely', value: '4' },
      { questionId: 'activities', value: 'calls|visits' },
      { questionId: 'usefulness', value: '8' },
      { questionId: 'size', value: 'large' },
      { questionId: 'pace', value: '-2' },
    ]);
    expect(r.texts).toEqual([
      { questionId: 'suggestions', text: 'More time for peer exchange.' },
      { questionId: 'short', text: 'hi' },
    ]);
    expect(r.cohort).toBe('americas|large');
  });

  it('count a skipped grouping question as "prefer not to say", like choosing it', () => {
    const skipped = ok({ speak_freely: 3, pace: 0 });
    const chosen = ok({ speak_freely: 3, pace: 0, region: 'prefer_not_to_say', size: 'prefer_not_to_say' });
    expect(skipped).toEqual(chosen);
    expect(skipped.cohort).toBe('prefer_not_to_say|prefer_not_to_say');
    expect(skipped.answers.filter((a) => a.questionId === 'region')).toEqual([{ questionId: 'region', value: 'prefer_not_to_say' }]);
  });

  it('let every optional question be skipped: missing, null, empty string or empty list', () => {
    for (const blank of [undefined, null, '', []]) {
      const r = ok({ speak_freely: 5, pace: 1, activities: blank, usefulness: blank, suggestions: blank });
      expect(r.answers.map((a) => a.questionId)).toEqual(['region', 'speak_freely', 'size', 'pace']);
      expect(r.texts).toEqual([]);
    }
  });

  it('treat a comment of only spaces as skipped, and drop control characters', () => {
    expect(ok({ speak_freely: 5, pace: 1, suggestions: ' \n\t ' }).texts).toEqual([]);
    expect(ok({ speak_freely: 5, pace: 1, suggestions: 'a\u0000b\u0007c\r\nd' }).texts).toEqual([{ questionId: 'suggestions', text: 'abc\nd' }]);
  });

  it('accept whole numbers sent as text by the HTML form, and a single checkbox as one value', () => {
    const fromForm = ok({ region: 'asia', speak_freely: '4', activities: 'mentoring', usefulness: ' 10 ', pace: '-3' }, 'form');
    const fromJson = ok({ region: 'asia', speak_freely: 4, activities: ['mentoring'], usefulness: 10, pace: -3 }, 'json');
    expect(fromForm).toEqual(fromJson);
  });
});

describe('invalid answers', () => {
  it('report every problem with the question it belongs to', () => {
    const r = validateAnswers(
      def,
      {
        region: 'europe',
        speak_freely: 6,
        activities: ['calls', 'calls'],
        usefulness: 7.5,
        suggestions: 42,
        size: ['small'],
        short: 'x'.repeat(11),
        mood: 'happy',
      },
      'json',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.path} ${p.code} ${p.questionId ?? ''}`.trim()).sort()).toEqual(
      [
        'answers.mood unknown_question',
        'answers.region not_an_option region',
        'answers.speak_freely out_of_range speak_freely',
        'answers.activities duplicate_choice activities',
        'answers.usefulness not_a_whole_number usefulness',
        'answers.suggestions not_text suggestions',
        'answers.size choose_one size',
        'answers.short text_too_long short',
        'answers.pace required_answer pace',
      ].sort(),
    );
    expect(r.problems.find((p) => p.questionId === 'speak_freely')?.params).toEqual({ min: 1, max: 5 });
    expect(r.problems.find((p) => p.questionId === 'short')?.params).toEqual({ maximum: 10 });
  });

  it('report a required question left out', () => {
    expect(problems({ pace: 0 })).toEqual(['answers.speak_freely required_answer']);
    expect(problems({ speak_freely: '', pace: null })).toEqual(['answers.speak_freely required_answer', 'answers.pace required_answer']);
  });

  it('refuse numbers as text in JSON (only the form sends text), and options outside the list', () => {
    expect(problems({ speak_freely: '4', pace: 0 })).toEqual(['answers.speak_freely out_of_range']);
    expect(problems({ speak_freely: 4, pace: 0, activities: ['calls', 'zoom'] })).toEqual(['answers.activities not_an_option']);
    expect(problems({ speak_freely: 4, pace: 0, activities: 'calls' })).toEqual(['answers.activities choose_from_list']);
    expect(problems({ speak_freely: 4, pace: 0, activities: [1] })).toEqual(['answers.activities choose_from_list']);
    // prefer_not_to_say exists only on grouping questions.
    expect(problems({ speak_freely: 4, pace: 0, activities: ['prefer_not_to_say'] })).toEqual(['answers.activities not_an_option']);
  });

  it('refuse answers that are not an object', () => {
    for (const input of [[], 'x', 3, true]) expect(problems(input)).toEqual(['answers answers_not_object']);
  });

  it('refuse inherited names such as __proto__ or toString as questions', () => {
    expect(problems(JSON.parse('{"speak_freely":4,"pace":0,"__proto__":{"x":1}}'))).toEqual(['answers.__proto__ unknown_question']);
    expect(problems({ speak_freely: 4, pace: 0, toString: 'x' })).toEqual(['answers.toString unknown_question']);
  });
});

// ---- properties ---------------------------------------------------------------------------

/** A valid answer (or a skip) for each question of `def`. */
const validAnswers = fc.record(
  {
    region: fc.constantFrom('africa', 'americas', 'asia', 'prefer_not_to_say'),
    speak_freely: fc.integer({ min: 1, max: 5 }),
    activities: fc.subarray(['calls', 'mentoring', 'visits']).chain((chosen) => fc.shuffledSubarray(chosen, { minLength: chosen.length, maxLength: chosen.length })),
    usefulness: fc.integer({ min: 0, max: 10 }),
    suggestions: fc.string({ maxLength: 200 }),
    size: fc.constantFrom('small', 'large', 'prefer_not_to_say'),
    pace: fc.integer({ min: -3, max: 3 }),
    short: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: ['speak_freely', 'pace'] },
);

/** The same answers as the HTML form sends them: every value text. */
const asForm = (answers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));

describe('validation properties', () => {
  it('accepts every valid set of answers, storing one row per answered choice question and a cohort of every grouping question', () => {
    fc.assert(
      fc.property(validAnswers, (answers) => {
        const r = ok(answers);
        const stored = new Map(r.answers.map((a) => [a.questionId, a.value]));
        expect(stored.get('speak_freely')).toBe(String(answers.speak_freely));
        expect(stored.get('region')).toBe(answers.region ?? 'prefer_not_to_say');
        expect(stored.get('size')).toBe(answers.size ?? 'prefer_not_to_say');
        expect(r.cohort).toBe(`${stored.get('region')}|${stored.get('size')}`);
        if (answers.activities?.length) expect(stored.get('activities')!.split('|').sort()).toEqual([...answers.activities].sort());
        else expect(stored.has('activities')).toBe(false);
        // Free text never goes into the answers table, and is kept only when it says something.
        expect(r.answers.some((a) => a.questionId === 'suggestions' || a.questionId === 'short')).toBe(false);
        for (const { text } of r.texts) {
          expect(text.trim()).toBe(text);
          expect(text.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stores the same choices the same way whatever order they were ticked in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(['calls', 'mentoring', 'visits'], { minLength: 1 }), (chosen) => {
        const value = ok({ speak_freely: 1, pace: 0, activities: chosen }).answers.find((a) => a.questionId === 'activities')!.value;
        expect(value).toBe(['calls', 'mentoring', 'visits'].filter((v) => chosen.includes(v)).join('|'));
      }),
    );
  });

  it('gives the same result for the HTML form as for JSON', () => {
    fc.assert(
      fc.property(validAnswers, (answers) => {
        expect(ok(asForm(answers), 'form')).toEqual(ok(answers, 'json'));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a set of answers as soon as one answer is wrong, naming that question only', () => {
    const wrong: Record<string, fc.Arbitrary<unknown>> = {
      region: fc.string().filter((s) => s !== '' && !['africa', 'americas', 'asia', 'prefer_not_to_say'].includes(s)),
      speak_freely: fc.oneof(fc.integer().filter((n) => n < 1 || n > 5), fc.double().filter((n) => !Number.isInteger(n)), fc.boolean(), fc.object()),
      usefulness: fc.oneof(fc.integer().filter((n) => n < 0 || n > 10), fc.constant(5.5), fc.constant('5'), fc.boolean()),
      pace: fc.oneof(fc.integer().filter((n) => n < -3 || n > 3), fc.constant(Number.NaN)),
      activities: fc.oneof(fc.constant(['calls', 'calls']), fc.array(fc.string().filter((s) => !['calls', 'mentoring', 'visits'].includes(s)), { minLength: 1 }), fc.constant([['calls']])),
      short: fc.string({ minLength: 11, maxLength: 40 }).filter((s) => [...s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim()].length > 10),
      suggestions: fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { minLength: 1 })),
    };
    const question = fc.constantFrom(...Object.keys(wrong));
    fc.assert(
      fc.property(validAnswers, question.chain((q) => fc.tuple(fc.constant(q), wrong[q]!)), (answers, [q, bad]) => {
        const r = validateAnswers(def, { ...answers, [q]: bad }, 'json');
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual([`answers.${q}`]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom('json' as const, 'form' as const), (input, source) => {
        const r = validateAnswers(def, input, source);
        if (!r.ok) expect(r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('region', 'speak_freely', 'activities', 'usefulness', 'suggestions', 'size', 'pace', 'short', 'x'), fc.anything()), (input) => {
        validateAnswers(def, input, 'json');
        validateAnswers(def, input, 'form');
      }),
      { numRuns: 300 },
    );
  });
});
