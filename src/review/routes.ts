/** The Working Group's API (§8): review queue, comment edits, themes, publishing, the published review. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import { LocalizedText } from '../surveys/definition.js';
import { ErrorBody } from '../web/schemas.js';

const SlugParams = z.object({ slug: z.string().max(100) });
const Translations = z.strictObject({ en: z.string().max(10_000).optional(), es: z.string().max(10_000).optional(), fr: z.string().max(10_000).optional() });
const Keywords = z.strictObject({
  en: z.array(z.string().max(100)).max(50).optional(),
  es: z.array(z.string().max(100)).max(50).optional(),
  fr: z.array(z.string().max(100)).max(50).optional(),
});

const QueueItemReply = z
  .strictObject({
    id: z.string(),
    questionId: z.string(),
    text: z.string(),
    status: z.enum(['pending', 'published', 'hidden']),
    themes: z.array(z.number().int()),
    suggestedThemes: z.array(z.number().int()).describe('Suggested from keywords on word stems; not confirmed.'),
    translations: z.record(z.string(), z.string()),
    shareWithPartners: z.boolean(),
  })
  .meta({ id: 'ReviewComment' });

export const CommentPatchBody = z
  .strictObject({
    status: z.enum(['pending', 'published', 'hidden']).optional(),
    text: z.string().min(1).max(10_000).optional().describe('A redaction: replaces the stored text (scrubbed again).'),
    themes: z.array(z.number().int()).max(100).optional().describe('Confirmed theme ids; replaces the list.'),
    translations: Translations.optional().describe('Merged into the existing translations; an empty string removes one.'),
    shareWithPartners: z.boolean().optional(),
  })
  .meta({ id: 'CommentPatch' });

export const ThemeBody = z.strictObject({
  label: LocalizedText,
  keywords: Keywords.optional(),
  questions: z
    .array(z.string().max(100))
    .max(200)
    .optional()
    .describe('Ids of the questions (not free-text ones) whose released figures the meeting brief shows beside the theme; empty: those its keywords match.'),
});
const ThemeReply = z
  .object({
    id: z.number().int(),
    label: LocalizedText,
    keywords: z.object({ en: z.array(z.string()), es: z.array(z.string()), fr: z.array(z.string()) }),
    questions: z.array(z.string()).nullable().describe('null: none chosen; the brief shows the questions whose wording the keywords match.'),
  })
  .meta({ id: 'Theme' });

const ReviewReply = z
  .object({
    survey: z.string(),
    publishedAt: z.string(),
    themes: z.array(
      z.object({
        id: z.number().int(),
        label: LocalizedText,
        count: z.number().int().describe('Published comments with this theme: overall only.'),
        questions: z.array(z.string()).optional().describe('The questions whose overall released figures the brief shows beside the theme.'),
      }),
    ),
    comments: z.array(
      z.object({ questionId: z.string().nullable().describe('null: "other comments", too few published under their question to name it (§8).'), text: z.string(), translations: z.record(z.string(), z.string()), themes: z.array(z.number().int()), shareWithPartners: z.boolean() }),
    ),
  })
  .meta({ id: 'PublishedReview' });

export default async function reviewRoutes(app: FastifyInstance) {
  const review = app.review;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const wg = app.requireRole('wg');
  const security = [{ bearer: [] }];
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  r.get(
    '/api/surveys/:slug/comments',
    {
      onRequest: wg,
      schema: {
        summary: 'The review queue (Working Group)',
        description: 'Once the survey is closed, released and has at least minComments comments: every comment, detached from grouping answers, in an order unrelated to arrival.',
        tags: ['review'],
        security,
        params: SlugParams,
        response: { 200: z.array(QueueItemReply), ...errors },
      },
    },
    async (request) => review.queue(request.params.slug).items,
  );

  r.patch(
    '/api/comments/:id',
    {
      onRequest: wg,
      schema: {
        summary: 'Publish, hide, redact, tag or translate a comment (Working Group)',
        tags: ['review'],
        security,
        params: z.object({ id: z.string().max(64) }),
        body: CommentPatchBody,
        response: { 200: QueueItemReply, ...errors },
      },
    },
    async (request) => review.updateComment(request.params.id, request.body),
  );

  r.get(
    '/api/surveys/:slug/themes',
    { onRequest: wg, schema: { summary: 'Theme catalogue (Working Group)', tags: ['review'], security, params: SlugParams, response: { 200: z.array(ThemeReply), ...errors } } },
    async (request) => review.themes(request.params.slug),
  );

  r.post(
    '/api/surveys/:slug/themes',
    { onRequest: wg, schema: { summary: 'Add a theme (Working Group)', tags: ['review'], security, params: SlugParams, body: ThemeBody, response: { 201: ThemeReply, ...errors } } },
    async (request, reply) => reply.code(201).send(review.createTheme(request.params.slug, request.body)),
  );

  r.patch(
    '/api/themes/:id',
    {
      onRequest: wg,
      schema: {
        summary: 'Rename a theme or change its keywords (Working Group)',
        tags: ['review'],
        security,
        params: z.object({ id: z.coerce.number().int() }),
        body: ThemeBody.partial(),
        response: { 200: ThemeReply, ...errors },
      },
    },
    async (request) => review.updateTheme(request.params.id, request.body),
  );

  r.post(
    '/api/surveys/:slug/review/publish',
    {
      onRequest: wg,
      schema: { summary: 'Publish the review (Working Group)', tags: ['review'], security, params: SlugParams, response: { 200: ReviewReply, ...errors } },
    },
    async (request) => review.publish(request.params.slug),
  );

  r.get(
    '/api/surveys/:slug/review',
    {
      onRequest: app.requireRole('staff', 'wg'),
      schema: { summary: 'The published review (staff, Working Group)', tags: ['review'], security, params: SlugParams, response: { 200: ReviewReply, ...errors } },
    },
    async (request) => {
      const { review: published } = review.published(request.params.slug);
      if (!published) throw new CandorError('no_review_yet');
      return published;
    },
  );
}
