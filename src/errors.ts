/** The errors Candor answers with: a status, a translation key, and (for 400) a list of problems. */

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
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 429 | 500 | 503,
    /** Translation key under `errors:`, and the `error` field of JSON replies. */
    readonly code: string,
    readonly problems: Problem[] = [],
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'CandorError';
  }
}

export const notFound = (code = 'not_found') => new CandorError(404, code);
export const conflict = (code: string, params: Record<string, string | number> = {}) => new CandorError(409, code, [], params);
export const invalid = (code: string, problems: Problem[]) => new CandorError(400, code, problems);
