/**
 * Closing the loop (§13): once the Working Group has published its review, staff say what they
 * heard and what they will do, theme by theme; the Working Group adds its own note beside each.
 * Every change is kept with its day and the role that made it — never who.
 */
import { CandorError, conflict, invalid, notFound } from '../errors.js';
import type { PublishedReview, ReviewService } from '../review/service.js';
import type { SurveyRecord, SurveyRepository } from '../surveys/repository.js';
import type { Commitment, CommitmentFields, CommitmentRepository, CommitmentStatus, Role } from './repository.js';
import type { LocalizedText } from '../surveys/definition.js';

export interface NewCommitment {
  themeId: number | null;
  heard: LocalizedText;
  action: LocalizedText;
  status: CommitmentStatus;
  reason?: LocalizedText | undefined;
  due?: string | undefined;
}

/** A change: any field; null clears an optional one. */
export interface CommitmentPatch {
  heard?: LocalizedText | undefined;
  action?: LocalizedText | undefined;
  status?: CommitmentStatus | undefined;
  reason?: LocalizedText | null | undefined;
  due?: string | null | undefined;
  wgNote?: LocalizedText | null | undefined;
}

const FIELDS = ['heard', 'action', 'status', 'reason', 'due', 'wgNote'] as const;

/** A survey's published review and the commitments that answer it, as every page shows them. */
export interface Answered {
  survey: SurveyRecord;
  review: PublishedReview;
  commitments: Commitment[];
}

export function createCommitmentService(deps: { commitments: CommitmentRepository; review: ReviewService; surveys: SurveyRepository; now?: () => Date }) {
  const { commitments, review, surveys } = deps;
  const strip = ({ surveyId: _s, ...c }: Commitment & { surveyId: number }): Commitment => c;
  const today = () => (deps.now?.() ?? new Date()).toISOString().slice(0, 10);

  /** The survey, once its review is published; `refusal` says what to answer before. */
  const publishedSurvey = (slug: string, refusal: 'no_review_yet' | 'review_not_published') => {
    const { survey, review: published } = review.published(slug);
    if (!published) throw refusal === 'no_review_yet' ? notFound('no_review_yet') : conflict('review_not_published');
    return survey;
  };

  /** The published review and its commitments; undefined before the review is published. */
  const answered = (slug: string): Answered | undefined => {
    const { survey, review: published } = review.published(slug);
    return published ? { survey, review: published, commitments: commitments.list(survey.id).map(strip) } : undefined;
  };

  /** "not_doing needs a reason in all three languages." */
  const checkReason = (f: CommitmentFields) => {
    if (f.status === 'not_doing' && f.reason === null) throw invalid('invalid_request', [{ path: '$.reason', code: 'reason_required' }]);
  };

  return {
    /** Public once the review is published (404 before). */
    list(slug: string): Commitment[] {
      const survey = publishedSurvey(slug, 'no_review_yet');
      return commitments.list(survey.id).map(strip);
    },

    answered,

    /** One commitment and the survey it answers (404 when there is none). */
    find(id: number): { commitment: Commitment; survey: SurveyRecord } {
      const found = commitments.find(id);
      const survey = found ? surveys.findById(found.surveyId) : undefined;
      if (!found || !survey) throw notFound('commitment_not_found');
      return { commitment: strip(found), survey };
    },

    /**
     * "Since the last round" (§13): the nearest earlier round of this survey's series whose
     * published review has commitments. A draft (previewed) counts as opening now, after every
     * round that has opened.
     */
    sinceLastRound(survey: SurveyRecord): Answered | undefined {
      const rounds = surveys.rounds(survey.definition.series ?? survey.slug);
      const at = rounds.findIndex((r) => r.id === survey.id);
      const earlier = at < 0 ? rounds : rounds.slice(0, at);
      for (const round of earlier.reverse()) {
        const found = answered(round.slug);
        if (found && found.commitments.length > 0) return found;
      }
      return undefined;
    },

    create(slug: string, input: NewCommitment): { id: number } {
      const survey = publishedSurvey(slug, 'review_not_published');
      if (input.themeId !== null && commitments.surveyOfTheme(input.themeId) !== survey.id) {
        throw invalid('invalid_request', [{ path: '$.themeId', code: 'theme_not_in_survey' }]);
      }
      const fields: CommitmentFields = {
        themeId: input.themeId,
        heard: input.heard,
        action: input.action,
        status: input.status,
        reason: input.reason ?? null,
        due: input.due ?? null,
        wgNote: null,
      };
      checkReason(fields);
      return { id: commitments.create(survey.id, fields, today(), 'staff') };
    },

    /** Staff change anything but the Working Group's note; the Working Group changes only its note (403 otherwise). */
    update(id: number, patch: CommitmentPatch, by: Role): Commitment {
      const current = commitments.find(id);
      if (!current) throw notFound('commitment_not_found');
      const keys = FIELDS.filter((k) => patch[k] !== undefined);
      if (by === 'wg' ? keys.some((k) => k !== 'wgNote') : keys.includes('wgNote')) throw new CandorError('forbidden');
      const { id: _id, surveyId: _survey, history: _history, ...fields } = current;
      const next: CommitmentFields = { ...fields };
      for (const k of keys) (next as Record<string, unknown>)[k] = patch[k];
      checkReason(next);
      const changes = keys.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(fields[k]));
      if (changes.length > 0) commitments.update(id, next, today(), by, changes);
      const { surveyId: _s, ...updated } = commitments.find(id)!;
      return updated;
    },
  };
}
export type CommitmentService = ReturnType<typeof createCommitmentService>;
