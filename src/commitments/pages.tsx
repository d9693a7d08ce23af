/**
 * The commitments' pages (§13). Staff write and change commitments once the Working Group has
 * published its review; the Working Group writes only its note. Each form is read into the API's
 * own body (CreateBody, PatchBody), so the page and the API hold a commitment to the same rules, and
 * a refused form is shown again as it was typed, each message beside its field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CandorError, notFound } from '../errors.js';
import type { LocalizedText } from '../surveys/definition.js';
import { form } from '../validation.js';
import { inPlace } from '../web/errors.js';
import { refusalNotice } from '../web/plugin.js';
import { CreateBody, PatchBody } from './routes.js';
import { EditCommitmentPage, emptyForm, fieldErrors, formOf, type FormState, type Frame, StaffCommitmentsPage, WgCommitmentsPage } from './views.js';

const MAX_TEXT = 10_000;
const text = form.one(z.string().max(MAX_TEXT)).optional().transform((v) => (v ?? '').trim());
const short = form.one(z.string().max(20)).optional().transform((v) => (v ?? '').trim());
type Fields = Record<string, string>;
const texts = (f: Fields, name: string): LocalizedText => ({ en: f[`${name}_en`] ?? '', es: f[`${name}_es`] ?? '', fr: f[`${name}_fr`] ?? '' });
const filled = (x: LocalizedText) => x.en !== '' || x.es !== '' || x.fr !== '';
const triple = (name: string) => ({ [`${name}_en`]: text, [`${name}_es`]: text, [`${name}_fr`]: text });

const StaffFields = z.object({ ...triple('heard'), ...triple('action'), ...triple('reason'), status: short, due: short });

/** The add form, read into `POST /api/surveys/:slug/commitments`'s body. A reason left blank is none. */
const CreateForm = StaffFields.extend({ themeId: short })
  .transform((f): z.input<typeof CreateBody> => {
    const reason = texts(f, 'reason');
    return {
      themeId: f.themeId === '' ? null : /^\d{1,12}$/.test(f.themeId) ? Number(f.themeId) : Number.NaN,
      heard: texts(f, 'heard'),
      action: texts(f, 'action'),
      status: (f.status || 'planned') as z.input<typeof CreateBody>['status'],
      ...(filled(reason) ? { reason } : {}),
      ...(f.due ? { due: f.due } : {}),
    };
  })
  .pipe(CreateBody);

/** The edit form, read into `PATCH /api/commitments/:id`'s body: a field left blank clears it. */
const EditForm = StaffFields.transform((f): z.input<typeof PatchBody> => {
  const reason = texts(f, 'reason');
  return {
    heard: texts(f, 'heard'),
    action: texts(f, 'action'),
    status: f.status as z.input<typeof PatchBody>['status'],
    reason: filled(reason) ? reason : null,
    due: f.due || null,
  };
}).pipe(PatchBody);

/** The Working Group's note: all three languages, or none to remove it. */
const NoteForm = z
  .object(triple('wgNote'))
  .transform((f): z.input<typeof PatchBody> => {
    const note = texts(f, 'wgNote');
    return { wgNote: filled(note) ? note : null };
  })
  .pipe(PatchBody);

/** A form's fields as sent, first value of each, to show them again. */
function sentValues(body: unknown): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string' && k !== '_csrf') out[k] = first;
  }
  return out;
}

export default async function commitmentPages(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const staffPage = app.requirePageRole('staff');
  const wgPage = app.requirePageRole('wg');
  const SlugParams = z.object({ slug: z.string().max(100) });
  const IdParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
  const Query = z.object({ lang: z.string().optional(), done: z.string().max(20).optional() }).passthrough();
  /** What each form sent, kept before it is judged, to show it again beside a refusal. */
  const sent = new WeakMap<FastifyRequest, Fields>();
  const keep = async (request: FastifyRequest) => {
    sent.set(request, sentValues(request.body));
  };

  const frame = (request: FastifyRequest, reply: FastifyReply, path?: string): Frame => ({
    ctx: path ? { ...request.pageContext(), path } : request.pageContext(),
    principal: request.principal!,
    csrfToken: reply.generateCsrf(),
  });
  const done = (request: FastifyRequest) => {
    const d = request.query as { done?: string };
    return d.done && ['created', 'saved', 'note'].includes(d.done) ? request.t(`commitments:done.${d.done}`) : undefined;
  };
  const refusedForm = (request: FastifyRequest, refusal: CandorError): { state: FormState; error: string } => {
    const { error, problems } = refusalNotice(refusal, request.t);
    return { state: { values: sent.get(request) ?? {}, errors: fieldErrors(problems) }, error };
  };

  // --- Staff ------------------------------------------------------------------------------------

  const staffList = (request: FastifyRequest, reply: FastifyReply, slug: string, extra: { form?: FormState; error?: string } = {}) => {
    const survey = app.surveys.get(slug);
    return reply.html(
      <StaffCommitmentsPage
        frame={frame(request, reply, `/staff/surveys/${slug}/commitments`)}
        def={survey.definition}
        answered={app.commitments.answered(slug)}
        form={extra.form ?? emptyForm()}
        notice={extra.error ? undefined : done(request)}
        error={extra.error}
      />,
    );
  };

  r.get('/staff/surveys/:slug/commitments', { onRequest: staffPage, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) =>
    staffList(request, reply, request.params.slug),
  );

  r.post(
    '/staff/surveys/:slug/commitments',
    {
      onRequest: staffPage,
      preValidation: [app.csrfProtection, keep],
      schema: { hide: true, params: SlugParams, querystring: Query, body: CreateForm },
      errorHandler: inPlace((request, reply, refusal) => {
        const { state, error } = refusedForm(request, refusal);
        return staffList(request, reply, (request.params as { slug: string }).slug, { form: state, error });
      }),
    },
    async (request, reply) => {
      const { id } = app.commitments.create(request.params.slug, request.body);
      return reply.code(303).header('location', `/staff/surveys/${request.params.slug}/commitments?lang=${request.locale}&done=created#commitment-${id}`).send();
    },
  );

  const editPage = (request: FastifyRequest, reply: FastifyReply, id: number, extra: { form?: FormState; error?: string } = {}) => {
    const { commitment, survey } = app.commitments.find(id);
    const answered = app.commitments.answered(survey.slug)!;
    return reply.html(
      <EditCommitmentPage
        frame={frame(request, reply, `/staff/commitments/${id}`)}
        def={survey.definition}
        review={answered.review}
        commitment={commitment}
        form={extra.form ?? formOf(commitment)}
        error={extra.error}
      />,
    );
  };

  r.get('/staff/commitments/:id', { onRequest: staffPage, schema: { hide: true, params: IdParams, querystring: Query } }, async (request, reply) =>
    editPage(request, reply, request.params.id),
  );

  r.post(
    '/staff/commitments/:id',
    {
      onRequest: staffPage,
      preValidation: [app.csrfProtection, keep],
      schema: { hide: true, params: IdParams, querystring: Query, body: EditForm },
      errorHandler: inPlace((request, reply, refusal) => {
        const { state, error } = refusedForm(request, refusal);
        return editPage(request, reply, Number((request.params as { id: string }).id), { form: state, error });
      }),
    },
    async (request, reply) => {
      const { survey } = app.commitments.find(request.params.id);
      app.commitments.update(request.params.id, request.body, 'staff');
      return reply.code(303).header('location', `/staff/surveys/${survey.slug}/commitments?lang=${request.locale}&done=saved#commitment-${request.params.id}`).send();
    },
  );

  // --- Working Group ----------------------------------------------------------------------------

  const wgList = (request: FastifyRequest, reply: FastifyReply, slug: string, refused?: { id: number; form: FormState; error: string }) => {
    const survey = app.surveys.get(slug);
    return reply.html(
      <WgCommitmentsPage
        frame={frame(request, reply, `/wg/${slug}/commitments`)}
        def={survey.definition}
        answered={app.commitments.answered(slug)}
        notice={refused ? undefined : done(request)}
        refused={refused}
      />,
    );
  };

  r.get('/wg/:slug/commitments', { onRequest: wgPage, schema: { hide: true, params: SlugParams, querystring: Query } }, async (request, reply) => wgList(request, reply, request.params.slug));

  const NoteParams = z.object({ slug: z.string().max(100), id: IdParams.shape.id });
  r.post(
    '/wg/:slug/commitments/:id/note',
    {
      onRequest: wgPage,
      preValidation: [app.csrfProtection, keep],
      schema: { hide: true, params: NoteParams, querystring: Query, body: NoteForm },
      errorHandler: inPlace((request, reply, refusal) => {
        const { state, error } = refusedForm(request, refusal);
        const { slug, id } = request.params as { slug: string; id: string };
        return wgList(request, reply, slug, { id: Number(id), form: state, error });
      }),
    },
    async (request, reply) => {
      const { slug, id } = request.params;
      // A commitment of another survey is not found here.
      if (app.commitments.find(id).survey.slug !== slug) throw notFound('commitment_not_found');
      app.commitments.update(id, request.body, 'wg');
      return reply.code(303).header('location', `/wg/${slug}/commitments?lang=${request.locale}&done=note#commitment-${id}`).send();
    },
  );
}
