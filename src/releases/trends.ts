/**
 * Trends (§13): a final release of a survey in a series carries, per question, the figures of the
 * earlier rounds' final releases that passed the audit, oldest first — for the same question id
 * with the same type and the same option values in the same order (the same min and max for a
 * rating; labels may differ). They are copied from those published releases, never recomputed from
 * raw answers: a trend publishes nothing new, and a hidden figure stays the marker. The audit of
 * this release reads only its own figures (each earlier round is the separate survey it is, and
 * passed its own audit), so it is the same with or without them.
 *
 * Pure: no database, no HTTP.
 */
import type { ChoiceQuestionResult, PreviousRound, QuestionResult, ReleaseJson } from './content.js';

/** An earlier round: its slug, and its latest release as published. */
export interface EarlierRound {
  survey: string;
  release: ReleaseJson;
}

/** Whether an earlier round's release may be compared with: final, and audited (§6 rule 8). */
export const comparable = (release: ReleaseJson): boolean => release.final && release.audit?.passed === true;

/** Same id, same type, same option values in the same order, same scale: the question is the same. */
export function sameQuestion(now: QuestionResult, then: QuestionResult): then is ChoiceQuestionResult {
  if (now.type === 'text' || then.type === 'text') return false;
  if (now.id !== then.id || now.type !== then.type) return false;
  if (JSON.stringify(now.options ?? null) !== JSON.stringify(then.options ?? null)) return false;
  return now.min === then.min && now.max === then.max;
}

/**
 * The release with each question's earlier rounds added (`previous`, after its breakdowns), for
 * the rounds that are comparable. Questions no earlier round shares are left as they are.
 */
export function withTrends<R extends Pick<ReleaseJson, 'questions'>>(release: R, rounds: readonly EarlierRound[]): R {
  const usable = rounds.filter((r) => comparable(r.release));
  if (usable.length === 0) return release;
  const questions = release.questions.map((q): QuestionResult => {
    if (q.type === 'text') return q;
    const previous: PreviousRound[] = [];
    for (const round of usable) {
      const then = round.release.questions.find((x) => x.id === q.id);
      if (!then || !sameQuestion(q, then)) continue;
      // The published objects as they are: the same text when written again.
      previous.push({ survey: round.survey, overall: then.overall, breakdowns: then.breakdowns });
    }
    return previous.length > 0 ? { ...q, previous } : q;
  });
  return { ...release, questions };
}
