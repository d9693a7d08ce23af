/**
 * The one table from a refusal's code to what it means over HTTP: its status, and whether a page
 * shows it in place — beside the form the reader sent, which they can correct and send again —
 * rather than as a page of its own. Messages are the translations `errors:<code>` in locales/.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CandorError, type ErrorCode } from '../errors.js';

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
  definition_not_json: { status: 400, inPlace: true },
  slug_taken: { status: 409, inPlace: true },
  survey_frozen: { status: 409, inPlace: true },
  invalid_transition: { status: 409, inPlace: true },

  invalid_response: { status: 400, inPlace: true },
  invite_code_missing: { status: 403, inPlace: true },
  invite_code_invalid: { status: 403, inPlace: true },
  invite_code_used: { status: 409, inPlace: true },
  survey_not_invite_only: { status: 409, inPlace: true },
  survey_closed: { status: 409, inPlace: true },
  invite_count_invalid: { status: 400, inPlace: true },

  no_results_yet: { status: 404 },
  // The review's pages cannot be shown at all before it is ready: a page of its own.
  review_not_ready: { status: 409 },
  comment_not_found: { status: 404 },
  theme_not_found: { status: 404 },
  too_few_published: { status: 409, inPlace: true },
  no_review_yet: { status: 404 },
  theme_needs_labels: { status: 400, inPlace: true },

  review_not_published: { status: 409, inPlace: true },
  commitment_not_found: { status: 404 },
};

export const statusOf = (error: CandorError): Status => ERRORS[error.code].status;

/** Whether a page shows this refusal beside the form it came from; any other is thrown on, to the error page. */
export const shownInPlace = (error: CandorError): boolean => ERRORS[error.code].inPlace === true;

/** Maps anything thrown to a Candor error: framework errors get their own translated codes. */
export function toCandorError(err: FastifyError | CandorError | Error): CandorError {
  if (err instanceof CandorError) return err;
  const code = (err as FastifyError).code;
  if (typeof code === 'string' && code.startsWith('FST_CSRF')) return new CandorError('csrf_invalid');
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CandorError('body_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CandorError('unsupported_media_type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new CandorError('malformed_body');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new CandorError('malformed_body');
  }
  const status = (err as FastifyError).statusCode;
  if (status === 400 || (err instanceof SyntaxError && status === undefined)) return new CandorError('malformed_body');
  if (status === 404) return new CandorError('not_found');
  if (status === 413) return new CandorError('body_too_large');
  if (status === 415) return new CandorError('unsupported_media_type');
  // Any other client error from a plugin (a multipart upload cut short, …): the client's fault,
  // said in the reader's language, never a 500.
  if (typeof status === 'number' && status >= 400 && status < 500) return new CandorError('invalid_request');
  if (status === 503) return new CandorError('closing');
  return new CandorError('internal');
}

/**
 * A page form's error handler (the route option `errorHandler`): a refusal the reader can act on —
 * a field left wrong, a code already spent — is shown by `show` beside the form, with its status;
 * any other goes on to the app's error page.
 */
export function inPlace(show: (request: FastifyRequest, reply: FastifyReply, refusal: CandorError) => FastifyReply | Promise<FastifyReply>) {
  return async function (this: unknown, err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const refusal = toCandorError(err);
    if (!shownInPlace(refusal)) throw err;
    return show(request, reply.code(statusOf(refusal)), refusal);
  };
}
