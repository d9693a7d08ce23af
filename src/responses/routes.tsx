/**
 * Where partners answer: the JSON API and the HTML form (§4). Both are rate-limited, write no
 * access log line (their timing would date a response), and store nothing unless all is valid.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CandorError } from '../errors.js';
import { isLocale, LOCALES } from '../i18n/index.js';
import type { SurveyRecord } from '../surveys/repository.js';
import { acceptsResponses } from '../surveys/service.js';
import { ErrorBody } from '../web/schemas.js';
import { translateProblems } from '../web/plugin.js';
import { ClosedPage, HomePage, SurveyFormPage, ThanksPage, type FieldError, type FormValues } from './form.js';
import { inPlace } from '../web/errors.js';

export const SubmitResponseBody = z
  .strictObject({
    locale: z.enum(LOCALES).optional().describe('The language the partner answered in: used for error messages, never stored.'),
    answers: z.record(z.string(), z.unknown()).describe('One entry per question id; omit a question (or send null) to skip it.'),
    inviteCode: z.string().max(200).optional().describe('Required for invite-only surveys; spent when the response is stored.'),
  })
  .meta({ id: 'SubmitResponseBody' });

/**
 * The HTML form's fields, read into the API's body: every field but the invitation code is an
 * answer, as text (or a list, for ticked boxes); the survey's own rules then read them
 * (validate.ts, with form coercion: "4" is a rating of 4 there).
 */
const FormSubmission = z
  .preprocess((body) => body ?? {}, z.record(z.string().max(100), z.union([z.string(), z.array(z.string())])))
  .transform(({ inviteCode, ...answers }): z.input<typeof SubmitResponseBody> => ({
    answers,
    ...(inviteCode !== undefined ? { inviteCode: Array.isArray(inviteCode) ? inviteCode[0] ?? '' : inviteCode } : {}),
  }))
  .pipe(SubmitResponseBody);

const SlugParams = z.object({ slug: z.string().max(100) });
const LangQuery = z.object({ lang: z.string().optional() }).passthrough();

export interface SubmitRoutesOptions {
  /** Largest accepted body, in bytes. */
  bodyLimit: number;
}

export default async function responseRoutes(app: FastifyInstance, opts: SubmitRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { invites } = app;
  /** The form says how many codes were issued (§5): a live count, since the survey is open. */
  const issuedFor = (survey: SurveyRecord) => (survey.definition.access === 'invite' ? invites.counts(survey.id).issued : undefined);
  const submitting = {
    logLevel: 'silent' as const,
    bodyLimit: opts.bodyLimit,
    config: { submitting: true },
    onRequest: app.submissionLimit,
  };

  /**
   * The survey a submission is for, found before its body is judged: an unknown or closed survey
   * is a 404 whatever was sent, and errors are written in the language the partner answered in
   * when the body says it.
   */
  const surveyOf = new WeakMap<FastifyRequest, SurveyRecord>();
  /** The form's fields as sent, to show them again beside a refusal. */
  const sentOf = new WeakMap<FastifyRequest, FormValues>();
  const findSurvey = async (request: FastifyRequest) => {
    const bodyLocale = (request.body as { locale?: unknown } | undefined)?.locale;
    if (isLocale(bodyLocale)) {
      request.locale = bodyLocale;
      request.t = app.translator(bodyLocale);
    }
    surveyOf.set(request, app.responses.openSurvey((request.params as { slug: string }).slug));
    if (typeof request.body === 'object' && request.body !== null) sentOf.set(request, request.body as FormValues);
  };

  r.post(
    '/api/surveys/:slug/responses',
    {
      ...submitting,
      preValidation: findSurvey,
      schema: {
        summary: 'Submit a response',
        description: 'Stores an anonymous response. Answers nothing that could later identify it: no id, no time.',
        tags: ['answering'],
        params: SlugParams,
        body: SubmitResponseBody,
        response: { 201: z.strictObject({}), 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      await app.responses.submit(surveyOf.get(request)!, { answers: request.body.answers, inviteCode: request.body.inviteCode }, 'json');
      // Always the same empty object (no id: nothing a partner could use to prove which response
      // was theirs), sent as text to skip the serializer.
      return reply.code(201).type('application/json; charset=utf-8').send('{}' as unknown as Record<string, never>);
    },
  );

  r.get('/', { schema: { hide: true, querystring: LangQuery } }, async (request, reply) => {
    const surveys = app.surveys.listOpen().map((s) => s.definition);
    const results = app.surveys.listPublic().filter((s) => app.results.hasRelease(s.id)).map((s) => s.definition);
    return reply.html(<HomePage ctx={request.pageContext()} surveys={surveys} results={results} />);
  });

  /**
   * A survey's form address once it has stopped taking answers — closed, or past its closesAt —
   * says so (200) and leads to its results (§12); a draft, or no survey, stays a 404.
   */
  const closedPage = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    const survey = app.surveys.find((request.params as { slug: string }).slug);
    if (!survey || survey.status === 'draft' || acceptsResponses(survey)) return undefined;
    return reply.html(<ClosedPage ctx={request.pageContext()} survey={survey.definition} released={app.results.hasRelease(survey.id)} />);
  };

  const FormQuery = z.object({ lang: z.string().optional(), code: z.string().max(200).optional() }).passthrough();

  r.get('/s/:slug', { schema: { hide: true, params: SlugParams, querystring: FormQuery } }, async (request, reply) => {
    const closed = closedPage(request, reply);
    if (closed) return closed;
    const survey = app.responses.openSurvey(request.params.slug);
    // An invitation link may carry the code (?code=…); it fills the field and survives a change of language.
    const code = survey.definition.access === 'invite' ? request.query.code : undefined;
    const ctx = request.pageContext(code ? { code } : undefined);
    return reply.html(<SurveyFormPage ctx={ctx} survey={survey.definition} issued={issuedFor(survey)} values={code ? { inviteCode: code } : {}} since={app.commitments.sinceLastRound(survey)} />);
  });

  /**
   * "Answer in another language" (issue 13, item 2): a button of the form sends everything typed
   * with `_lang`; the same form comes back in that language with every answer in place. Nothing is
   * stored, nothing is judged, and no code is spent: without a script, this keeps what was typed.
   */
  const switchLanguage = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    const wanted = (request.body as { _lang?: unknown } | undefined)?._lang;
    const lang = Array.isArray(wanted) ? wanted[0] : wanted;
    if (!isLocale(lang)) return undefined;
    request.locale = lang;
    request.t = app.translator(lang);
    const survey = surveyOf.get(request)!;
    const { _lang: _dropped, ...values } = sentOf.get(request) ?? {};
    return reply.html(<SurveyFormPage ctx={request.pageContext()} survey={survey.definition} issued={issuedFor(survey)} values={values} since={app.commitments.sinceLastRound(survey)} switched />);
  };

  r.post(
    '/s/:slug',
    {
      ...submitting,
      // A form sent after the close is answered with the closed page, and nothing is stored.
      preValidation: async (request, reply) => closedPage(request, reply) ?? (await findSurvey(request)) ?? switchLanguage(request, reply),
      schema: { hide: true, params: SlugParams, querystring: LangQuery, body: FormSubmission },
      // A refusal is shown on the form, with what was typed: problems beside the questions they
      // name, any other (about the invitation) beside the code.
      errorHandler: inPlace((request, reply, refusal) => {
        const survey = surveyOf.get(request) ?? app.responses.openSurvey((request.params as { slug: string }).slug);
        const sent = sentOf.get(request) ?? {};
        const fieldOf = (p: { path: string; questionId?: string | undefined }) => p.questionId ?? (p.path.startsWith('$.inviteCode') ? 'inviteCode' : 'answers');
        const errors: FieldError[] =
          refusal.problems.length > 0
            ? translateProblems(refusal.problems, request.t).map((p) => ({ field: fieldOf(p), message: p.message }))
            : [{ field: 'inviteCode', message: request.t(`errors:${refusal.code}`, { ...refusal.params }) }];
        return reply.html(<SurveyFormPage ctx={request.pageContext()} survey={survey.definition} issued={issuedFor(survey)} values={sent} errors={errors} since={app.commitments.sinceLastRound(survey)} />);
      }),
    },
    async (request, reply) => {
      const survey = surveyOf.get(request)!;
      // Only the survey's questions are answers; any other field (a button's name) is not.
      const answers = Object.fromEntries(survey.definition.questions.filter((q) => request.body.answers[q.id] !== undefined).map((q) => [q.id, request.body.answers[q.id]]));
      await app.responses.submit(survey, { answers, inviteCode: request.body.inviteCode }, 'form');
      return reply.code(303).header('location', `/s/${encodeURIComponent(survey.slug)}/thanks?lang=${request.locale}`).send();
    },
  );

  // Browsers land here right after a submission: a log line would date it (and name its language).
  r.get('/s/:slug/thanks', { logLevel: 'silent', schema: { hide: true, params: SlugParams, querystring: LangQuery } }, async (request, reply) => {
    const survey = app.surveys.get(request.params.slug);
    if (survey.status === 'draft') throw new CandorError('survey_not_open');
    return reply.html(<ThanksPage ctx={request.pageContext()} survey={survey.definition} />);
  });
}
