/**
 * The survey builder's logic (§12): the form as the browser sends it, read into a draft
 * definition by zod (nested names such as "questions[2].prompt.fr" read by qs), the actions its
 * buttons ask for, and the state a page shows — from a stored definition or from what was typed.
 */
import qs from 'qs';
import { z } from 'zod';
import { DraftDefinition, type Question, type ResolvedDefinition } from '../surveys/definition.js';
import { form } from '../validation.js';

export const QUESTION_TYPES = ['single_choice', 'multi_choice', 'likert', 'rating', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
const LOCALE_KEYS = ['en', 'es', 'fr'] as const;

/** Texts in three languages, as typed (empty while missing). */
export interface Texts {
  en: string;
  es: string;
  fr: string;
}

/** What the builder shows: every field as text, so that what was typed is shown again as it was. */
export interface BuilderState {
  title: Texts;
  description: Texts;
  access: string;
  minGroupSize: string;
  minDiversity: string;
  minComments: string;
  closesAt: string;
  interimReleases: boolean;
  questions: {
    id: string;
    type: string;
    prompt: Texts;
    help: Texts;
    section: Texts;
    required: boolean;
    grouping: boolean;
    options: { value: string; label: Texts }[];
    min: string;
    max: string;
    maxLength: string;
  }[];
}

/** The form's flat fields ({ name: value or values }) as one nested object. */
export function nested(body: unknown): Record<string, unknown> {
  const params = new URLSearchParams();
  if (typeof body === 'object' && body !== null) {
    for (const [name, value] of Object.entries(body)) {
      for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') params.append(name, v);
    }
  }
  return qs.parse(params.toString(), { allowDots: true, arrayLimit: 250, parameterLimit: 20_000, depth: 6 });
}

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : []);
const texts = (v: unknown): Texts => ({ en: str(obj(v).en), es: str(obj(v).es), fr: str(obj(v).fr) });
const ticked = (v: unknown) => str(v) === 'yes';

/** The state of what was sent, read defensively: shown again when a save is refused. */
export function stateFromForm(raw: Record<string, unknown>): BuilderState {
  return {
    title: texts(raw.title),
    description: texts(raw.description),
    access: str(raw.access),
    minGroupSize: str(raw.minGroupSize),
    minDiversity: str(raw.minDiversity),
    minComments: str(raw.minComments),
    closesAt: str(raw.closesAt),
    interimReleases: ticked(raw.interimReleases),
    questions: list(raw.questions).map((q) => {
      const o = obj(q);
      return {
        id: str(o.id),
        type: str(o.type),
        prompt: texts(o.prompt),
        help: texts(o.help),
        section: texts(o.section),
        required: ticked(o.required),
        grouping: ticked(o.grouping),
        options: list(o.options).map((opt) => ({ value: str(obj(opt).value), label: texts(obj(opt).label) })),
        min: str(o.min),
        max: str(o.max),
        maxLength: str(o.maxLength),
      };
    }),
  };
}

const numberText = (n: number | undefined) => (n === undefined ? '' : String(n));
const textsOf = (t: Partial<Texts> | undefined): Texts => ({ en: t?.en ?? '', es: t?.es ?? '', fr: t?.fr ?? '' });

/** The state of a stored draft. */
export function stateFromDefinition(def: ResolvedDefinition): BuilderState {
  return {
    title: textsOf(def.title),
    description: textsOf(def.description),
    access: def.access,
    minGroupSize: String(def.minGroupSize),
    minDiversity: String(def.minDiversity),
    minComments: String(def.minComments),
    // datetime-local shows UTC minutes: "2026-12-15T17:00".
    closesAt: def.closesAt ? new Date(def.closesAt).toISOString().slice(0, 16) : '',
    interimReleases: def.interimReleases,
    questions: def.questions.map((q) => ({
      id: q.id,
      type: q.type,
      prompt: textsOf(q.prompt),
      help: textsOf(q.help),
      section: textsOf(q.section),
      required: q.required === true,
      grouping: q.grouping === true,
      options: q.type === 'single_choice' || q.type === 'multi_choice' ? q.options.map((o) => ({ value: o.value, label: textsOf(o.label) })) : [],
      min: q.type === 'rating' ? String(q.min) : '',
      max: q.type === 'rating' ? String(q.max) : '',
      maxLength: q.type === 'text' ? numberText(q.maxLength) : '',
    })),
  };
}

// The form's fields, read with form coercion; empty texts stay empty (a draft may lack them).
const text = form.one(z.string().max(4000)).optional().transform((v) => v ?? '');
const Texts3 = z
  .object({ en: text, es: text, fr: text })
  .optional()
  .transform((t) => t ?? { en: '', es: '', fr: '' });
const optionalInt = (schema: z.ZodType<number>) => form.optionalText(form.integer(schema));
const isBlank = (t: Texts) => LOCALE_KEYS.every((l) => t[l].trim() === '');

const FormQuestion = z.object({
  id: form.one(z.string().max(64)),
  type: form.one(z.enum(QUESTION_TYPES)),
  prompt: Texts3,
  help: Texts3,
  section: Texts3,
  required: form.checkbox('yes'),
  grouping: form.checkbox('yes'),
  options: z.array(z.object({ value: form.one(z.string().max(64)), label: Texts3 })).max(50).optional(),
  min: optionalInt(z.number().int()),
  max: optionalInt(z.number().int()),
  maxLength: optionalInt(z.number().int()),
});

/** A question of the form, as the definition has it for its type. */
function toQuestion(q: z.output<typeof FormQuestion>): Question {
  const base = {
    id: q.id,
    prompt: q.prompt,
    ...(isBlank(q.help) ? {} : { help: q.help }),
    ...(isBlank(q.section) ? {} : { section: q.section }),
    ...(q.required ? { required: true } : {}),
  };
  switch (q.type) {
    case 'single_choice':
      return { ...base, type: q.type, ...(q.grouping ? { grouping: true } : {}), options: q.options ?? [] };
    case 'multi_choice':
      return { ...base, type: q.type, options: q.options ?? [] };
    case 'likert':
      return { ...base, type: q.type };
    case 'rating':
      return { ...base, type: q.type, min: q.min ?? 0, max: q.max ?? 10 };
    case 'text':
      return { ...base, type: q.type, ...(q.maxLength !== undefined ? { maxLength: q.maxLength } : {}) };
  }
}

/** A button's request: save, add a question, move or remove one, add or remove an option. */
export const BuilderAction = z.union([
  z.object({ kind: z.literal('save') }),
  z.object({ kind: z.literal('add'), type: z.enum(QUESTION_TYPES) }),
  z.object({ kind: z.enum(['up', 'down', 'remove', 'add_option']), question: z.number().int().min(0) }),
  z.object({ kind: z.literal('remove_option'), question: z.number().int().min(0), option: z.number().int().min(0) }),
]);
export type BuilderAction = z.infer<typeof BuilderAction>;

const ActionText = form.one(z.string().max(64)).transform((v, ctx) => {
  const [kind, a, b] = v.split(':');
  const parsed = BuilderAction.safeParse({
    kind,
    ...(kind === 'add' ? { type: a } : {}),
    ...(a !== undefined && kind !== 'add' ? { question: Number(a) } : {}),
    ...(b !== undefined ? { option: Number(b) } : {}),
  });
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', params: { key: 'invalid' } });
    return z.NEVER;
  }
  return parsed.data;
});

/**
 * The builder's form: the draft it holds, the button pressed, and the number of partners staff
 * expect (for the warning about small joint groups; not stored).
 */
export const BuilderForm = z.preprocess(
  nested,
  z
    .object({
      action: ActionText.optional().transform((a) => a ?? { kind: 'save' as const }),
      expected: optionalInt(z.number().int().min(1).max(100_000)),
      title: Texts3,
      description: Texts3,
      access: form.one(z.enum(['open', 'invite'])),
      minGroupSize: optionalInt(z.number().int()),
      minDiversity: optionalInt(z.number().int()),
      minComments: optionalInt(z.number().int()),
      // datetime-local: minutes, read as UTC.
      // Any other text is left for the definition's own check, reported with every other problem.
      closesAt: form.optionalText(z.string().max(40).transform((v) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00Z` : v))),
      interimReleases: form.checkbox('yes'),
      questions: z.array(FormQuestion).max(200).optional(),
    })
    .transform((f) => ({
      action: f.action,
      expected: f.expected,
      draft: {
        title: f.title,
        ...(isBlank(f.description) ? {} : { description: f.description }),
        access: f.access,
        ...(f.minGroupSize !== undefined ? { minGroupSize: f.minGroupSize } : {}),
        ...(f.minDiversity !== undefined ? { minDiversity: f.minDiversity } : {}),
        ...(f.minComments !== undefined ? { minComments: f.minComments } : {}),
        ...(f.closesAt !== undefined ? { closesAt: f.closesAt } : {}),
        interimReleases: f.interimReleases,
        questions: (f.questions ?? []).map(toQuestion),
      },
    })),
);

const unused = (taken: Set<string>, prefix: string): string => {
  for (let n = 1; ; n++) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
};

const emptyTexts = (): Texts => ({ en: '', es: '', fr: '' });

/** A new question of a type: empty texts, two empty options for a choice, 0–10 for a rating. */
function newQuestion(type: QuestionType, taken: Set<string>): Question {
  const id = unused(taken, 'q');
  const prompt = emptyTexts();
  switch (type) {
    case 'single_choice':
    case 'multi_choice':
      return { id, type, prompt, options: [{ value: 'opt1', label: emptyTexts() }, { value: 'opt2', label: emptyTexts() }] };
    case 'rating':
      return { id, type, prompt, min: 0, max: 10 };
    default:
      return { id, type, prompt };
  }
}

/**
 * Applies a button's request to the draft. Answers the new draft and where the page should take
 * the reader back to (the question concerned).
 */
export function applyAction<D extends Pick<DraftDefinition, 'questions'>>(draft: D, action: BuilderAction): { draft: D; anchor?: string } {
  const questions = [...draft.questions];
  const at = (i: number) => (i >= 0 && i < questions.length ? i : undefined);
  switch (action.kind) {
    case 'save':
      return { draft };
    case 'add': {
      questions.push(newQuestion(action.type, new Set(questions.map((q) => q.id))));
      return { draft: { ...draft, questions }, anchor: `question-${questions.length - 1}` };
    }
    case 'up':
    case 'down': {
      const i = at(action.question);
      const j = i === undefined ? undefined : at(action.kind === 'up' ? i - 1 : i + 1);
      if (i === undefined || j === undefined) return { draft };
      [questions[i], questions[j]] = [questions[j]!, questions[i]!];
      return { draft: { ...draft, questions }, anchor: `question-${j}` };
    }
    case 'remove': {
      const i = at(action.question);
      if (i === undefined) return { draft };
      questions.splice(i, 1);
      return { draft: { ...draft, questions }, anchor: questions.length === 0 ? 'questions' : `question-${Math.min(i, questions.length - 1)}` };
    }
    case 'add_option':
    case 'remove_option': {
      const i = at(action.question);
      const q = i === undefined ? undefined : questions[i];
      if (i === undefined || !q || (q.type !== 'single_choice' && q.type !== 'multi_choice')) return { draft };
      const options = [...q.options];
      if (action.kind === 'add_option') options.push({ value: unused(new Set(options.map((o) => o.value)), 'opt'), label: emptyTexts() });
      else if (action.kind === 'remove_option' && action.option < options.length) options.splice(action.option, 1);
      questions[i] = { ...q, options };
      return { draft: { ...draft, questions }, anchor: `question-${i}` };
    }
  }
}

/**
 * The average number of expected partners in each joint group of the grouping questions (their
 * options and "prefer not to say" multiplied together): below k, breakdowns will rarely publish.
 */
export function averageJointGroup(def: Pick<DraftDefinition, 'questions'>, expected: number): { groups: number; average: number } | undefined {
  const grouping = def.questions.filter((q) => q.type === 'single_choice' && q.grouping === true);
  if (grouping.length === 0) return undefined;
  const groups = grouping.reduce((n, q) => n * ((q.type === 'single_choice' ? q.options.length : 0) + 1), 1);
  return { groups, average: expected / groups };
}
