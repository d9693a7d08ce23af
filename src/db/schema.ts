/**
 * The tables the hand-written migrations in migrations/ create, described for drizzle's types
 * (test/db/schema.test.ts checks that both agree). What drizzle cannot express lives in the SQL
 * alone: every table is STRICT, and those that hold partners' answers are WITHOUT ROWID with a
 * random key, so their storage order follows that key, never the order responses arrived in.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /** When staff opened it (ISO): the rounds of a series are its surveys in this order (§13). */
    openedAt: text('opened_at'),
    /** Raw responses and unpublished comments deleted by `npm run purge` (releases are kept). */
    purged: integer('purged', { mode: 'boolean' }).notNull().default(false),
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
 * grouping answers ("africa|small"), so that every breakdown is one GROUP BY; multi-choice
 * answers are one row whose value lists the chosen options. The table is keyed (and stored) by
 * cell — survey, question, value, cohort — then by the random response id: the aggregation reads
 * it in key order with no index beside it, and no row's place says when it arrived.
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
  (t) => [primaryKey({ columns: [t.surveyId, t.questionId, t.value, t.cohort, t.responseId] })],
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
  // PATCH /api/comments/:id names a comment by its id alone.
  (t) => [primaryKey({ columns: [t.surveyId, t.id] }), index('comments_id_idx').on(t.id)],
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

/**
 * Released snapshots (§6): results pages and reports only ever read these. Each holds exactly the
 * JSON it is served as, and nothing unpublished.
 */
export const releases = sqliteTable(
  'releases',
  {
    id: integer('id').primaryKey(),
    surveyId: integer('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    /** The day of the release (YYYY-MM-DD): no finer, it is published. */
    releasedOn: text('released_on').notNull(),
    final: integer('final', { mode: 'boolean' }).notNull(),
    /** The published JSON of §7, byte for byte as served. */
    content: text('content').notNull(),
  },
  (t) => [index('releases_survey_idx').on(t.surveyId, t.id)],
);

/** A lease that keeps two aggregation runs (server and CLI) from running at once. */
export const jobLocks = sqliteTable('job_locks', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** The Working Group's theme catalogue for a survey (§8): labels in three languages, keywords per language. */
export const themes = sqliteTable(
  'themes',
  {
    id: integer('id').primaryKey(),
    surveyId: integer('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    /** JSON { en, es, fr }. */
    label: text('label').notNull(),
    /** JSON { en: [], es: [], fr: [] }. */
    keywords: text('keywords').notNull().default('{"en":[],"es":[],"fr":[]}'),
    /** JSON [question ids] the theme concerns, or NULL: none chosen (the brief matches keywords). */
    questions: text('questions'),
  },
  (t) => [index('themes_survey_idx').on(t.surveyId)],
);

/** Themes the Working Group confirmed on a comment. */
export const commentThemes = sqliteTable(
  'comment_themes',
  {
    surveyId: integer('survey_id').notNull(),
    commentId: text('comment_id').notNull(),
    themeId: integer('theme_id').notNull().references(() => themes.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.commentId, t.themeId] })],
);

/** Published reviews (§8): what staff, the brief and the results page read. Latest wins. */
export const reviews = sqliteTable(
  'reviews',
  {
    id: integer('id').primaryKey(),
    surveyId: integer('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    publishedOn: text('published_on').notNull(),
    content: text('content').notNull(),
  },
  (t) => [index('reviews_survey_idx').on(t.surveyId, t.id)],
);

/**
 * Invitation codes (§5): only a hash of each code, and whether it is spent. Keyed by the hash, so
 * neither the order codes were made in nor the order they were spent in is kept; nothing links a
 * spent code to the response it let in.
 */
export const invites = sqliteTable(
  'invites',
  {
    surveyId: integer('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    spent: integer('spent', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.codeHash] })],
);

/**
 * Sign-in sessions of staff and the Working Group (never partners): a random id in a signed
 * cookie, so that signing out ends the session on the server, not only in the browser.
 */
export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  tokenId: integer('token_id').notNull().references(() => tokens.id, { onDelete: 'cascade' }),
  /** Unix seconds. */
  expiresAt: integer('expires_at').notNull(),
});

/**
 * How many transactions stored responses since the release job last rewrote the file (VACUUM):
 * one row, no times, nothing per response. The job rewrites only when it is above 0.
 */
export const fileRewrite = sqliteTable(
  'file_rewrite',
  {
    id: integer('id').primaryKey(),
    writesSince: integer('writes_since').notNull().default(0),
  },
  (t) => [check('file_rewrite_one_row', sql`${t.id} = 1`)],
);

/**
 * What the funder will do about what it heard (§13): one row per commitment, answering a theme of
 * the published review (or the review as a whole: theme_id null). Texts are JSON { en, es, fr }.
 */
export const commitments = sqliteTable(
  'commitments',
  {
    id: integer('id').primaryKey(),
    surveyId: integer('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    themeId: integer('theme_id').references(() => themes.id, { onDelete: 'set null' }),
    heard: text('heard').notNull(),
    action: text('action').notNull(),
    /** planned, in_progress, done or not_doing. */
    status: text('status').notNull(),
    /** JSON { en, es, fr }: why not, for not_doing. */
    reason: text('reason'),
    /** A month, "2027-06". */
    due: text('due'),
    /** JSON { en, es, fr }: the Working Group's note beside staff's text. */
    wgNote: text('wg_note'),
  },
  (t) => [index('commitments_survey_idx').on(t.surveyId)],
);

/** Every change to a commitment: its date (a day), the role that made it, and what it changed. */
export const commitmentHistory = sqliteTable(
  'commitment_history',
  {
    id: integer('id').primaryKey(),
    commitmentId: integer('commitment_id').notNull().references(() => commitments.id, { onDelete: 'cascade' }),
    /** "2027-03-02". */
    date: text('date').notNull(),
    /** staff or wg: never who. */
    by: text('by').notNull(),
    /** JSON list of the fields changed. */
    changes: text('changes').notNull(),
  },
  (t) => [index('commitment_history_idx').on(t.commitmentId, t.id)],
);
