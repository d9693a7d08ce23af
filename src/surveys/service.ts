/** Survey life cycle (§3): create as draft, edit while draft, open once, close for good. */
import { z } from 'zod';
import { CandorError, conflict, invalid, notFound, type Problem } from '../errors.js';
import { DraftDefinition, type LocalizedText, parseDefinition, resolveDefinition, type ResolvedDefinition } from './definition.js';
import { parseWith } from '../validation.js';
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

  const missingOf = (def: ResolvedDefinition): Problem[] => {
    const result = parseDefinition(def, defaults);
    return result.ok ? [] : result.problems;
  };

  const createDraft = (def: DraftDefinition): { survey: SurveyRecord; missing: Problem[] } => {
    if (repo.findBySlug(def.slug)) throw conflict('slug_taken', { slug: def.slug });
    const survey = repo.insert(resolveDefinition(def, defaults));
    return { survey, missing: missingOf(survey.definition) };
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
    duplicate(sourceSlug: string, slug: string, title?: Partial<LocalizedText>): SurveyRecord {
      const source = get(sourceSlug);
      const { closesAt: _closesAt, ...definition } = source.definition;
      const copy = parseWith(DraftDefinition, { ...definition, slug, series: source.definition.series ?? source.slug, title: { ...definition.title, ...title } });
      return createDraft(copy).survey;
    },
    /**
     * A draft from the builder (§12), which may be incomplete: saved as it is, with what is still
     * missing before it can open (every problem of the complete definition, by path).
     */
    createDraft,
    saveDraft(slug: string, def: DraftDefinition): { survey: SurveyRecord; missing: Problem[] } {
      const survey = get(slug);
      if (survey.status !== 'draft') throw conflict('survey_frozen');
      const definition = resolveDefinition({ ...def, slug: survey.slug }, defaults);
      repo.replaceDefinition(survey.id, definition);
      return { survey: { ...survey, definition }, missing: missingOf(definition) };
    },
    /** What a stored draft still lacks before it can open. */
    missing: (survey: SurveyRecord): Problem[] => missingOf(survey.definition),
    /** Deletes a draft (nobody has answered it); an opened survey is kept for good. */
    deleteDraft(slug: string): void {
      const survey = get(slug);
      if (survey.status !== 'draft' || !repo.deleteDraft(survey.id)) throw conflict('survey_frozen');
    },
    /**
     * Moves an open survey's closing date later (§12) — nothing else of it changes. The new date
     * is in the future and after the current one: a survey never closes earlier than announced.
     */
    moveClosing(slug: string, closesAt: string, now: number = Date.now()): SurveyRecord {
      const survey = get(slug);
      if (survey.status !== 'open') throw conflict('survey_frozen');
      const to = Date.parse(closesAt);
      const from = survey.definition.closesAt ? Date.parse(survey.definition.closesAt) : undefined;
      if (!(to > now) || (from !== undefined && !(to > from))) {
        throw invalid('invalid_request', [{ path: '$.closesAt', code: 'closes_earlier', ...(survey.definition.closesAt ? { params: { current: survey.definition.closesAt } } : {}) }]);
      }
      const definition = { ...survey.definition, closesAt: new Date(to).toISOString() };
      repo.replaceDefinition(survey.id, definition);
      return { ...survey, definition };
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
