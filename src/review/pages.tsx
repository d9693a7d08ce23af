/** The Working Group's pages (§8): its surveys, the review queue, themes, publishing, the meeting brief. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CandorError } from '../errors.js';
import type { SurveyRecord } from '../surveys/repository.js';
import { form, refusals } from '../validation.js';
import { inPlace } from '../web/errors.js';
import { refusalNotice } from '../web/plugin.js';
import { figuresFor } from './figures.js';
import { CommentPatchBody, ThemeBody } from './routes.js';
import { BriefPage, filterParams, type Frame, matches, QueuePage, type QueueFilter, WgHome } from './views.js';

const MAX_TEXT = 10_000;
const translation = form.one(z.string().max(MAX_TEXT)).optional();

/** A comment's form, read into the API's patch: the same rules and limits as `PATCH /api/comments/:id`. */
const CommentForm = z
  .object({
    status: form.one(z.enum(['pending', 'published', 'hidden'])).optional(),
    // Left blank, the text is kept as it is.
    text: form.optionalText(z.string().max(MAX_TEXT)),
    themes: form.list(form.integer(z.number().int())),
    translation_en: translation,
    translation_es: translation,
    translation_fr: translation,
    shareWithPartners: form.checkbox('yes'),
  })
  .transform(({ status, text, themes, translation_en: en, translation_es: es, translation_fr: fr, shareWithPartners }): z.input<typeof CommentPatchBody> => ({
    ...(status ? { status } : {}),
    ...(text !== undefined ? { text } : {}),
    themes,
    // A field sent empty removes that translation; a field not sent leaves it.
    translations: Object.fromEntries(Object.entries({ en, es, fr }).filter(([, v]) => v !== undefined)),
    shareWithPartners,
  }))
  .pipe(CommentPatchBody);

/** The queue's bulk form: an action, and the comments ticked or every comment shown. */
const BulkForm = z.object({
  action: form.one(z.enum(['published', 'hidden', 'pending', 'accept_suggested'])),
  scope: form.one(z.enum(['selected', 'shown'])).default('selected'),
  ids: form.list(z.string().max(64)).pipe(z.array(z.string()).max(10_000)),
});

/** Keywords typed as a list: separated by commas, semicolons or lines. */
const keywordList = (v: string | undefined) => (v ?? '').split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
const field = form.one(z.string().max(MAX_TEXT)).optional();

/** A theme's form, read into the API's theme: a name in each language, keywords as lists. */
const ThemeForm = z
  .object({
    label_en: field,
    label_es: field,
    label_fr: field,
    keywords_en: field,
    keywords_es: field,
    keywords_fr: field,
    questions: form.list(z.string().max(100)),
  })
  .transform((f): z.input<typeof ThemeBody> => ({
    label: { en: f.label_en ?? '', es: f.label_es ?? '', fr: f.label_fr ?? '' },
    keywords: { en: keywordList(f.keywords_en), es: keywordList(f.keywords_es), fr: keywordList(f.keywords_fr) },
    // None ticked: the questions the keywords match.
    questions: f.questions,
  }))
  .pipe(ThemeBody);
refusals.add(ThemeForm, { code: 'theme_needs_labels' });

export default async function reviewPages(app: FastifyInstance) {
  const review = app.review;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const wgPage = app.requirePageRole('wg');
  // Who is asking is checked on request (before any body is read); the CSRF token with the body.
  const wgPost = { onRequest: wgPage, preValidation: app.csrfProtection };
  const SlugParams = z.object({ slug: z.string().max(100) });
  const Query = z.object({ lang: z.string().optional(), done: z.string().max(20).optional() }).passthrough();
  // The queue's view: a filter from a stale link or a deleted theme shows everything rather than failing.
  const QueueQuery = Query.extend({
    status: z.enum(['pending', 'published', 'hidden']).optional().catch(undefined),
    theme: z
      .union([z.enum(['none', 'suggested']), z.coerce.number().int().positive()])
      .optional()
      .catch(undefined),
    saved: z.string().max(64).optional().catch(undefined),
    n: z.coerce.number().int().min(0).optional().catch(undefined),
  });
  type QueueQuery = z.infer<typeof QueueQuery>;
  const filterOf = (q: QueueQuery): QueueFilter => ({ status: q.status, theme: q.theme });
  // §5: the number of codes issued is shown to the Working Group, to compare with the number of partners.
  const issued = (survey: SurveyRecord) => app.results.codesIssued(survey);

  const frame = (request: FastifyRequest, reply: FastifyReply): Frame => ({
    ctx: request.pageContext(),
    principal: request.principal!,
    csrfToken: reply.generateCsrf(),
  });

  const queuePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: { notice?: string; error?: string; problems?: { message: string }[]; saved?: string | undefined },
  ) => {
    const { survey, items, themes } = review.queue(slug);
    // Every form of the page carries the view in its address, so a refusal shows the same view.
    const filter = filterOf(QueueQuery.parse(request.query ?? {}));
    const themeQuestions = new Map(themes.map((th) => [th.id, review.themeQuestions(slug, th)]));
    return reply.html(
      <QueuePage
        frame={frame(request, reply)}
        slug={slug}
        def={survey.definition}
        issued={issued(survey)}
        items={items}
        themes={themes}
        filter={filter}
        themeQuestions={themeQuestions}
        {...extra}
      />,
    );
  };

  /** Every form of the queue: a refusal the Working Group can act on is shown on the queue, with its status. */
  const onQueue = {
    ...wgPost,
    errorHandler: inPlace((request: FastifyRequest, reply: FastifyReply, refusal: CandorError) => {
      // The paths of the API's body ("$.text") mean nothing on this page: the messages are shown alone.
      const { error, problems } = refusalNotice(refusal, request.t);
      return queuePage(request, reply, (request.params as { slug: string }).slug, { error, problems: problems.map(({ message }) => ({ message })) });
    }),
  };
  /** Back to the queue, in the same view; after a comment is saved, at that comment. */
  const done = (request: FastifyRequest, reply: FastifyReply, slug: string, what: string, more: Record<string, string> = {}) => {
    const view = filterParams(filterOf(QueueQuery.parse(request.query ?? {})));
    const params = new URLSearchParams({ lang: request.locale, ...view, done: what, ...more });
    return reply.code(303).header('location', `/wg/${slug}/review?${params.toString()}`).send();
  };

  r.get('/wg', { onRequest: wgPage, schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const surveys = app.surveys
      .list()
      .filter((s) => s.status === 'closed')
      .map((s) => ({ ...s, reviewOpen: review.reviewOpen(s.slug), issued: issued(app.surveys.get(s.slug)) }));
    const drafts = app.surveys.list().filter((s) => s.status === 'draft').map((s) => ({ slug: s.slug, title: s.title }));
    return reply.html(<WgHome frame={frame(request, reply)} surveys={surveys} drafts={drafts} />);
  });

  r.get('/wg/:slug/review', { onRequest: wgPage, schema: { hide: true, params: SlugParams, querystring: QueueQuery } }, async (request, reply) => {
    const { done, saved, n } = request.query;
    const notice =
      done === 'bulk' && n !== undefined
        ? request.t('review:bulk_done', { count: n })
        : done && ['saved', 'theme', 'published'].includes(done)
          ? request.t(`review:done.${done}`)
          : undefined;
    return queuePage(request, reply, request.params.slug, { ...(notice ? { notice } : {}), ...(done === 'saved' ? { saved } : {}) });
  });

  r.post('/wg/:slug/comments', { ...onQueue, schema: { hide: true, params: SlugParams, querystring: QueueQuery, body: BulkForm } }, async (request, reply) => {
    const { slug } = request.params;
    const { action, scope, ids } = request.body;
    const filter = filterOf(request.query);
    // "Every comment shown": the comments the page showed with this filter, read again now.
    const chosen = scope === 'shown' ? review.queue(slug).items.filter((i) => matches(i, filter)).map((i) => i.id) : ids;
    const changed = review.bulkUpdate(slug, chosen, action);
    return done(request, reply, slug, 'bulk', { n: String(changed) });
  });

  r.post(
    '/wg/:slug/comments/:id',
    { ...onQueue, schema: { hide: true, params: z.object({ slug: z.string().max(100), id: z.string().max(64) }), querystring: QueueQuery, body: CommentForm } },
    async (request, reply) => {
      review.updateComment(request.params.id, request.body, request.params.slug);
      return done(request, reply, request.params.slug, 'saved', { saved: request.params.id });
    },
  );

  r.post('/wg/:slug/themes', { ...onQueue, schema: { hide: true, params: SlugParams, querystring: Query, body: ThemeForm } }, async (request, reply) => {
    review.createTheme(request.params.slug, request.body);
    return done(request, reply, request.params.slug, 'theme');
  });

  r.post(
    '/wg/:slug/themes/:id',
    { ...onQueue, schema: { hide: true, params: z.object({ slug: z.string().max(100), id: z.coerce.number().int() }), querystring: Query, body: ThemeForm } },
    async (request, reply) => {
      review.updateTheme(request.params.id, request.body, request.params.slug);
      return done(request, reply, request.params.slug, 'theme');
    },
  );

  r.post('/wg/:slug/publish', { ...onQueue, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    await review.publish(request.params.slug);
    return done(request, reply, request.params.slug, 'published');
  });

  r.get('/wg/:slug/brief', { onRequest: app.requirePageRole('wg', 'staff'), schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const { survey, review: published } = review.published(request.params.slug);
    const commitments = published ? (app.commitments.answered(survey.slug)?.commitments ?? []) : [];
    // The final release the review was published after; its figures for all respondents only.
    const release = app.results.hasFinal(survey.id) ? app.results.latest(survey.slug).release.content : undefined;
    const catalogue = new Map(review.themes(survey.slug).map((th) => [th.id, th]));
    const figures = (themeId: number) => {
      if (!release || !published) return [];
      const snapshot = published.themes.find((th) => th.id === themeId);
      const current = catalogue.get(themeId);
      // Reviews published before themes named their questions: the catalogue's choice now.
      const questions = snapshot?.questions ?? (current ? review.themeQuestions(survey.slug, current) : []);
      return figuresFor(survey.definition, release, questions);
    };
    return reply.html(
      <BriefPage frame={frame(request, reply)} def={survey.definition} issued={issued(survey)} review={published} commitments={commitments} figures={figures} />,
    );
  });
}
