/**
 * The staff console (issue 5): creating a survey by pasting or uploading its definition, with
 * every problem shown in the reader's language beside its JSON path; invalid JSON; opening,
 * closing and releasing from the pages; the list of surveys with live counts and codes spent.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { createSurvey, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { attr, decode, elements, tags, text } from '../html.js';
import { signIn, type Browser } from './session.js';

const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);

/** The problems listed in the error summary: [path, message] in the order shown. */
function problemsShown(html: string): [string, string][] {
  const start = html.indexOf('class="error-summary"');
  if (start === -1) return [];
  const summary = html.slice(start, html.indexOf('</div>', start));
  return [...summary.matchAll(/<li><code>([\s\S]*?)<\/code>\s*([\s\S]*?)<\/li>/g)].map((m) => [decode(m[1]!), text(m[2]!)]);
}

/** The heading of the error summary. */
const summaryTitle = (html: string) => text(/<h2 id="problem-title">([\s\S]*?)<\/h2>/.exec(html)?.[1] ?? '');

/** The settings list of a survey page: label → value. */
function settings(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  const dl = /<dl class="settings">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
  for (const m of dl.matchAll(/<dt>([\s\S]*?)<\/dt><dd>([\s\S]*?)<\/dd>/g)) out[text(m[1]!)] = text(m[2]!);
  return out;
}

const notice = (html: string) => text(/<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');
const textarea = (html: string) => decode(/<textarea[^>]*id="definition-text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '');
const surveyCount = (t: TestApp) => t.db.sqlite.prepare('select count(*) from surveys').pluck().get() as number;

/** A definition with five different problems, each at a known place. */
function brokenDefinition(): Record<string, unknown> {
  const def = structuredClone(sampleSurvey({ slug: 'broken-round' })) as unknown as { questions: Record<string, unknown>[] } & Record<string, unknown>;
  delete (def.questions[1]!.prompt as Record<string, string>).fr; // missing translation
  def.questions[3]!.id = 'region'; // duplicate id
  def.questions[4]!.options = [{ value: 'x', label: { en: 'x', es: 'x', fr: 'x' } }]; // options on a text question
  def.questions.push({ id: 'mood', type: 'slider', prompt: { en: 'Mood', es: 'Ánimo', fr: 'Humeur' } }); // unknown type
  def.minGroupSize = 2; // below 3
  return def;
}
const EXPECTED_PROBLEMS: [string, string][] = [
  ['$.questions[1].prompt.fr', 'missing_translation'],
  ['$.questions[3].id', 'duplicate_id'],
  ['$.questions[4].options', 'options_not_allowed'],
  ['$.questions[5].type', 'unknown_type'],
  ['$.minGroupSize', 'too_small'],
];

async function apiProblems(t: TestApp, body: unknown, locale: Locale) {
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys?lang=${locale}`, headers: t.as('staff'), payload: body as object });
  expect(res.statusCode).toBe(400);
  return (res.json() as { errors: { path: string; code: string; message: string }[] }).errors;
}

describe('creating a survey by pasting its definition', () => {
  for (const locale of LOCALES) {
    it(`shows every problem with its JSON path, in ${locale}, keeps the text and saves nothing`, async () => {
      const t = await makeApp();
      const b = await signIn(t, 'staff', { lang: locale });
      const form = await b.get(`/staff/surveys/new?lang=${locale}`);
      expect(form.statusCode).toBe(200);
      // The form: multipart, to /staff/surveys in the same language, a file input and a textarea, both labelled.
      const formTag = tags(form.body, 'form').find((f) => attr(f, 'action')?.startsWith('/staff/surveys?'))!;
      expect(attr(formTag, 'enctype')).toBe('multipart/form-data');
      expect(attr(formTag, 'action')).toBe(`/staff/surveys?lang=${locale}`);
      expect(form.body).toContain('<label for="definition-file">');
      expect(form.body).toContain('<label for="definition-text">');

      const pasted = JSON.stringify(brokenDefinition(), null, 2);
      const res = await b.postMultipart(`/staff/surveys?lang=${locale}`, { definition: pasted });
      expect(res.statusCode).toBe(400);
      const t_ = tr(locale);
      expect(res.body).toContain(`<html lang="${locale}"`);
      expect(summaryTitle(res.body)).toBe(t_('errors:invalid_definition'));
      expect(/<title>([^<]*)<\/title>/.exec(res.body)![1]).toContain(t_('form:error_prefix'));

      const shown = problemsShown(res.body);
      // Exactly the problems the API reports, in the same language, each with its path.
      const api = await apiProblems(t, brokenDefinition(), locale);
      expect(shown).toEqual(api.map((p) => [p.path, p.message]));
      // And each expected problem is there, in this language's words.
      for (const [path, code] of EXPECTED_PROBLEMS) {
        const entry = shown.find(([p]) => p === path);
        expect(entry, `${path} listed`).toBeDefined();
        const apiEntry = api.find((p) => p.path === path)!;
        expect(apiEntry.code).toBe(code);
        if (code === 'missing_translation') expect(entry![1]).toBe(t_('problems:missing_translation'));
        if (code === 'duplicate_id') expect(entry![1]).toBe(t_('problems:duplicate_id', { id: 'region' }));
        if (code === 'options_not_allowed') expect(entry![1]).toBe(t_('problems:options_not_allowed'));
      }
      // The messages are not the English ones outside English.
      if (locale !== 'en') {
        const english = tr('en')('problems:missing_translation');
        expect(shown.map(([, m]) => m)).not.toContain(english);
      }
      // What was pasted comes back for correction.
      expect(textarea(res.body)).toBe(pasted);
      expect(surveyCount(t)).toBe(0);
    });
  }

  it('creates a draft from a valid paste and lands on its page with a notice', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff', { lang: 'es' });
    await b.get('/staff/surveys/new?lang=es');
    const def = sampleSurvey({ slug: 'pegada' });
    const res = await b.postMultipart('/staff/surveys?lang=es', { definition: JSON.stringify(def) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/surveys/pegada?lang=es&done=created');
    const page = await b.follow(res);
    expect(page.statusCode).toBe(200);
    expect(notice(page.body)).toBe(tr('es')('staff:done.created'));
    expect(elements(page.body, 'h1').map(text)).toContain(def.title.es);
    expect(settings(page.body)[tr('es')('staff:status_label')]).toBe(tr('es')('staff:status.draft'));
    const stored = await t.app.inject({ method: 'GET', url: '/api/surveys/pegada', headers: t.as('staff') });
    expect(stored.json()).toMatchObject({ slug: 'pegada', status: 'draft', questions: def.questions.map((q) => ({ id: q.id })) });
  });

  it('takes the pasted text when the file field is sent empty, as browsers do when no file is chosen', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff');
    await b.get('/staff/surveys/new?lang=en');
    const res = await b.postMultipart('/staff/surveys?lang=en', { definition: JSON.stringify(sampleSurvey({ slug: 'no-file' })) }, [
      { name: 'file', filename: '', content: '', contentType: 'application/octet-stream' },
    ]);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
    expect(res.headers.location).toBe('/staff/surveys/no-file?lang=en&done=created');
  });

  it('answers 409, translated, for a slug already taken, and keeps the text', async () => {
    const t = await makeApp();
    await createSurvey(t, sampleSurvey({ slug: 'taken' }));
    const b = await signIn(t, 'staff', { lang: 'fr' });
    await b.get('/staff/surveys/new?lang=fr');
    const pasted = JSON.stringify(sampleSurvey({ slug: 'taken' }));
    const res = await b.postMultipart('/staff/surveys?lang=fr', { definition: pasted });
    expect(res.statusCode).toBe(409);
    expect(summaryTitle(res.body)).toBe(tr('fr')('errors:slug_taken', { slug: 'taken' }));
    expect(textarea(res.body)).toBe(pasted);
    expect(surveyCount(t)).toBe(1);
  });
});

describe('creating a survey by uploading a file', () => {
  it('creates the draft from the file', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff', { lang: 'fr' });
    await b.get('/staff/surveys/new?lang=fr');
    const def = sampleSurvey({ slug: 'televersee' });
    const res = await b.postMultipart('/staff/surveys?lang=fr', { definition: '' }, [{ name: 'file', filename: 'televersee.json', content: JSON.stringify(def, null, 2) }]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/surveys/televersee?lang=fr&done=created');
    const page = await b.follow(res);
    expect(notice(page.body)).toBe(tr('fr')('staff:done.created'));
    expect(surveyCount(t)).toBe(1);
  });

  it('prefers the file over the textarea when both are given', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff');
    await b.get('/staff/surveys/new?lang=en');
    const res = await b.postMultipart('/staff/surveys?lang=en', { definition: JSON.stringify(sampleSurvey({ slug: 'from-paste' })) }, [
      { name: 'file', filename: 'f.json', content: JSON.stringify(sampleSurvey({ slug: 'from-file' })) },
    ]);
    expect(res.headers.location).toBe('/staff/surveys/from-file?lang=en&done=created');
  });

  for (const locale of LOCALES) {
    it(`lists every problem of an uploaded definition with its path, in ${locale}`, async () => {
      const t = await makeApp();
      const b = await signIn(t, 'staff', { lang: locale });
      await b.get(`/staff/surveys/new?lang=${locale}`);
      const res = await b.postMultipart(`/staff/surveys?lang=${locale}`, {}, [{ name: 'file', filename: 'broken.json', content: JSON.stringify(brokenDefinition()) }]);
      expect(res.statusCode).toBe(400);
      expect(summaryTitle(res.body)).toBe(tr(locale)('errors:invalid_definition'));
      const api = await apiProblems(t, brokenDefinition(), locale);
      expect(problemsShown(res.body)).toEqual(api.map((p) => [p.path, p.message]));
      for (const [path] of EXPECTED_PROBLEMS) expect(problemsShown(res.body).map(([p]) => p)).toContain(path);
      // The file's text is put in the textarea, so it can be corrected there.
      expect(JSON.parse(textarea(res.body))).toEqual(brokenDefinition());
      expect(surveyCount(t)).toBe(0);
    });
  }

  it('a file with a UTF-8 byte-order mark or accents is read as UTF-8', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff');
    await b.get('/staff/surveys/new?lang=en');
    const def = sampleSurvey({ slug: 'accents' });
    // Windows editors save "UTF-8" with a byte-order mark: the file is still a valid definition.
    const res = await b.postMultipart('/staff/surveys?lang=en', {}, [{ name: 'file', filename: 'a.json', content: Buffer.from(`\ufeff${JSON.stringify(def)}`, 'utf8') }]);
    expect(res.statusCode, summaryTitle(res.body)).toBe(303);
    const stored = (await t.app.inject({ method: 'GET', url: '/api/surveys/accents', headers: t.as('staff') })).json() as { title: { es: string } };
    expect(stored.title.es).toBe(def.title.es);
  });
});

describe('invalid JSON', () => {
  for (const locale of LOCALES) {
    it(`is refused with a translated message in ${locale}, pasted or uploaded, keeping the text`, async () => {
      const t = await makeApp();
      const b = await signIn(t, 'staff', { lang: locale });
      await b.get(`/staff/surveys/new?lang=${locale}`);
      const broken = '{ "slug": "oops", "title": { "en": "x", }';
      const pasted = await b.postMultipart(`/staff/surveys?lang=${locale}`, { definition: broken });
      const uploaded = await b.postMultipart(`/staff/surveys?lang=${locale}`, {}, [{ name: 'file', filename: 'x.json', content: broken }]);
      for (const res of [pasted, uploaded]) {
        expect(res.statusCode).toBe(400);
        expect(summaryTitle(res.body)).toBe(tr(locale)('errors:definition_not_json'));
        expect(textarea(res.body)).toBe(broken);
        expect(problemsShown(res.body)).toEqual([]);
      }
      // Nothing at all, too.
      const empty = await b.postMultipart(`/staff/surveys?lang=${locale}`, { definition: '' });
      expect(empty.statusCode).toBe(400);
      expect(summaryTitle(empty.body)).toBe(tr(locale)('errors:definition_not_json'));
      expect(surveyCount(t)).toBe(0);
    });
  }

  it('JSON that is not an object is a definition problem, not a crash', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff');
    await b.get('/staff/surveys/new?lang=en');
    for (const doc of ['[]', '"survey"', '42', 'null']) {
      const res = await b.postMultipart('/staff/surveys?lang=en', { definition: doc });
      expect(res.statusCode, doc).toBe(400);
      expect(summaryTitle(res.body), doc).toBe(tr('en')('errors:invalid_definition'));
    }
    expect(surveyCount(t)).toBe(0);
  });

  it('refuses a file over the upload limit with 413, translated', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff', { lang: 'es' });
    await b.get('/staff/surveys/new?lang=es');
    const huge = JSON.stringify({ ...sampleSurvey({ slug: 'huge' }), padding: 'x'.repeat(1024 * 1024 + 10) });
    const res = await b.postMultipart('/staff/surveys?lang=es', {}, [{ name: 'file', filename: 'huge.json', content: huge }]);
    expect(res.statusCode).toBe(413);
    expect(text(res.body)).toContain(tr('es')('errors:body_too_large'));
    expect(surveyCount(t)).toBe(0);
  });
});

/** Submits n valid responses through the API. */
async function answer(t: TestApp, slug: string, n: number, extra: Record<string, unknown> = {}) {
  for (let i = 0; i < n; i++) {
    const res = await submit(t, slug, { answers: sampleAnswers({ region: ['africa', 'americas', 'asia'][i % 3], speak_freely: 1 + (i % 5) }), ...extra });
    expect(res.statusCode, res.body).toBe(201);
  }
}

const latestRelease = (t: TestApp, slug: string) =>
  t.db.sqlite.prepare('select count(*) from releases r join surveys s on s.id = r.survey_id where s.slug = ?').pluck().get(slug) as number;

describe('open, close and release from the survey page', () => {
  for (const locale of ['en', 'es', 'fr'] as const) {
    it(`takes a round from draft to closed and released, in ${locale}`, async () => {
      const t = await makeApp();
      const t_ = tr(locale);
      const slug = `round-${locale}`;
      await createSurvey(t, sampleSurvey({ slug }));
      const b = await signIn(t, 'staff', { lang: locale });
      const url = `/staff/surveys/${slug}?lang=${locale}`;

      // Draft: a link to open it, which asks first (§12); nothing released yet.
      let page = await b.get(url);
      expect(settings(page.body)[t_('staff:status_label')]).toBe(t_('staff:status.draft'));
      const actions = () => tags(page.body, 'form').map((f) => attr(f, 'action'));
      expect(tags(page.body, 'a').map((a) => attr(a, 'href'))).toContain(`/staff/surveys/${slug}/open?lang=${locale}`);
      const confirm = await b.get(`/staff/surveys/${slug}/open?lang=${locale}`);
      expect(tags(confirm.body, 'form').map((f) => attr(f, 'action'))).toContain(`/staff/surveys/${slug}/status?lang=${locale}`);
      expect(actions()).not.toContain(`/staff/surveys/${slug}/release?lang=${locale}`);
      expect(text(page.body)).toContain(t_('staff:open'));
      expect(text(page.body)).not.toContain(t_('staff:close'));
      expect(text(page.body)).toContain(t_('staff:no_release'));

      let res = await b.post(`/staff/surveys/${slug}/status?lang=${locale}`, { status: 'open' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/staff/surveys/${slug}?lang=${locale}&done=opened`);
      page = await b.follow(res);
      expect(notice(page.body)).toBe(t_('staff:done.opened'));
      expect(settings(page.body)[t_('staff:status_label')]).toBe(t_('staff:status.open'));
      // The partner form in each language, and the close form.
      for (const l of LOCALES) expect(page.body).toContain(`href="/s/${slug}?lang=${l}"`);
      expect(text(page.body)).toContain(t_('staff:close'));
      expect(((await t.app.inject({ method: 'GET', url: `/api/surveys/${slug}` })).json() as { status: string }).status).toBe('open');

      // Live count only.
      await answer(t, slug, 6);
      page = await b.get(url);
      expect(settings(page.body)[t_('staff:responses_live')]).toBe(new Intl.NumberFormat(locale).format(6));

      // No release button where it could only fail: this survey publishes nothing while open.
      expect(tags(page.body, 'form').map((f) => attr(f, 'action'))).not.toContain(`/staff/surveys/${slug}/release?lang=${locale}`);
      // An interim release is refused for a survey without interim releases: said, not hidden.
      res = await b.post(`/staff/surveys/${slug}/release?lang=${locale}`, {});
      expect(res.statusCode).toBe(200);
      expect(notice(res.body)).toBe(t_('results:not_released.interim_off', { k: 5 }));
      expect(latestRelease(t, slug)).toBe(0);

      // Closing makes the final release: the page answers at once, the release follows in the background.
      page = await b.get(url);
      res = await b.post(`/staff/surveys/${slug}/status?lang=${locale}`, { status: 'closed' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/staff/surveys/${slug}?lang=${locale}&done=closed`);
      // The job takes its calls one at a time: this one answers once the release at close is stored.
      expect(await t.app.releases.release({ slug })).toEqual({ released: false, reason: 'already_final' });
      page = await b.follow(res);
      expect(notice(page.body)).toBe(t_('staff:done.closed'));
      expect(settings(page.body)[t_('staff:status_label')]).toBe(t_('staff:status.closed'));
      expect(latestRelease(t, slug)).toBe(1);
      // The results page, the CSV in each language and the brief are linked.
      expect(page.body).toContain(`href="/s/${slug}/results?lang=${locale}"`);
      for (const l of LOCALES) expect(page.body).toContain(`href="/api/surveys/${slug}/results.csv?lang=${l}"`);
      expect(page.body).toContain(`href="/wg/${slug}/brief?lang=${locale}"`);
      expect(text(page.body)).not.toContain(t_('staff:close'));
      const csv = await t.app.inject({ method: 'GET', url: `/api/surveys/${slug}/results.csv?lang=${locale}` });
      expect(csv.statusCode).toBe(200);
      expect(csv.body.split('\n')[0]).toContain(t_('results:csv.question'));

      // The final release is out: no button offers another.
      expect(tags(page.body, 'form').map((f) => attr(f, 'action'))).not.toContain(`/staff/surveys/${slug}/release?lang=${locale}`);
      // Releasing again (a form sent anyway): the final results are already out, and the page says so.
      res = await b.post(`/staff/surveys/${slug}/release?lang=${locale}`, {});
      expect(res.statusCode).toBe(200);
      expect(notice(res.body)).toBe(t_('results:not_released.already_final', { k: 5 }));
      expect(latestRelease(t, slug)).toBe(1);

      // A closed survey never reopens: 409, translated, still closed.
      res = await b.post(`/staff/surveys/${slug}/status?lang=${locale}`, { status: 'open' });
      expect(res.statusCode).toBe(409);
      expect(summaryTitle(res.body)).toBe(t_('errors:invalid_transition', { from: 'closed', to: 'open' }));
      expect(settings(res.body)[t_('staff:status_label')]).toBe(t_('staff:status.closed'));
    });
  }

  it('releases interim results from the page when the survey allows them', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'interim', interimReleases: true }));
    await answer(t, 'interim', 6);
    const b = await signIn(t, 'staff', { lang: 'es' });
    await b.get('/staff/surveys/interim?lang=es');
    const res = await b.post('/staff/surveys/interim/release?lang=es', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/surveys/interim?lang=es&done=released');
    const page = await b.follow(res);
    expect(notice(page.body)).toBe(tr('es')('staff:done.released'));
    expect(latestRelease(t, 'interim')).toBe(1);
    expect(page.body).toContain('href="/s/interim/results?lang=es"');
  });

  it('refuses an unknown status with 400 and an unknown survey with a translated 404', async () => {
    const t = await makeApp();
    await createSurvey(t, sampleSurvey({ slug: 'some' }));
    const b = await signIn(t, 'staff', { lang: 'fr' });
    await b.get('/staff/surveys/some?lang=fr');
    const bad = await b.post('/staff/surveys/some/status?lang=fr', { status: 'draft' });
    expect(bad.statusCode).toBe(400);
    const none = await b.post('/staff/surveys/some/status?lang=fr', {});
    expect(none.statusCode).toBe(400);
    expect(((await t.app.inject({ method: 'GET', url: '/api/surveys/some', headers: t.as('staff') })).json() as { status: string }).status).toBe('draft');
    for (const path of ['/staff/surveys/nope', '/staff/surveys/nope/invites']) {
      const res = await b.get(`${path}?lang=fr`);
      expect(res.statusCode, path).toBe(404);
      expect(text(res.body)).toContain(tr('fr')('errors:survey_not_found'));
    }
    for (const path of ['/staff/surveys/nope/status', '/staff/surveys/nope/release', '/staff/surveys/nope/invites']) {
      const res = await b.post(`${path}?lang=fr`, { status: 'open', count: '3' });
      expect(res.statusCode, path).toBe(404);
    }
  });
});

/** The rows of the staff list: [slug, status, responses, codes] as displayed. */
function listRows(html: string): Record<string, { title: string; status: string; responses: string; codes: string }> {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const out: Record<string, { title: string; status: string; responses: string; codes: string }> = {};
  for (const row of elements(body, 'tr')) {
    const slug = text(/<code>([\s\S]*?)<\/code>/.exec(row)![1]!);
    const title = text(/<a [^>]*>([\s\S]*?)<\/a>/.exec(row)![1]!);
    const cells = elements(row, 'td').map(text);
    out[slug] = { title, status: cells[0]!, responses: cells[1]!, codes: cells[2]! };
  }
  return out;
}

describe('the list of surveys', () => {
  it('says there is none yet', async () => {
    const t = await makeApp();
    const b = await signIn(t, 'staff', { lang: 'es' });
    const res = await b.get('/staff?lang=es');
    expect(text(res.body)).toContain(tr('es')('staff:no_surveys'));
    expect(res.body).toContain('href="/staff/surveys/new?lang=es"');
  });

  for (const locale of LOCALES) {
    it(`shows each survey with its status, live responses and codes spent, in ${locale}`, async () => {
      const t = await makeApp();
      const t_ = tr(locale);
      const fmt = new Intl.NumberFormat(locale);
      await createSurvey(t, sampleSurvey({ slug: 'a-draft' }));
      await openSurvey(t, sampleSurvey({ slug: 'b-open' }));
      await openSurvey(t, sampleSurvey({ slug: 'c-invite', access: 'invite' }));
      await openSurvey(t, sampleSurvey({ slug: 'd-closed' }));
      await answer(t, 'b-open', 7);
      await answer(t, 'd-closed', 3);
      await t.app.inject({ method: 'PATCH', url: '/api/surveys/d-closed', headers: t.as('staff'), payload: { status: 'closed' } });
      const made = await t.app.inject({ method: 'POST', url: '/api/surveys/c-invite/invites', headers: t.as('staff'), payload: { count: 12 } });
      const codes = (made.json() as { codes: string[] }).codes;
      for (const code of codes.slice(0, 4)) expect((await submit(t, 'c-invite', { answers: sampleAnswers(), inviteCode: code })).statusCode).toBe(201);

      const b = await signIn(t, 'staff', { lang: locale });
      const page = await b.get(`/staff?lang=${locale}`);
      const rows = listRows(page.body);
      expect(Object.keys(rows)).toEqual(['a-draft', 'b-open', 'c-invite', 'd-closed']);
      expect(rows['a-draft']).toEqual({ title: sampleSurvey().title[locale], status: t_('staff:status.draft'), responses: fmt.format(0), codes: '—' });
      expect(rows['b-open']).toMatchObject({ status: t_('staff:status.open'), responses: fmt.format(7), codes: '—' });
      expect(rows['c-invite']).toMatchObject({ status: t_('staff:status.open'), responses: fmt.format(4), codes: t_('staff:codes_of', { spent: fmt.format(4), issued: fmt.format(12) }) });
      expect(rows['d-closed']).toMatchObject({ status: t_('staff:status.closed'), responses: fmt.format(3) });
      for (const slug of Object.keys(rows)) expect(page.body).toContain(`href="/staff/surveys/${slug}?lang=${locale}"`);
      // Still a table (caption, column headers, a row header per survey); each cell also names its column, shown where rows stack on a phone.
      expect(tags(page.body, 'table').map((tag) => attr(tag, 'class'))).toEqual(['stack']);
      expect(elements(page.body, 'caption').map(text)).toEqual([t_('staff:surveys_caption')]);
      expect(text(page.body)).toContain(t_('staff:home_intro'));
      expect(tags(page.body, 'th').filter((tag) => attr(tag, 'scope') === 'col')).toHaveLength(4);
      expect(tags(page.body, 'th').filter((tag) => attr(tag, 'scope') === 'row')).toHaveLength(4);
      const labels = tags(/<tbody>([\s\S]*?)<\/tbody>/.exec(page.body)![1]!, 'td').map((tag) => attr(tag, 'data-label'));
      expect(labels).toEqual(Array(4).fill([t_('staff:status_label'), t_('staff:responses'), t_('staff:codes_spent')]).flat());

      // The same figures as the API, and the count is live: one more response shows at once.
      const api = (await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') })).json() as { slug: string; responses: number; codesSpent?: number; codesIssued?: number }[];
      expect(api.map((s) => [s.slug, s.responses, s.codesSpent, s.codesIssued])).toEqual([
        ['a-draft', 0, undefined, undefined],
        ['b-open', 7, undefined, undefined],
        ['c-invite', 4, 4, 12],
        ['d-closed', 3, undefined, undefined],
      ]);
      await answer(t, 'b-open', 1);
      expect(listRows((await b.get(`/staff?lang=${locale}`)).body)['b-open']!.responses).toBe(fmt.format(8));

      // No spent code, and no hash, ever appears to staff.
      const hashes = t.db.sqlite.prepare('select code_hash from invites').pluck().all() as string[];
      for (const html of [page.body, (await b.get(`/staff/surveys/c-invite?lang=${locale}`)).body, (await b.get(`/staff/surveys/c-invite/invites?lang=${locale}`)).body]) {
        for (const code of codes) expect(html).not.toContain(code);
        for (const hash of hashes) expect(html).not.toContain(hash);
      }
    });
  }

  it('formats large counts in the reader language', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'many' }));
    const sid = t.db.sqlite.prepare("select id from surveys where slug = 'many'").pluck().get() as number;
    const insert = t.db.sqlite.prepare('insert into responses (survey_id, id) values (?, ?)');
    t.db.sqlite.transaction(() => {
      for (let i = 0; i < 1234; i++) insert.run(sid, `r${i}`);
    })();
    for (const locale of LOCALES) {
      const b: Browser = await signIn(t, 'staff', { lang: locale });
      const rows = listRows((await b.get(`/staff?lang=${locale}`)).body);
      // French groups digits with a narrow no-break space, kept as it is: "1 234" never splits.
      expect(rows.many!.responses).toBe(new Intl.NumberFormat(locale).format(1234));
      if (locale !== 'en') expect(rows.many!.responses).not.toBe('1,234');
    }
  });
});

describe('language links on pages answered to a form', () => {
  /** The hrefs of the language switcher. */
  const languageLinks = (html: string) => {
    const nav = /<nav class="langs"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    return tags(nav, 'a').map((a) => attr(a, 'href')!);
  };

  it('lead to a page in the other language, never to a 404', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'open-one' }));
    await openSurvey(t, sampleSurvey({ slug: 'coded', access: 'invite' }));
    await openSurvey(t, sampleSurvey({ slug: 'closed-one' }));
    await t.app.inject({ method: 'PATCH', url: '/api/surveys/closed-one', headers: t.as('staff'), payload: { status: 'closed' } });
    const b = await signIn(t, 'staff', { lang: 'en' });
    await b.get('/staff?lang=en');
    const answered = [
      await b.postMultipart('/staff/surveys?lang=en', { definition: '{ not json' }), // 400, create page
      await b.postMultipart('/staff/surveys?lang=en', { definition: JSON.stringify(brokenDefinition()) }), // 400, problems
      await b.post('/staff/surveys/open-one/release?lang=en', {}), // 200, "nothing released"
      await b.post('/staff/surveys/closed-one/status?lang=en', { status: 'open' }), // 409
      await b.post('/staff/surveys/coded/invites?lang=en', { count: '0' }), // 400
      await b.post('/staff/surveys/coded/invites?lang=en', { count: '2', format: 'page' }), // 200, codes
    ];
    for (const res of answered) {
      expect(String(res.headers['content-type']), `${res.statusCode} ${res.body.slice(0, 200)}`).toMatch(/^text\/html/);
      const links = languageLinks(res.body);
      expect(links).toHaveLength(3);
      for (const href of links) {
        const page = await b.get(href);
        expect(page.statusCode, `${href} (from a ${res.statusCode} answer)`).toBe(200);
        expect(page.body).toContain(`<html lang="${new URL(href, 'http://x').searchParams.get('lang')}"`);
      }
    }
  });
});
