/**
 * What a release publishes (§7): one zod schema shared by the release job that writes it, the
 * results routes that serve it, and the audit that reads it back (§6 rule 8). A release carries
 * everything the audit needs, so that anyone can repeat the audit from the published JSON alone.
 */
import { z } from 'zod';

/** The one generic marker: never a figure, never a reason (rule 1). */
export const Marker = z.strictObject({ suppressed: z.literal(true) }).meta({ id: 'Marker', description: 'Not shown, to protect anonymity: never says why.' });
export type Marker = z.infer<typeof Marker>;
export const MARKER: Marker = Object.freeze({ suppressed: true as const });
export const isMarker = (cell: unknown): cell is Marker => typeof cell === 'object' && cell !== null && (cell as Marker).suppressed === true;

export const PublishedCell = z.strictObject({
  n: z.number().int().min(0),
  counts: z.record(z.string(), z.union([z.number().int().min(0), Marker])),
  mean: z.number().optional(),
});
export type PublishedCell = z.infer<typeof PublishedCell>;
export const FigureCell = z.union([Marker, PublishedCell]).meta({ id: 'ResultCell' });
export type FigureCell = z.infer<typeof FigureCell>;
export const GroupCell = z.union([
  z.strictObject({ group: z.string(), suppressed: z.literal(true) }),
  z.strictObject({ group: z.string(), n: z.number().int().min(0), counts: PublishedCell.shape.counts, mean: z.number().optional() }),
]);
export type GroupCell = z.infer<typeof GroupCell>;

const questionBase = {
  id: z.string(),
  required: z.boolean().describe('Every respondent answered it (a reader may use this, so it is published).'),
  grouping: z.boolean().describe('Results are broken down by its answers.'),
};

/**
 * An earlier round's figures of one question (§13), copied from that round's final release, which
 * passed its own audit: never recomputed, so a trend publishes nothing new.
 */
export const PreviousRound = z
  .strictObject({
    survey: z.string().describe('The earlier round (a survey of the same series).'),
    overall: FigureCell,
    breakdowns: z.record(z.string(), z.array(GroupCell)),
  })
  .meta({ id: 'PreviousRound' });
export type PreviousRound = z.infer<typeof PreviousRound>;

export const ChoiceQuestionResult = z.strictObject({
  ...questionBase,
  type: z.enum(['single_choice', 'multi_choice', 'likert', 'rating']),
  options: z.array(z.string()).optional().describe('Option values in definition order (single and multiple choice).'),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  overall: FigureCell,
  /** One list of groups per grouping question, in definition order (final release only). */
  breakdowns: z.record(z.string(), z.array(GroupCell)),
  /** A final release in a series: the earlier rounds of this question, oldest first (§13). */
  previous: z.array(PreviousRound).optional(),
});
export type ChoiceQuestionResult = z.infer<typeof ChoiceQuestionResult>;

const TextQuestionResult = z.strictObject({
  ...questionBase,
  type: z.literal('text'),
  comments: z.union([Marker, z.strictObject({ n: z.number().int().min(0) })]),
});
export type TextQuestionResult = z.infer<typeof TextQuestionResult>;

export const QuestionResult = z.union([ChoiceQuestionResult, TextQuestionResult]);
export type QuestionResult = z.infer<typeof QuestionResult>;

export const Respondents = z.union([Marker, z.strictObject({ n: z.number().int().min(0) })]);
export type Respondents = z.infer<typeof Respondents>;

export const AuditSummary = z
  .strictObject({
    passed: z.literal(true),
    hiddenFigures: z.number().int().min(0).describe('How many markers the release holds.'),
    solver: z.string(),
  })
  .describe('The exact disclosure audit of §6 rule 8 passed before the release was stored.');
export type AuditSummary = z.infer<typeof AuditSummary>;

export const ReleaseJson = z
  .strictObject({
    survey: z.string(),
    minGroupSize: z.number().int().min(1),
    minDiversity: z.number().int().min(0),
    releasedAt: z.string().describe('The day of the release, YYYY-MM-DD.'),
    final: z.boolean().describe('True for the release made when the survey closed: the only one with figures.'),
    invitations: z.strictObject({ issued: z.number().int().min(0) }).optional().describe('Invite-only surveys: how many codes were ever issued.'),
    respondents: Respondents,
    releases: z.array(z.strictObject({ releasedAt: z.string(), respondents: Respondents })).describe('The earlier releases of the survey, oldest first.'),
    questions: z.array(QuestionResult),
    audit: AuditSummary.optional(),
  })
  .meta({ id: 'ResultsReply' });
export type ReleaseJson = z.infer<typeof ReleaseJson>;

/** A release before its day and audit are added: what the rules produce. */
export type ReleaseContent = Omit<ReleaseJson, 'releasedAt' | 'audit'>;

/** Counts the markers of a release: every figure hidden, whole cells and single options alike. */
export function countMarkers(content: Pick<ReleaseJson, 'respondents' | 'questions'>): number {
  let n = isMarker(content.respondents) ? 1 : 0;
  const cell = (c: FigureCell | GroupCell) => {
    if (isMarker(c)) n++;
    else for (const x of Object.values(c.counts)) if (isMarker(x)) n++;
  };
  for (const q of content.questions) {
    if (q.type === 'text') {
      if (isMarker(q.comments)) n++;
      continue;
    }
    cell(q.overall);
    for (const groups of Object.values(q.breakdowns)) for (const g of groups) cell(g);
  }
  return n;
}

/** The JSON text of a release, keys in one fixed order: the stored text is what every reader gets. */
export function releaseText(release: ReleaseJson): string {
  const { survey, minGroupSize, minDiversity, releasedAt, final, invitations, respondents, releases, questions, audit } = release;
  return JSON.stringify({
    survey,
    minGroupSize,
    minDiversity,
    releasedAt,
    final,
    ...(invitations ? { invitations } : {}),
    respondents,
    releases,
    questions,
    ...(audit ? { audit } : {}),
  });
}
