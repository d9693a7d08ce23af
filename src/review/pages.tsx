/** The Working Group's pages (§8): its surveys, the review queue, themes, publishing, the meeting brief. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import { LOCALES, type Locale } from '../i18n/index.js';
import type { SurveyRecord } from '../surveys/repository.js';
import { toCandorError } from '../web/plugin.js';
import { BriefPage, type Frame, QueuePage, WgHome } from './views.js';
import { shownInPlace, statusOf } from '../web/errors.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const keywordList = (v: string | string[] | undefined) => (one(v) ?? '').split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);

export default async function reviewPages(app: FastifyInstance) {
  const review = app.review;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const wgPage = app.requirePageRole('wg');
  // Who is asking is checked on request (before any body is read); the CSRF token with the body.
  const wgPost = { onRequest: wgPage, preHandler: app.csrfProtection };
  const SlugParams = z.object({ slug: z.string().max(100) });
  const Query = z.object({ lang: z.string().optional(), done: z.string().max(20).optional() }).passthrough();
  // §5: the number of codes issued is shown to the Working Group, to compare with the number of partners.
  const issued = (survey: SurveyRecord) => app.results.codesIssued(survey);

  const frame = (request: FastifyRequest, reply: FastifyReply): Frame => ({
    ctx: request.pageContext(),
    principal: request.principal!,
    csrfToken: reply.generateCsrf(),
  });

  const queuePage = (request: FastifyRequest, reply: FastifyReply, slug: string, extra: { notice?: string; error?: string; status?: number }) => {
    const { survey, items, themes } = review.queue(slug);
    return reply
      .code(extra.status ?? 200)
      .html(
        <QueuePage frame={frame(request, reply)} slug={slug} def={survey.definition} issued={issued(survey)} items={items} themes={themes} notice={extra.notice} error={extra.error} />,
      );
  };

  /** Runs a form action; on a 4xx, shows the queue again with the translated reason. */
  const act = async (request: FastifyRequest, reply: FastifyReply, slug: string, action: () => unknown, done: string) => {
    try {
      await action();
    } catch (err) {
      const error = toCandorError(err as Error);
      if (!shownInPlace(error)) throw error;
      return queuePage(request, reply, slug, { status: statusOf(error), error: request.t(`errors:${error.code}`, { ...error.params }) });
    }
    return reply.code(303).header('location', `/wg/${slug}/review?lang=${request.locale}&done=${done}`).send();
  };

  r.get('/wg', { onRequest: wgPage, schema: { hide: true, querystring: Query } }, async (request, reply) => {
    const surveys = app.surveys
      .list()
      .filter((s) => s.status === 'closed')
      .map((s) => ({ ...s, reviewOpen: review.reviewOpen(s.slug), issued: issued(app.surveys.get(s.slug)) }));
    return reply.html(<WgHome frame={frame(request, reply)} surveys={surveys} />);
  });

  r.get('/wg/:slug/review', { onRequest: wgPage, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const done = request.query.done;
    const notice = done && ['saved', 'theme', 'published'].includes(done) ? request.t(`review:done.${done}`) : undefined;
    return queuePage(request, reply, request.params.slug, notice ? { notice } : {});
  });

  r.post(
    '/wg/:slug/comments/:id',
    { ...wgPost, schema: { hide: true, params: z.object({ slug: z.string().max(100), id: z.string().max(64) }), querystring: Query } },
    async (request, reply) => {
      const body = (request.body ?? {}) as FormBody;
      const status = one(body.status);
      if (status !== undefined && status !== 'pending' && status !== 'published' && status !== 'hidden') throw new CandorError('malformed_body');
      const text = one(body.text);
      const translations: Partial<Record<Locale, string>> = {};
      for (const l of LOCALES) {
        const v = one(body[`translation_${l}`]);
        if (v !== undefined) translations[l] = v;
      }
      return act(
        request,
        reply,
        request.params.slug,
        () =>
          review.updateComment(request.params.id, {
            ...(status ? { status } : {}),
            ...(text !== undefined && text.trim() !== '' ? { text } : {}),
            themes: many(body.themes).map(Number).filter(Number.isInteger),
            translations,
            shareWithPartners: one(body.shareWithPartners) === 'yes',
          }, request.params.slug),
        'saved',
      );
    },
  );

  const themeInput = (body: FormBody) => {
    const label = { en: one(body.label_en)?.trim() ?? '', es: one(body.label_es)?.trim() ?? '', fr: one(body.label_fr)?.trim() ?? '' };
    if (!label.en || !label.es || !label.fr) {
      throw new CandorError('theme_needs_labels');
    }
    return { label, keywords: { en: keywordList(body.keywords_en), es: keywordList(body.keywords_es), fr: keywordList(body.keywords_fr) } };
  };

  r.post('/wg/:slug/themes', { ...wgPost, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) =>
    act(request, reply, request.params.slug, () => review.createTheme(request.params.slug, themeInput((request.body ?? {}) as FormBody)), 'theme'),
  );

  r.post(
    '/wg/:slug/themes/:id',
    { ...wgPost, schema: { hide: true, params: z.object({ slug: z.string().max(100), id: z.coerce.number().int() }), querystring: Query } },
    async (request, reply) =>
      act(request, reply, request.params.slug, () => review.updateTheme(request.params.id, themeInput((request.body ?? {}) as FormBody), request.params.slug), 'theme'),
  );

  r.post('/wg/:slug/publish', { ...wgPost, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) =>
    act(request, reply, request.params.slug, () => review.publish(request.params.slug), 'published'),
  );

  r.get('/wg/:slug/brief', { onRequest: app.requirePageRole('wg', 'staff'), schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => {
    const { survey, review: published } = review.published(request.params.slug);
    return reply.html(<BriefPage frame={frame(request, reply)} def={survey.definition} issued={issued(survey)} review={published} />);
  });
}
