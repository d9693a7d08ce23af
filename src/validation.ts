/**
 * One way to validate: every input — a route's body, query and parameters, a page's form, a
 * definition imported from a file — is read by a zod schema, and zod's issues become Candor's
 * problems here and nowhere else: a stable code (translated under `problems:` in locales/) and
 * the place it concerns, as a JSON path.
 */
import { z } from 'zod';
import { CandorError, type ErrorCode, type Problem } from './errors.js';

/** "$.questions[2].prompt.fr" from ["questions", 2, "prompt", "fr"]. */
export function jsonPath(path: readonly PropertyKey[], root = '$'): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`), root);
}

/**
 * The refusal a schema's problems are reported under, when it is not `invalid_request`: a
 * survey definition's are `invalid_definition`, a theme form's `theme_needs_labels`.
 */
export const refusals = z.registry<{ code: ErrorCode; params?: Record<string, string | number> }>();

const last = (path: readonly PropertyKey[]) => path[path.length - 1];
/** A table's own entry only: a field named "valueOf" or "constructor" is not Object.prototype's. */
const own = (table: Readonly<Record<string, string>>, key: PropertyKey): string | undefined => (Object.hasOwn(table, key) ? table[key as string] : undefined);
const LOCALE_KEYS: readonly PropertyKey[] = ['en', 'es', 'fr'];

/** zod's type names, as the kinds a reader is told about in their language. */
const EXPECTED_KINDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'number',
  int: 'whole_number',
  boolean: 'true_false',
  object: 'object',
  record: 'object',
  array: 'list',
  tuple: 'list',
};

/** A format's problem, named after the field it concerns (the fields of a survey definition). */
const FORMAT_CODES: Record<string, string> = { slug: 'invalid_slug', series: 'invalid_slug', id: 'invalid_question_id', value: 'invalid_option_value', closesAt: 'invalid_datetime' };
/** An unknown key that belongs to another question type says so. */
const MISPLACED_KEYS: Record<string, string> = { options: 'options_not_allowed', min: 'range_not_allowed', max: 'range_not_allowed', maxLength: 'max_length_not_allowed' };

/**
 * Candor's problems from zod's issues. `root` names what was read: "$" for a body, "query" or
 * "params" for the other parts of a request. A missing or empty text under en/es/fr is a missing
 * translation; a refinement states its own code as `params.key`.
 */
export function problemsFrom(issues: readonly z.core.$ZodIssue[], root = '$'): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    const where = jsonPath(path, root);
    const isLocaleKey = LOCALE_KEYS.includes(last(path) as PropertyKey);
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) problems.push({ path: where, code: isLocaleKey ? 'missing_translation' : 'required' });
        else if (own(EXPECTED_KINDS, issue.expected)) problems.push({ path: where, code: 'wrong_type', params: { expected: own(EXPECTED_KINDS, issue.expected)! } });
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
      case 'invalid_format':
        problems.push({ path: where, code: own(FORMAT_CODES, String(last(path))) ?? 'invalid_format' });
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          problems.push({ path: jsonPath([...path, key], root), code: own(MISPLACED_KEYS, key) ?? 'unknown_field', params: { field: key } });
        }
        break;
      case 'invalid_union': {
        // A discriminated union (a question's type) names its choices; zod puts the path on the discriminator.
        const { options, discriminator } = issue as { options?: unknown[]; discriminator?: string };
        const at = discriminator && last(path) !== discriminator ? [...path, discriminator] : path;
        problems.push({ path: jsonPath(at, root), code: 'unknown_type', params: { types: (options ?? []).map(String).join(', ') } });
        break;
      }
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

/** Reads `input` with `schema`; a refusal carries every problem found (and the schema's own code). */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, root = '$'): z.output<S> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  const refusal = refusals.get(schema);
  throw new CandorError(refusal?.code ?? 'invalid_request', problemsFrom(parsed.error.issues, root), refusal?.params ?? {});
}

/** Where each part of a request is said to be, in a problem's path. */
const ROOTS: Record<string, string> = { body: '$', querystring: 'query', params: 'params', headers: 'headers' };

/**
 * Fastify's validator for every route: the route's zod schema reads the part, and a refusal is a
 * CandorError with its problems, answered like every other refusal (web/plugin.tsx).
 */
export function validatorCompiler({ schema, httpPart }: { schema: z.ZodType; httpPart?: string }) {
  const root = ROOTS[httpPart ?? 'body'] ?? '$';
  return (data: unknown): { value: unknown } | { error: Error } => {
    try {
      return { value: parseWith(schema, data, root) };
    } catch (error) {
      return { error: error as Error };
    }
  };
}

/**
 * Form coercion. A browser sends every field as text, and a list when a name repeats (ticked
 * boxes); these read such fields into the types the API's schemas expect, so that a page and the
 * API share one schema.
 */
export const form = {
  /** One value: the first, if a name was sent twice. */
  one: <S extends z.ZodType>(schema: S) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema),
  /** Every value sent under a name: none, one or several. */
  list: <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(schema)),
  /** An optional text: left blank, it is absent. */
  optionalText: <S extends z.ZodType>(schema: S) =>
    z.preprocess((v) => {
      const s = Array.isArray(v) ? v[0] : v;
      return typeof s === 'string' && s.trim() === '' ? undefined : s;
    }, schema.optional()),
  /** A check box: ticked when its value is sent. */
  checkbox: (value = 'yes') => z.preprocess((v) => (Array.isArray(v) ? v : [v]).includes(value), z.boolean()),
  /** A whole number typed in a field. */
  integer: <S extends z.ZodType>(schema: S) =>
    z.preprocess((v) => {
      const s = Array.isArray(v) ? v[0] : v;
      return typeof s === 'string' && /^\s*-?\d{1,9}\s*$/.test(s) ? Number(s) : s;
    }, schema),
};
