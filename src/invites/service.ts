/** Making invitation codes (§5): who may have them, and how many at once. */
import { z } from 'zod';
import { CandorError } from '../errors.js';
import type { SurveyRecord } from '../surveys/repository.js';
import type { InviteRepository } from './repository.js';

/** The most codes one request makes (the API's and the staff page's limit). */
export const MAX_CODES_PER_REQUEST = 1000;

/** How many codes to make: the one rule for the API and the staff page. */
export const CodeCount = z.number().int().min(1).max(MAX_CODES_PER_REQUEST);

/**
 * The invitation link of a code (§12): PUBLIC_URL without its trailing slash, then
 * /s/{slug}?code={code}. Never the request's Host header: a forged Host would put another site's
 * address on every card.
 */
export function invitationLink(publicUrl: string, slug: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/s/${slug}?code=${encodeURIComponent(code)}`;
}

/**
 * Codes can be made for invite-only surveys that have not closed. The number ever issued is
 * published with the final release (§5), so none may be added after it: the repository checks
 * again in the transaction that stores them, since the job may close the survey meanwhile.
 */
export function generateFor(invites: InviteRepository, survey: SurveyRecord, count: number): string[] {
  if (survey.definition.access !== 'invite') throw new CandorError('survey_not_invite_only');
  // README choice 10: "after the final release" is read as "once the survey is closed".
  if (survey.status === 'closed') throw new CandorError('survey_closed');
  return invites.generate(survey.id, count);
}
