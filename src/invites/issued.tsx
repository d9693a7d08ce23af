/**
 * The number of invitation codes ever issued for a survey, a public figure (§5): partners compare
 * it with the number of partner organisations, since whoever holds unused codes can send made-up
 * answers (§2). Where the figure comes from, and the sentence every page shows it in.
 */
import type { Locale, Translate } from '../i18n/index.js';
import type { ReleaseRepository } from '../releases/repository.js';
import type { SurveyRecord } from '../surveys/repository.js';
import type { InviteRepository } from './repository.js';

/**
 * Codes ever issued for an invite-only survey (undefined for an open one): the final release's
 * figure once there is one — no code can be added after it, and a purge deletes the codes
 * themselves — and the live count before.
 */
export function codesIssued(deps: { invites: InviteRepository; releases: ReleaseRepository }, survey: SurveyRecord): number | undefined {
  if (survey.definition.access !== 'invite') return undefined;
  const latest = deps.releases.latest(survey.id);
  if (latest?.final && latest.content.invitations) return latest.content.invitations.issued;
  return deps.invites.counts(survey.id).issued;
}

/** "40 invitation codes were issued for this survey", in the reader's language. */
export function issuedSentence(issued: number, locale: Locale, t: Translate): string {
  return t('common:codes_issued', { count: issued, formatted: new Intl.NumberFormat(locale).format(issued) });
}

/** The figure with the reason it is shown, for the results page and the Working Group's pages. */
export function CodesIssued({ issued, locale, t }: { issued: number; locale: Locale; t: Translate }) {
  return (
    <p class="codes-issued">
      <strong>{issuedSentence(issued, locale, t)}</strong> {t('common:codes_issued_why')}
    </p>
  );
}
