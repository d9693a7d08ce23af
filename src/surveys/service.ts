/** Survey life cycle (§3): create as draft, edit while draft, open once, close for good. */
import { z } from 'zod';
import { CandorError, conflict, invalid, notFound } from '../errors.js';
import { parseDefinition, type ResolvedDefinition } from './definition.js';
import type { SurveyRecord, SurveyRepository, SurveyStatus } from './repository.js';

export interface SurveyDefaults {
  minGroupSize: number;
  minDiversity: number;
}

/** The changes of status staff ask for: a survey opens once and closes for good (§3). */
export const StatusChange = z.enum(['open', 'closed']);

export interface SurveyPatch {
  status?: 'open' | 'closed';
  definition?: unknown;
}

/** Whether a survey takes responses at this moment: open, and its closesAt not yet reached. */
export function acceptsResponses(survey: SurveyRecord, now: number = Date.now()): boolean {
  if (survey.status !== 'open') return false;
  const closesAt = survey.definition.closesAt;
  return closesAt === undefined || now < Date.parse(closesAt);
}

export function createSurveyService(
  repo: SurveyRepository,
  defaults: SurveyDefaults,
) {
  // Called synchronously when a survey closes: the release job makes its final release there.
  const closedListeners: ((survey: SurveyRecord) => void)[] = [];

  const parse = (input: unknown, root = '$'): ResolvedDefinition => {
    const result = parseDefinition(input, defaults, root);
    if (!result.ok) throw invalid('invalid_definition', result.problems);
    return result.definition;
  };

  const create = (input: unknown): SurveyRecord => {
    const definition = parse(input);
    if (repo.findBySlug(definition.slug)) throw conflict('slug_taken', { slug: definition.slug });
    return repo.insert(definition);
  };

  const get = (slug: string): SurveyRecord => {
    const survey = repo.findBySlug(slug);
    if (!survey) throw notFound('survey_not_found');
    return survey;
  };

  return {
    get,
    find: (slug: string): SurveyRecord | undefined => repo.findBySlug(slug),
    onClosed(listener: (survey: SurveyRecord) => void): void {
      closedListeners.push(listener);
    },
    create,
    /**
     * The next round (§12): a draft with the source's definition — same question ids, same
     * title for staff to edit, same series (the source's slug when it had none) — without its
     * closing date. Any source will do, whatever its status.
     */
    duplicate(sourceSlug: string, slug: string): SurveyRecord {
      const source = get(sourceSlug);
      const { closesAt: _closesAt, ...definition } = source.definition;
      return create({ ...definition, slug, series: source.definition.series ?? source.slug });
    },
    update(slug: string, patch: SurveyPatch): SurveyRecord {
      let survey = get(slug);
      if (patch.definition !== undefined) {
        // Questions and protection settings are frozen once a survey has opened (§1, §3).
        if (survey.status !== 'draft') throw conflict('survey_frozen');
        // Paths name the place in the patch: "$.definition.questions[0]".
        const definition = parse(patch.definition, '$.definition');
        if (definition.slug !== survey.slug) {
          throw invalid('invalid_definition', [{ path: '$.definition.slug', code: 'slug_mismatch', params: { slug: survey.slug } }]);
        }
        repo.replaceDefinition(survey.id, definition);
        survey = { ...survey, definition };
      }
      if (patch.status !== undefined && patch.status !== survey.status) {
        survey = transition(survey, patch.status);
      }
      return survey;
    },
    list: () => repo.list(),
    listOpen: () => repo.listByStatus('open').filter((s) => acceptsResponses(s)),
    /** Surveys that partners have seen: open or closed, never drafts. */
    listPublic: () => [...repo.listByStatus('open'), ...repo.listByStatus('closed')],
  };

  function transition(survey: SurveyRecord, to: SurveyStatus): SurveyRecord {
    const allowed = (survey.status === 'draft' && to === 'open') || (survey.status === 'open' && to === 'closed');
    if (!allowed) throw conflict('invalid_transition', { from: survey.status, to });
    if (to === 'open') {
      // A survey opens only if every text is translated: re-check the stored definition.
      const recheck = parseDefinition(survey.definition, defaults);
      if (!recheck.ok) throw new CandorError('invalid_definition', recheck.problems);
    }
    repo.setStatus(survey.id, to);
    const updated = { ...survey, status: to };
    if (to === 'closed') for (const listener of closedListeners) listener(updated);
    return updated;
  }
}
export type SurveyService = ReturnType<typeof createSurveyService>;
