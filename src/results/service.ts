/** Reading results (§7): always the latest released snapshot, never live figures. */
import { CandorError } from '../errors.js';
import { codesIssued } from '../invites/issued.js';
import type { InviteRepository } from '../invites/repository.js';
import type { StoredRelease, ReleaseRepository } from '../releases/repository.js';
import type { ResolvedDefinition } from '../surveys/definition.js';
import type { SurveyRecord, SurveyRepository } from '../surveys/repository.js';

export interface PublishedResults {
  survey: SurveyRecord;
  release: StoredRelease;
}

export function createResultsService({ surveys, releases, invites }: { surveys: SurveyRepository; releases: ReleaseRepository; invites: InviteRepository }) {
  return {
    /** Whether the survey's final release is stored. */
    hasFinal(surveyId: number): boolean {
      return releases.hasFinal(surveyId);
    },
    /** Whether anything of this survey has been released. */
    hasRelease(surveyId: number): boolean {
      return releases.latest(surveyId) !== undefined;
    },
    /** Codes ever issued for an invite-only survey, as every page shows them (§5; undefined when open). */
    codesIssued(survey: SurveyRecord): number | undefined {
      return codesIssued({ invites, releases }, survey);
    },
    /** The definitions of the earlier rounds a release compares with (§13), by slug: their names and labels. */
    earlierRounds(release: StoredRelease): Map<string, ResolvedDefinition> {
      const slugs = new Set(release.content.questions.flatMap((q) => (q.type === 'text' ? [] : (q.previous ?? []).map((p) => p.survey))));
      const found = new Map<string, ResolvedDefinition>();
      for (const slug of slugs) {
        const survey = surveys.findBySlug(slug);
        if (survey) found.set(slug, survey.definition);
      }
      return found;
    },
    /** The latest release of a survey, or a 404 ("no results yet") before the first one. */
    latest(slug: string): PublishedResults {
      const survey = surveys.findBySlug(slug);
      // A draft looks like no survey at all: its slug is nobody's business yet.
      if (!survey || survey.status === 'draft') throw new CandorError('survey_not_found');
      const release = releases.latest(survey.id);
      if (!release) throw new CandorError('no_results_yet');
      return { survey, release };
    },
  };
}
export type ResultsService = ReturnType<typeof createResultsService>;
