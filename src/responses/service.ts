/** Submitting a response (§4): find the open survey, validate everything, scrub, store at once. */
import { CandorError, invalid, notFound } from '../errors.js';
import { hashCode } from '../invites/codes.js';
import type { SurveyRecord, SurveyRepository } from '../surveys/repository.js';
import { acceptsResponses } from '../surveys/service.js';
import type { ResponseRepository } from './repository.js';
import type { Scrubber } from './scrub.js';
import { validateAnswers, type AnswerSource } from './validate.js';

export interface Submission {
  answers: unknown;
  inviteCode?: string | undefined;
}

export function createResponseService(deps: {
  surveys: SurveyRepository;
  responses: ResponseRepository;
  scrub: Scrubber;
}) {
  return {
    /** The survey a partner may answer now, or a 404. */
    openSurvey(slug: string): SurveyRecord {
      const survey = deps.surveys.findBySlug(slug);
      if (!survey || !acceptsResponses(survey)) throw notFound('survey_not_open');
      return survey;
    },

    /**
     * Validates before anything else (so a code cannot be probed with an empty body), then spends
     * the code and stores the response in one transaction. Throws 400, 403, 404 or 409.
     */
    async submit(survey: SurveyRecord, submission: Submission, source: AnswerSource): Promise<void> {
      const result = validateAnswers(survey.definition, submission.answers, source);
      if (!result.ok) throw invalid('invalid_response', result.problems);
      let codeHash: string | undefined;
      if (survey.definition.access === 'invite') {
        const code = submission.inviteCode?.trim();
        if (!code) throw new CandorError('invite_code_missing');
        // Spent in the response's own transaction (store.ts), by its hash: the code is never kept.
        codeHash = hashCode(survey.id, code);
      }
      const texts = result.response.texts.map((t) => ({ questionId: t.questionId, text: deps.scrub(t.text) }));
      await deps.responses.store(survey.id, result.response, texts, codeHash);
    },
  };
}
export type ResponseService = ReturnType<typeof createResponseService>;
