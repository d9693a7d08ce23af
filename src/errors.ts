/**
 * The refusals Candor answers with, as domain errors: a code (also the translation key under
 * `errors:` and the `error` field of JSON replies), for invalid input the problems found, and
 * values for the message. What a code means over HTTP — its status, whether a page shows it in
 * place — is said once, in web/errors.ts.
 */

export const ERROR_CODES = [
  // The request itself
  'invalid_request',
  'malformed_body',
  'bad_url',
  'url_too_long',
  'body_too_large',
  'unsupported_media_type',
  'not_found',
  'rate_limited',
  'rate_limited_login',
  'closing',
  'internal',
  // Who is asking
  'unauthorized',
  'forbidden',
  'csrf_invalid',
  // Surveys
  'survey_not_found',
  'survey_not_open',
  'invalid_definition',
  'definition_not_json',
  'slug_taken',
  'survey_frozen',
  'invalid_transition',
  // Answers and invitation codes
  'invalid_response',
  'invite_code_missing',
  'invite_code_invalid',
  'invite_code_used',
  'survey_not_invite_only',
  'survey_closed',
  'invite_count_invalid',
  // Results and the review
  'no_results_yet',
  'review_not_ready',
  'comment_not_found',
  'theme_not_found',
  'too_few_published',
  'no_review_yet',
  'theme_needs_labels',
  // What the funder will do
  'review_not_published',
  'commitment_not_found',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface Problem {
  /** Where the problem is: a JSON path such as "$.questions[2].prompt.fr", or "answers.region". */
  path: string;
  /** Stable machine-readable code, also the translation key under `problems:`. */
  code: string;
  /** Values for the translated message. */
  params?: Record<string, string | number>;
  /** The question concerned, for answers. */
  questionId?: string;
}

export class CandorError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly problems: Problem[] = [],
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'CandorError';
  }
}

export const notFound = (code: ErrorCode = 'not_found') => new CandorError(code);
export const conflict = (code: ErrorCode, params: Record<string, string | number> = {}) => new CandorError(code, [], params);
export const invalid = (code: ErrorCode, problems: Problem[]) => new CandorError(code, problems);
