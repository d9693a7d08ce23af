/**
 * The survey definition (§3): one zod schema shared by validation, types, OpenAPI and tests,
 * plus the cross-field rules zod cannot express and the resolution of protection defaults.
 */
import { z } from 'zod';
import type { Problem } from '../errors.js';
import { problemsFrom, refusals } from '../validation.js';

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

/**
 * The schemas of a definition, complete (what the API takes and what opens) or as a draft saved
 * from the builder (§12): a draft may lack a translation, options or questions, but has the same
 * shape, so one TypeScript type serves both.
 */
function definitionParts(complete: boolean) {
  const text = (max: number) => (complete ? z.string().trim().min(1).max(max) : z.string().trim().max(max));
  const Localized = z.strictObject({ en: text(4000), es: text(4000), fr: text(4000) });
  const Option = z.strictObject({
    value: z.string().regex(OPTION_VALUE),
    label: Localized,
  });
  const options = complete ? z.array(Option).min(2).max(50) : z.array(Option).max(50);
  const base = {
    id: z.string().regex(QUESTION_ID),
    prompt: Localized,
    help: Localized.optional(),
    // A long survey in parts: this question opens a new section with this title (issue 13, item 3).
    section: Localized.optional(),
    required: z.boolean().optional(),
    // Accepted on every type so that "grouping on a likert question" gets its own clear message.
    grouping: z.boolean().optional(),
  };
  const SingleChoice = z.strictObject({ ...base, type: z.literal('single_choice'), options });
  const MultiChoice = z.strictObject({ ...base, type: z.literal('multi_choice'), options });
  const Likert = z.strictObject({ ...base, type: z.literal('likert') });
  const Rating = z.strictObject({
    ...base,
    type: z.literal('rating'),
    min: z.number().int().min(-1000).max(1000),
    max: z.number().int().min(-1000).max(1000),
  });
  const Text = z.strictObject({ ...base, type: z.literal('text'), maxLength: z.number().int().min(1).max(10_000).optional() });
  const Question = z.discriminatedUnion('type', [SingleChoice, MultiChoice, Likert, Rating, Text]);
  const fields = {
    slug: z.string().regex(SLUG),
    series: z.string().regex(SLUG).optional().describe('The rounds of one series are compared with each other (§13); a duplicate keeps it.'),
    title: Localized,
    description: Localized.optional(),
    access: z.enum(['open', 'invite']).optional(),
    minGroupSize: z.number().int().min(3).max(1000).optional(),
    minDiversity: z.number().int().min(1).max(100).optional(),
    minComments: z.number().int().min(1).max(100_000).optional(),
    closesAt: z.iso.datetime({ offset: true }).optional(),
    interimReleases: z.boolean().optional(),
    questions: complete ? z.array(Question).min(1).max(200) : z.array(Question).max(200),
  };
  return { Localized, Question, SingleChoice, MultiChoice, fields };
}

const complete = definitionParts(true);
const draft = definitionParts(false);

export const LocalizedText = complete.Localized;
export type LocalizedText = z.infer<typeof LocalizedText>;
export const Question = complete.Question;
export type Question = z.infer<typeof Question>;
type SingleChoice = z.infer<typeof complete.SingleChoice>;
export type ChoiceQuestion = SingleChoice | z.infer<typeof complete.MultiChoice>;

/**
 * The rules that span fields (duplicate ids and options, grouping only on single choice, rating
 * ranges, minComments ≥ an explicit minGroupSize). They read the raw input defensively, and run
 * even when other fields are wrong, so that they are reported together with every other problem.
 */
function crossFieldRules(input: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  const add = (path: PropertyKey[], key: string, params: Record<string, string | number> = {}) =>
    ctx.addIssue({ code: 'custom', path, params: { key, ...params }, input });
  if (!isObject(input)) return;
  const questions = Array.isArray(input.questions) ? input.questions : [];
  const seen = new Set<unknown>();
  questions.forEach((q: unknown, i) => {
    if (!isObject(q)) return;
    if (typeof q.id === 'string') {
      if (seen.has(q.id)) add(['questions', i, 'id'], 'duplicate_id', { id: q.id });
      seen.add(q.id);
    }
    if (q.grouping === true && q.type !== 'single_choice' && (QUESTION_TYPES as readonly unknown[]).includes(q.type)) {
      add(['questions', i, 'grouping'], 'grouping_not_allowed');
    }
    if ((q.type === 'single_choice' || q.type === 'multi_choice') && Array.isArray(q.options)) {
      const values = new Set<unknown>();
      q.options.forEach((o: unknown, j) => {
        if (!isObject(o) || typeof o.value !== 'string') return;
        const where = ['questions', i, 'options', j, 'value'];
        if (values.has(o.value)) add(where, 'duplicate_option', { value: o.value });
        values.add(o.value);
        if (o.value === PREFER_NOT_TO_SAY) add(where, 'reserved_option', { value: o.value });
      });
    }
    if (q.type === 'rating' && Number.isInteger(q.min) && Number.isInteger(q.max)) {
      const [min, max] = [q.min as number, q.max as number];
      if (min >= max) add(['questions', i, 'max'], 'max_not_above_min');
      else if (max - min > MAX_RATING_RANGE) add(['questions', i, 'max'], 'rating_range_too_wide', { maximum: MAX_RATING_RANGE });
    }
  });
  // "default 8, never below k": against the configured k when the definition does not set its own (defaultKProblems).
  if (Number.isInteger(input.minGroupSize) && Number.isInteger(input.minComments) && (input.minComments as number) < (input.minGroupSize as number)) {
    add(['minComments'], 'min_comments_below_k', { k: input.minGroupSize as number });
  }
}

export const SurveyDefinition = z.strictObject(complete.fields).superRefine(crossFieldRules, { when: () => true });
export type SurveyDefinition = z.infer<typeof SurveyDefinition>;
refusals.add(SurveyDefinition, { code: 'invalid_definition' });

/**
 * A draft as the builder saves it (§12): the same shape, but texts may be empty and questions
 * may have no options yet — and no question at all. Opening checks the whole definition again.
 */
export const DraftDefinition = z.strictObject(draft.fields).superRefine(crossFieldRules, { when: () => true });
export type DraftDefinition = z.infer<typeof DraftDefinition>;
refusals.add(DraftDefinition, { code: 'invalid_definition' });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** minComments below the configured k, when the definition leaves k to the configuration. */
function defaultKProblems(input: unknown, defaultMinGroupSize: number, root: string): Problem[] {
  if (!isObject(input) || input.minGroupSize !== undefined || !Number.isInteger(input.minComments)) return [];
  return (input.minComments as number) < defaultMinGroupSize
    ? [{ path: `${root}.minComments`, code: 'min_comments_below_k', params: { k: defaultMinGroupSize } }]
    : [];
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

/** Validates an untrusted definition; every problem is reported with its JSON path (from `root`). */
export function parseDefinition(
  input: unknown,
  defaults: { minGroupSize: number; minDiversity: number },
  root = '$',
): { ok: true; definition: ResolvedDefinition } | { ok: false; problems: Problem[] } {
  const parsed = SurveyDefinition.safeParse(input, { reportInput: true });
  const problems = [...(parsed.success ? [] : problemsFrom(parsed.error.issues, root)), ...defaultKProblems(input, defaults.minGroupSize, root)];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, definition: resolveDefinition(parsed.data, defaults) };
}

export function groupingQuestions(def: SurveyDefinition): ChoiceQuestion[] {
  return def.questions.filter((q): q is SingleChoice => q.type === 'single_choice' && q.grouping === true);
}
