/** The survey definition rules of §3, checked without HTTP: every problem found, each with its JSON path. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDefinition, resolveDefinition, type SurveyDefinition } from '../../src/surveys/definition.js';
import { jsonPath } from '../../src/validation.js';
import { L, sampleSurvey } from '../helpers.js';

const defaults = { minGroupSize: 5, minDiversity: 1 };
const TEXT = L('Text', 'Texto', 'Texte');

/** The problems of a definition, as "path code" strings (order-free comparisons). */
function problemsOf(input: unknown, d = defaults): string[] {
  const result = parseDefinition(input, d);
  if (result.ok) return [];
  return result.problems.map((p) => `${p.path} ${p.code}`);
}

/** A deep copy of the sample survey, to damage one thing at a time. */
const base = (): Record<string, any> => structuredClone(sampleSurvey()) as Record<string, any>;

describe('a valid definition', () => {
  it('is accepted, with the protection defaults of the configuration filled in', () => {
    const result = parseDefinition(sampleSurvey(), { minGroupSize: 6, minDiversity: 2 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition).toMatchObject({ access: 'open', minGroupSize: 6, minDiversity: 2, minComments: 8, interimReleases: false });
    expect(result.definition.questions.map((q) => q.id)).toEqual(['region', 'speak_freely', 'activities', 'usefulness', 'suggestions']);
  });

  it('takes minComments as "default 8, never below k"', () => {
    const r = parseDefinition(sampleSurvey({ minGroupSize: 12 }), defaults);
    expect(r.ok && r.definition.minComments).toBe(12);
    expect(resolveDefinition(sampleSurvey({ minGroupSize: 3 }), defaults).minComments).toBe(8);
  });

  it('keeps explicit protection settings', () => {
    const r = parseDefinition(sampleSurvey({ access: 'invite', minGroupSize: 7, minComments: 9, interimReleases: true, closesAt: '2026-12-15T23:59:00-05:00' }), defaults);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.definition).toMatchObject({ access: 'invite', minGroupSize: 7, minComments: 9, interimReleases: true, closesAt: '2026-12-15T23:59:00-05:00' });
  });

  it('accepts k = 3, the smallest allowed, and minComments = k', () => {
    expect(problemsOf(sampleSurvey({ minGroupSize: 3, minComments: 3 }))).toEqual([]);
  });
});

describe('each rule of §3 is reported with its JSON path', () => {
  const cases: [string, (d: Record<string, any>) => void, string[]][] = [
    ['an unknown question type', (d) => (d.questions[1].type = 'ranking'), ['$.questions[1].type unknown_type']],
    ['a missing question type', (d) => delete d.questions[1].type, ['$.questions[1].type unknown_type']],
    ['a duplicate question id', (d) => (d.questions[3].id = 'region'), ['$.questions[3].id duplicate_id']],
    ['a missing translation of a prompt', (d) => delete d.questions[2].prompt.fr, ['$.questions[2].prompt.fr missing_translation']],
    ['a blank translation of a prompt', (d) => (d.questions[2].prompt.es = '   '), ['$.questions[2].prompt.es missing_translation']],
    ['a missing translation of the title', (d) => delete d.title.es, ['$.title.es missing_translation']],
    ['a missing translation of the description', (d) => delete d.description.en, ['$.description.en missing_translation']],
    ['a missing translation of an option label', (d) => delete d.questions[0].options[1].label.fr, ['$.questions[0].options[1].label.fr missing_translation']],
    ['options on a text question', (d) => (d.questions[4].options = d.questions[0].options), ['$.questions[4].options options_not_allowed']],
    ['options on a likert question', (d) => (d.questions[1].options = d.questions[0].options), ['$.questions[1].options options_not_allowed']],
    ['a min and max on a text question', (d) => Object.assign(d.questions[4], { min: 1, max: 3 }), ['$.questions[4].min range_not_allowed', '$.questions[4].max range_not_allowed']],
    ['maxLength on a likert question', (d) => (d.questions[1].maxLength = 10), ['$.questions[1].maxLength max_length_not_allowed']],
    ['grouping on a multi-choice question', (d) => (d.questions[2].grouping = true), ['$.questions[2].grouping grouping_not_allowed']],
    ['grouping on a likert question', (d) => (d.questions[1].grouping = true), ['$.questions[1].grouping grouping_not_allowed']],
    ['grouping on a rating question', (d) => (d.questions[3].grouping = true), ['$.questions[3].grouping grouping_not_allowed']],
    ['grouping on a text question', (d) => (d.questions[4].grouping = true), ['$.questions[4].grouping grouping_not_allowed']],
    ['a declared prefer_not_to_say option', (d) => d.questions[0].options.push({ value: 'prefer_not_to_say', label: TEXT }), ['$.questions[0].options[3].value reserved_option']],
    ['a duplicate option value', (d) => (d.questions[2].options[2].value = 'calls'), ['$.questions[2].options[2].value duplicate_option']],
    ['a rating with min equal to max', (d) => Object.assign(d.questions[3], { min: 5, max: 5 }), ['$.questions[3].max max_not_above_min']],
    ['a rating with min above max', (d) => Object.assign(d.questions[3], { min: 10, max: 1 }), ['$.questions[3].max max_not_above_min']],
    ['a rating without a max', (d) => delete d.questions[3].max, ['$.questions[3].max required']],
    ['minGroupSize below 3', (d) => (d.minGroupSize = 2), ['$.minGroupSize too_small']],
    ['a fractional minGroupSize', (d) => (d.minGroupSize = 4.5), ['$.minGroupSize wrong_type']],
    ['minComments below an explicit k', (d) => Object.assign(d, { minGroupSize: 10, minComments: 9 }), ['$.minComments min_comments_below_k']],
    ['minComments below the default k', (d) => (d.minComments = 4), ['$.minComments min_comments_below_k']],
    ['a closesAt without a time', (d) => (d.closesAt = '2026-12-15'), ['$.closesAt invalid_datetime']],
    ['a closesAt without an offset', (d) => (d.closesAt = '2026-12-15T23:59:00'), ['$.closesAt invalid_datetime']],
    ['a closesAt that is not a date', (d) => (d.closesAt = 'next Friday'), ['$.closesAt invalid_datetime']],
    ['a closesAt on a day that does not exist', (d) => (d.closesAt = '2026-02-31T10:00:00Z'), ['$.closesAt invalid_datetime']],
    ['an unknown field at the top', (d) => (d.colour = 'red'), ['$.colour unknown_field']],
    ['an unknown field in a question', (d) => (d.questions[1].weight = 2), ['$.questions[1].weight unknown_field']],
    ['an unknown field in an option', (d) => (d.questions[0].options[0].colour = 'red'), ['$.questions[0].options[0].colour unknown_field']],
    ['an unknown language', (d) => (d.title.de = 'Lernlabor'), ['$.title.de unknown_field']],
    ['an unknown access mode', (d) => (d.access = 'secret'), ['$.access invalid_choice']],
    ['a slug with capitals and spaces', (d) => (d.slug = 'Learning Lab'), ['$.slug invalid_slug']],
    ['a question id with a space', (d) => (d.questions[1].id = 'speak freely'), ['$.questions[1].id invalid_question_id']],
    ['a single-choice question with one option', (d) => d.questions[0].options.splice(1), ['$.questions[0].options too_few']],
    ['no questions', (d) => (d.questions = []), ['$.questions too_few']],
    ['a missing slug', (d) => delete d.slug, ['$.slug required']],
  ];

  it.each(cases)('%s', (_name, damage, expected) => {
    const d = base();
    damage(d);
    expect(problemsOf(d).sort()).toEqual([...expected].sort());
  });

  it('rejects something that is not an object at all', () => {
    expect(problemsOf(null)).toEqual(['$ wrong_type']);
    expect(problemsOf([sampleSurvey()])).toEqual(['$ wrong_type']);
  });
});

describe('every problem is reported together', () => {
  it('lists the problems of the schema and of the cross-field rules in one answer', () => {
    const d = base();
    d.slug = 'Bad Slug';
    delete d.title.fr;
    d.colour = 'red';
    d.minGroupSize = 2;
    d.closesAt = 'tomorrow';
    d.questions[0].options.push({ value: 'prefer_not_to_say', label: TEXT });
    d.questions[1].grouping = true;
    d.questions[2].options[1].value = 'calls';
    d.questions[3].min = 10;
    d.questions[4].options = [{ value: 'x', label: TEXT }];
    d.questions.push({ id: 'region', type: 'likert', prompt: TEXT });
    d.questions.push({ id: 'mood', type: 'emoji', prompt: TEXT });
    expect(problemsOf(d).sort()).toEqual(
      [
        '$.slug invalid_slug',
        '$.title.fr missing_translation',
        '$.colour unknown_field',
        '$.minGroupSize too_small',
        '$.closesAt invalid_datetime',
        '$.questions[0].options[3].value reserved_option',
        '$.questions[1].grouping grouping_not_allowed',
        '$.questions[2].options[1].value duplicate_option',
        '$.questions[3].max max_not_above_min',
        '$.questions[4].options options_not_allowed',
        '$.questions[5].id duplicate_id',
        '$.questions[6].type unknown_type',
      ].sort(),
    );
  });
});

// ---- properties ---------------------------------------------------------------------------

const word = fc.stringMatching(/^[A-Za-zÀ-ÿ ?¿¡!,.'-]{1,20}$/).map((s) => s.trim()).filter((s) => s.length > 0);
const localized = fc.record({ en: word, es: word, fr: word });
const optionValues = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((v) => v !== 'prefer_not_to_say'), { minLength: 2, maxLength: 5 });
const options = optionValues.chain((values) => fc.tuple(...values.map((value) => localized.map((label) => ({ value, label })))));

const questionBody = fc.oneof(
  fc.record({ type: fc.constant('single_choice' as const), grouping: fc.boolean(), options }),
  fc.record({ type: fc.constant('multi_choice' as const), options }),
  fc.record({ type: fc.constant('likert' as const) }),
  fc
    .tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 100 }))
    .map(([min, span]) => ({ type: 'rating' as const, min, max: min + span })),
  fc.record({ type: fc.constant('text' as const), maxLength: fc.integer({ min: 1, max: 10_000 }) }, { requiredKeys: ['type'] }),
);

/** Valid definitions of every shape: unique ids, full translations, consistent settings. */
const validDefinition: fc.Arbitrary<SurveyDefinition> = fc
  .record({
    ids: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), { minLength: 1, maxLength: 8 }),
    bodies: fc.array(questionBody, { minLength: 8, maxLength: 8 }),
    prompts: fc.array(localized, { minLength: 8, maxLength: 8 }),
    required: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    title: localized,
    k: fc.option(fc.integer({ min: 3, max: 50 }), { nil: undefined }),
    extraComments: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    access: fc.option(fc.constantFrom('open' as const, 'invite' as const), { nil: undefined }),
  })
  .map(({ ids, bodies, prompts, required, title, k, extraComments, access }) => {
    const def: SurveyDefinition = {
      slug: 'generated-survey',
      title,
      questions: ids.map((id, i) => ({ id, prompt: prompts[i]!, required: required[i]!, ...bodies[i]! }) as SurveyDefinition['questions'][number]),
    };
    if (k !== undefined) def.minGroupSize = k;
    if (extraComments !== undefined) def.minComments = (k ?? defaults.minGroupSize) + extraComments;
    if (access !== undefined) def.access = access;
    return def;
  });

/** Every path to a { en, es, fr } text inside a definition. */
function localizedPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => localizedPaths(v, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  if (keys.length === 3 && ['en', 'es', 'fr'].every((k) => keys.includes(k))) return [path];
  return Object.entries(value).flatMap(([k, v]) => localizedPaths(v, [...path, k]));
}

function at(root: any, path: (string | number)[]): any {
  return path.reduce((node, seg) => node[seg], root);
}

describe('definition properties', () => {
  it('accepts every valid definition and resolves k, c and minComments ≥ k', () => {
    fc.assert(
      fc.property(validDefinition, (def) => {
        const r = parseDefinition(def, defaults);
        expect(r.ok ? [] : r.problems).toEqual([]);
        if (!r.ok) return;
        expect(r.definition.questions).toEqual(def.questions);
        expect(r.definition.minGroupSize).toBe(def.minGroupSize ?? defaults.minGroupSize);
        expect(r.definition.minComments).toBeGreaterThanOrEqual(r.definition.minGroupSize);
        expect(r.definition.access).toBe(def.access ?? 'open');
      }),
      { numRuns: 150 },
    );
  });

  it('reports a removed translation, anywhere, at exactly its path', () => {
    fc.assert(
      fc.property(validDefinition, fc.nat(), fc.constantFrom('en', 'es', 'fr'), (def, pick, locale) => {
        const damaged = structuredClone(def) as any;
        const paths = localizedPaths(damaged);
        const path = paths[pick % paths.length]!;
        delete at(damaged, path)[locale];
        expect(problemsOf(damaged)).toEqual([`${jsonPath([...path, locale])} missing_translation`]);
      }),
      { numRuns: 150 },
    );
  });

  it('reports a repeated question id at the later question, whatever the definition', () => {
    fc.assert(
      fc.property(validDefinition.filter((d) => d.questions.length >= 2), fc.nat(), fc.nat(), (def, a, b) => {
        const n = def.questions.length;
        const first = a % n;
        const second = (first + 1 + (b % (n - 1))) % n;
        const damaged = structuredClone(def);
        damaged.questions[second]!.id = damaged.questions[first]!.id;
        const later = Math.max(first, second);
        expect(problemsOf(damaged)).toEqual([`$.questions[${later}].id duplicate_id`]);
      }),
      { numRuns: 100 },
    );
  });

  it('reports every one of several independent problems, never only the first', () => {
    const faults: [string, (d: any) => void][] = [
      ['$.colour unknown_field', (d) => (d.colour = 1)],
      ['$.minGroupSize too_small', (d) => ((d.minGroupSize = 2), delete d.minComments)],
      ['$.closesAt invalid_datetime', (d) => (d.closesAt = '2026-12-15')],
      ['$.title.fr missing_translation', (d) => delete d.title.fr],
      ['$.questions[0].prompt.es missing_translation', (d) => delete d.questions[0].prompt.es],
      ['$.questions[0].extra unknown_field', (d) => (d.questions[0].extra = true)],
    ];
    fc.assert(
      fc.property(validDefinition, fc.subarray(faults, { minLength: 1 }), (def, chosen) => {
        const damaged = structuredClone(def) as any;
        for (const [, apply] of chosen) apply(damaged);
        expect(problemsOf(damaged).sort()).toEqual(chosen.map(([expected]) => expected).sort());
      }),
      { numRuns: 150 },
    );
  });

  it('rejects any minComments below k and any k below 3', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 100 }), fc.integer({ min: 1, max: 99 }), (k, minComments) => {
        fc.pre(minComments < k);
        expect(problemsOf(sampleSurvey({ minGroupSize: k, minComments }))).toEqual(['$.minComments min_comments_below_k']);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 2 }), (k) => {
        expect(problemsOf({ ...sampleSurvey(), minGroupSize: k })).toContain('$.minGroupSize too_small');
      }),
    );
  });
});
