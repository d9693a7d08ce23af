/**
 * The one table from a refusal's code to what it means over HTTP: its status, and whether a page
 * shows it in place — beside the form the reader sent, which they can correct and send again —
 * rather than as a page of its own. Messages are the translations `errors:<code>` in locales/.
 */
import type { CandorError, ErrorCode } from '../errors.js';

export type Status = 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 429 | 500 | 503;

interface Meaning {
  status: Status;
  /** Shown beside the form it came from (the reader can act on it there). */
  inPlace?: true;
}

export const ERRORS: Record<ErrorCode, Meaning> = {
  invalid_request: { status: 400, inPlace: true },
  malformed_body: { status: 400 },
  bad_url: { status: 400 },
  url_too_long: { status: 414 },
  body_too_large: { status: 413 },
  unsupported_media_type: { status: 415 },
  not_found: { status: 404 },
  rate_limited: { status: 429 },
  rate_limited_login: { status: 429 },
  closing: { status: 503 },
  internal: { status: 500 },

  unauthorized: { status: 401 },
  forbidden: { status: 403 },
  csrf_invalid: { status: 403 },

  survey_not_found: { status: 404 },
  survey_not_open: { status: 404 },
  invalid_definition: { status: 400, inPlace: true },
  slug_taken: { status: 409, inPlace: true },
  survey_frozen: { status: 409, inPlace: true },
  invalid_transition: { status: 409, inPlace: true },

  invalid_response: { status: 400, inPlace: true },
  invite_code_missing: { status: 403, inPlace: true },
  invite_code_invalid: { status: 403, inPlace: true },
  invite_code_used: { status: 409, inPlace: true },
  survey_not_invite_only: { status: 409, inPlace: true },
  survey_closed: { status: 409, inPlace: true },

  no_results_yet: { status: 404 },
  // The review's pages cannot be shown at all before it is ready: a page of its own.
  review_not_ready: { status: 409 },
  comment_not_found: { status: 404 },
  theme_not_found: { status: 404 },
  too_few_published: { status: 409, inPlace: true },
  no_review_yet: { status: 404 },
  theme_needs_labels: { status: 400, inPlace: true },
};

export const statusOf = (error: CandorError): Status => ERRORS[error.code].status;

/** Whether a page shows this refusal beside the form it came from; any other is thrown on, to the error page. */
export const shownInPlace = (error: CandorError): boolean => ERRORS[error.code].inPlace === true;
