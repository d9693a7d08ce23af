/**
 * The survey definition (§3): one zod schema shared by validation, types, OpenAPI and tests,
 * plus the cross-field rules zod cannot express and the resolution of protection defaults.
 */
import { z } from 'zod';
import { LOCALES, type Locale } from '../i18n/index.js';
import type { Problem } from '../errors.js';

export const PREFER_NOT_TO_SAY = 'prefer_not_to_say';
const QUESTION_TYPES = ['single_choice', 'multi_choice', 'likert', 'rating', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const LIKERT_POINTS = [1, 2, 3, 4, 5] as const;
export const DEFAULT_TEXT_MAX_LENGTH = 2000;
const DEFAULT_MIN_COMMENTS = 8;
const MAX_RATING_RANGE = 100;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const QUESTION_ID = /^[a-z][a-z0-9_]{0,63}$/;
const OPTION_VALUE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const text = (max: number) => z.string().trim().min(1).max(max);

export const LocalizedText = z.strictObject({ en: text(4000), es: text(4000), fr: text(4000) });
export type LocalizedText = z.infer<typeof LocalizedText>;

const Option = z.strictObject({
  value: z.string().regex(OPTION_VALUE),
  label: LocalizedText,
});

const base = {
  id: z.string().regex(QUESTION_ID),
  prompt: LocalizedText,
  help: LocalizedText.optional(),
  required: z.boolean().optional(),
  // Accepted on every type so that "grouping on a likert question" gets its own clear message.
  grouping: z.boolean().optional(),
};

const SingleChoice = z.strictObject({ ...base, type: z.literal('single_choice'), options: z.array(Option).min(2).max(50) });
const MultiChoice = z.strictObject({ ...base, type: z.literal('multi_choice'), options: z.array(Option).min(2).max(50) });
const Likert = z.strictObject({ ...base, type: z.literal('likert') });
const Rating = z.strictObject({
  ...base,
  type: z.literal('rating'),
  min: z.number().int().min(-1000).max(1000),
  max: z.number().int().min(-1000).max(1000),
});
const Text = z.strictObject({ ...base, type: z.literal('text'), maxLength: z.number().int().min(1).max(10_000).optional() });

export const Question = z.discriminatedUnion('type', [SingleChoice, MultiChoice, Likert, Rating, Text]);
export type Question = z.infer<typeof Question>;
export type ChoiceQuestion = z.infer<typeof SingleChoice> | z.infer<typeof MultiChoice>;

export const SurveyDefinition = z.strictObject({
    slug: z.string().regex(SLUG),
    title: LocalizedText,
    description: LocalizedText.optional(),
    access: z.enum(['open', 'invite']).optional(),
    minGroupSize: z.number().int().min(3).max(1000).optional(),
    minDiversity: z.number().int().min(1).max(100).optional(),
    minComments: z.number().int().min(1).max(100_000).optional(),
    closesAt: z.iso.datetime({ offset: true }).optional(),
    interimReleases: z.boolean().optional(),
    questions: z.array(Question).min(1).max(200),
  });
export type SurveyDefinition = z.infer<typeof SurveyDefinition>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The rules that span fields (duplicate ids and options, grouping only on single choice, rating
 * ranges, minComments ≥ k). They read the raw input defensively so that they are reported
 * together with every schema problem, not only once the rest is valid.
 */
function crossFieldProblems(input: unknown, defaultMinGroupSize: number): Problem[] {
  const problems: Problem[] = [];
  if (!isObject(input)) return problems;
  const questions = Array.isArray(input.questions) ? input.questions : [];
  const seen = new Set<unknown>();
  questions.forEach((q: unknown, i) => {
    if (!isObject(q)) return;
    if (typeof q.id === 'string') {
      if (seen.has(q.id)) problems.push({ path: jsonPath(['questions', i, 'id']), code: 'duplicate_id', params: { id: q.id } });
      seen.add(q.id);
    }
    if (q.grouping === true && q.type !== 'single_choice' && (QUESTION_TYPES as readonly unknown[]).includes(q.type)) {
      problems.push({ path: jsonPath(['questions', i, 'grouping']), code: 'grouping_not_allowed' });
    }
    if ((q.type === 'single_choice' || q.type === 'multi_choice') && Array.isArray(q.options)) {
      const values = new Set<unknown>();
      q.options.forEach((o: unknown, j) => {
        if (!isObject(o) || typeof o.value !== 'string') return;
        const where = jsonPath(['questions', i, 'options', j, 'value']);
        if (values.has(o.value)) problems.push({ path: where, code: 'duplicate_option', params: { value: o.value } });
        values.add(o.value);
        if (o.value === PREFER_NOT_TO_SAY) problems.push({ path: where, code: 'reserved_option', params: { value: o.value } });
      });
    }
    if (q.type === 'rating' && Number.isInteger(q.min) && Number.isInteger(q.max)) {
      const [min, max] = [q.min as number, q.max as number];
      if (min >= max) problems.push({ path: jsonPath(['questions', i, 'max']), code: 'max_not_above_min' });
      else if (max - min > MAX_RATING_RANGE) {
        problems.push({ path: jsonPath(['questions', i, 'max']), code: 'rating_range_too_wide', params: { maximum: MAX_RATING_RANGE } });
      }
    }
  });
  const k = Number.isInteger(input.minGroupSize) ? (input.minGroupSize as number) : defaultMinGroupSize;
  if (Number.isInteger(input.minComments) && (input.minComments as number) < k) {
    problems.push({ path: '$.minComments', code: 'min_comments_below_k', params: { k } });
  }
  return problems;
}

/** The protection settings of a survey, resolved from its definition and the configuration (§1). */
export interface Protection {
  access: 'open' | 'invite';
  minGroupSize: number;
  minDiversity: number;
  minComments: number;
  interimReleases: boolean;
}

/** A definition with every protection default filled in: what is stored, and locked at opening. */
export type ResolvedDefinition = SurveyDefinition & Protection;

// README choice 15: resolved at creation (and on each draft edit), stored, and locked at opening.
export function resolveDefinition(
  def: SurveyDefinition,
  defaults: { minGroupSize: number; minDiversity: number },
): ResolvedDefinition {
  const minGroupSize = def.minGroupSize ?? defaults.minGroupSize;
  return {
    ...def,
    access: def.access ?? 'open',
    minGroupSize,
    minDiversity: def.minDiversity ?? defaults.minDiversity,
    // "default 8, never below k"
    minComments: def.minComments ?? Math.max(DEFAULT_MIN_COMMENTS, minGroupSize),
    interimReleases: def.interimReleases ?? false,
  };
}

/** "$.questions[2].prompt.fr" from ["questions", 2, "prompt", "fr"]. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`), '$');
}

const last = (path: readonly PropertyKey[]) => path[path.length - 1];

/** zod's type names, as the kinds a definition's author is told about in their language. */
const EXPECTED_KINDS: Record<string, string> = {
  string: 'text',
  number: 'number',
  int: 'whole_number',
  boolean: 'true_false',
  object: 'object',
  record: 'object',
  array: 'list',
  tuple: 'list',
};

/** Turns zod's issues into Candor's problems: a stable code (translated later) and a JSON path. */
function definitionProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    const where = jsonPath(path);
    const isLocaleKey = (LOCALES as readonly PropertyKey[]).includes(last(path) as PropertyKey);
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) problems.push({ path: where, code: isLocaleKey ? 'missing_translation' : 'required' });
        else if (EXPECTED_KINDS[issue.expected]) problems.push({ path: where, code: 'wrong_type', params: { expected: EXPECTED_KINDS[issue.expected]! } });
        else problems.push({ path: where, code: 'invalid' });
        break;
      case 'too_small':
        if (issue.origin === 'string') problems.push({ path: where, code: isLocaleKey ? 'missing_translation' : 'empty' });
        else if (issue.origin === 'array') problems.push({ path: where, code: 'too_few', params: { minimum: Number(issue.minimum) } });
        else problems.push({ path: where, code: 'too_small', params: { minimum: Number(issue.minimum) } });
        break;
      case 'too_big':
        if (issue.origin === 'string') problems.push({ path: where, code: 'too_long', params: { maximum: Number(issue.maximum) } });
        else if (issue.origin === 'array') problems.push({ path: where, code: 'too_many', params: { maximum: Number(issue.maximum) } });
        else problems.push({ path: where, code: 'too_big', params: { maximum: Number(issue.maximum) } });
        break;
      case 'invalid_format': {
        const field = String(last(path));
        const code =
          field === 'slug' ? 'invalid_slug'
          : field === 'id' ? 'invalid_question_id'
          : field === 'value' ? 'invalid_option_value'
          : field === 'closesAt' ? 'invalid_datetime'
          : 'invalid_format';
        problems.push({ path: where, code });
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const code = key === 'options' ? 'options_not_allowed' : key === 'min' || key === 'max' ? 'range_not_allowed' : key === 'maxLength' ? 'max_length_not_allowed' : 'unknown_field';
          problems.push({ path: jsonPath([...path, key]), code, params: { field: key } });
        }
        break;
      case 'invalid_union':
        problems.push({ path: jsonPath([...path, ...(last(path) === 'type' ? [] : ['type'])]), code: 'unknown_type', params: { types: QUESTION_TYPES.join(', ') } });
        break;
      case 'invalid_value':
        problems.push({ path: where, code: 'invalid_choice', params: { choices: issue.values.map(String).join(', ') } });
        break;
      case 'custom': {
        const { key, ...params } = (issue.params ?? {}) as Record<string, string | number>;
        problems.push({ path: where, code: String(key ?? 'invalid'), params });
        break;
      }
      default:
        problems.push({ path: where, code: 'invalid' });
    }
  }
  return problems;
}

/** Validates an untrusted definition; every problem is reported with its JSON path. */
export function parseDefinition(
  input: unknown,
  defaults: { minGroupSize: number; minDiversity: number },
): { ok: true; definition: ResolvedDefinition } | { ok: false; problems: Problem[] } {
  const parsed = SurveyDefinition.safeParse(input, { reportInput: true });
  const problems = [...(parsed.success ? [] : definitionProblems(parsed.error.issues)), ...crossFieldProblems(input, defaults.minGroupSize)];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, definition: resolveDefinition(parsed.data, defaults) };
}

export function groupingQuestions(def: SurveyDefinition): ChoiceQuestion[] {
  return def.questions.filter((q): q is z.infer<typeof SingleChoice> => q.type === 'single_choice' && q.grouping === true);
}
