/**
 * Checks a partner's answers against the survey's definition and puts them in the one canonical
 * form that is stored. Every problem is reported per question; nothing is stored unless there
 * are none. The same rules serve the JSON API and the HTML form (whose values arrive as text).
 */
import type { Problem } from '../errors.js';
import { DEFAULT_TEXT_MAX_LENGTH, PREFER_NOT_TO_SAY, type Question, type ResolvedDefinition } from '../surveys/definition.js';

/** Separates the options of a multi-choice answer, and the grouping answers of a cohort. */
export const VALUE_SEPARATOR = '|';

export interface ParsedResponse {
  /** Non-text answers in canonical text form, in definition order. */
  answers: { questionId: string; value: string }[];
  /** Free-text answers, not yet scrubbed. */
  texts: { questionId: string; text: string }[];
  /** The response's grouping answers, joined: "africa|prefer_not_to_say". Empty without grouping questions. */
  cohort: string;
}

export type AnswerSource = 'json' | 'form';

const problem = (q: Question, code: string, params?: Record<string, string | number>): Problem => ({
  path: `answers.${q.id}`,
  questionId: q.id,
  code,
  ...(params ? { params } : {}),
});

const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Form fields arrive as strings; a whole number in a string counts as a number there. */
function asInteger(raw: unknown, source: AnswerSource): number | undefined {
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (source === 'form' && typeof raw === 'string' && /^-?\d{1,6}$/.test(raw.trim())) return Number(raw.trim());
  return undefined;
}

/** Returns the canonical value, or a problem, or undefined when the question was skipped. */
function parseOne(q: Question, raw: unknown, source: AnswerSource): { value?: string; text?: string; problem?: Problem } {
  switch (q.type) {
    case 'single_choice': {
      const allowed = q.options.map((o) => o.value);
      if (q.grouping) allowed.push(PREFER_NOT_TO_SAY);
      if (typeof raw !== 'string') return { problem: problem(q, 'choose_one') };
      if (!allowed.includes(raw)) return { problem: problem(q, 'not_an_option') };
      return { value: raw };
    }
    case 'multi_choice': {
      const list = Array.isArray(raw) ? raw : source === 'form' && typeof raw === 'string' ? [raw] : undefined;
      if (!list || !list.every((v) => typeof v === 'string')) return { problem: problem(q, 'choose_from_list') };
      const chosen = new Set(list as string[]);
      if (chosen.size !== list.length) return { problem: problem(q, 'duplicate_choice') };
      const values = q.options.map((o) => o.value);
      if ([...chosen].some((v) => !values.includes(v))) return { problem: problem(q, 'not_an_option') };
      // Definition order, so that the same choices are always stored the same way.
      return { value: values.filter((v) => chosen.has(v)).join(VALUE_SEPARATOR) };
    }
    case 'likert': {
      const n = asInteger(raw, source);
      if (n === undefined || n < 1 || n > 5) return { problem: problem(q, 'out_of_range', { min: 1, max: 5 }) };
      return { value: String(n) };
    }
    case 'rating': {
      const n = asInteger(raw, source);
      if (n === undefined) return { problem: problem(q, 'not_a_whole_number', { min: q.min, max: q.max }) };
      if (n < q.min || n > q.max) return { problem: problem(q, 'out_of_range', { min: q.min, max: q.max }) };
      return { value: String(n) };
    }
    case 'text': {
      if (typeof raw !== 'string') return { problem: problem(q, 'not_text') };
      // Normalise line endings and drop control characters other than line breaks and tabs.
      const text = raw.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
      const max = q.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
      if ([...text].length > max) return { problem: problem(q, 'text_too_long', { maximum: max }) };
      if (text === '') return {};
      return { text };
    }
  }
}

export function validateAnswers(
  def: ResolvedDefinition,
  input: unknown,
  source: AnswerSource,
): { ok: true; response: ParsedResponse } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [{ path: 'answers', code: 'answers_not_object' }] };
  }
  const given = input as Record<string, unknown>;
  const known = new Set(def.questions.map((q) => q.id));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) problems.push({ path: `answers.${key}`, code: 'unknown_question', params: { id: key } });
  }
  const response: ParsedResponse = { answers: [], texts: [], cohort: '' };
  const cohort: string[] = [];
  for (const q of def.questions) {
    const raw = Object.hasOwn(given, q.id) ? given[q.id] : undefined;
    let parsed: ReturnType<typeof parseOne> = {};
    if (!isBlank(raw)) parsed = parseOne(q, raw, source);
    if (parsed.problem) {
      problems.push(parsed.problem);
      continue;
    }
    const skipped = parsed.value === undefined && parsed.text === undefined;
    if (skipped && q.required) {
      problems.push(problem(q, 'required_answer'));
      continue;
    }
    if (q.type === 'single_choice' && q.grouping) {
      // Skipping a grouping question and choosing "prefer not to say" form one group (§3).
      const value = parsed.value ?? PREFER_NOT_TO_SAY;
      cohort.push(value);
      response.answers.push({ questionId: q.id, value });
    } else if (parsed.value !== undefined) {
      response.answers.push({ questionId: q.id, value: parsed.value });
    } else if (parsed.text !== undefined) {
      response.texts.push({ questionId: q.id, text: parsed.text });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  response.cohort = cohort.join(VALUE_SEPARATOR);
  return { ok: true, response };
}
