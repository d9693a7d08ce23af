/**
 * The database schema, read by drizzle-kit to generate migrations/. Tables that hold partners'
 * answers are WITHOUT ROWID with a random key (added by hand to the generated SQL, drizzle cannot
 * express it): their storage order follows that key, never the order responses arrived in.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const surveys = sqliteTable(
  'surveys',
  {
    id: integer('id').primaryKey(),
    slug: text('slug').notNull(),
    status: text('status', { enum: ['draft', 'open', 'closed'] }).notNull().default('draft'),
    /** The definition as validated JSON (SurveyDefinition), protection settings resolved. */
    definition: text('definition').notNull(),
    access: text('access', { enum: ['open', 'invite'] }).notNull(),
    minGroupSize: integer('min_group_size').notNull(),
    minDiversity: integer('min_diversity').notNull(),
    minComments: integer('min_comments').notNull(),
    interimReleases: integer('interim_releases', { mode: 'boolean' }).notNull(),
    closesAt: text('closes_at'),
  },
  (t) => [uniqueIndex('surveys_slug_unique').on(t.slug)],
);

/** One row a response: a random id and nothing else — no time, no order, no client. */
export const responses = sqliteTable(
  'responses',
  {
    surveyId: integer('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.id] })],
);

/**
 * One row per answered (non-text) question of a response. `cohort` repeats the response's
 * grouping answers ("africa|small") so that every breakdown is one GROUP BY over the
 * covering index; multi-choice answers are one row whose value lists the chosen options.
 */
export const answers = sqliteTable(
  'answers',
  {
    surveyId: integer('survey_id').notNull(),
    responseId: text('response_id').notNull(),
    questionId: text('question_id').notNull(),
    value: text('value').notNull(),
    cohort: text('cohort').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.surveyId, t.responseId, t.questionId] }),
    index('answers_cell_idx').on(t.surveyId, t.questionId, t.value, t.cohort),
  ],
);

/** Free-text answers, scrubbed, with no link to their response or its grouping answers (§8). */
export const comments = sqliteTable(
  'comments',
  {
    surveyId: integer('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    questionId: text('question_id').notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: ['pending', 'published', 'hidden'] }).notNull().default('pending'),
    shareWithPartners: integer('share_with_partners', { mode: 'boolean' }).notNull().default(false),
    /** JSON object of reviewer translations: { "es": "…" }. */
    translations: text('translations').notNull().default('{}'),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.id] })],
);

/** Access tokens for staff, the Working Group and admins: only a hash of each is kept. */
export const tokens = sqliteTable(
  'tokens',
  {
    id: integer('id').primaryKey(),
    label: text('label').notNull(),
    role: text('role', { enum: ['admin', 'staff', 'wg'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Day the token was created (YYYY-MM-DD), shown by token:list. */
    createdOn: text('created_on').notNull().default(sql`(date('now'))`),
    revoked: integer('revoked', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('tokens_label_unique').on(t.label), uniqueIndex('tokens_hash_unique').on(t.tokenHash)],
);
