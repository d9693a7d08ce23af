/**
 * Running a round without JSON (SPEC §12, issue 11): templates, the next round, invitation links,
 * the preview, confirmation before opening and closing, and results partners can find — every
 * route with every role.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { TEMPLATES } from '../../src/surveys/templates.js';
import { closeSurvey, createSurvey, L, makeApp, openSurvey, postForm, sampleAnswers, sampleSurvey, shown, submit, tableCounts, type TestApp } from '../helpers.js';
import { attr, tags, text } from '../html.js';
import { signIn } from './session.js';

const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);
const SLUG = 'learning-lab-2026';

const api = (t: TestApp, method: 'GET' | 'POST', url: string, role?: 'staff' | 'wg' | 'admin', payload?: unknown) =>
  t.app.inject({ method, url, ...(role ? { headers: t.as(role) } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('templates', () => {
  it('lists the templates to staff, with their titles in three languages and their number of questions', async () => {
    const t = await makeApp();
    const res = await api(t, 'GET', '/api/templates', 'staff');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(TEMPLATES.map((tpl) => ({ id: tpl.id, title: tpl.title, questions: tpl.questions.length })));
    expect(res.json().map((x: { id: string }) => x.id)).toContain('partner-feedback');
    expect((await api(t, 'GET', '/api/templates', 'wg')).statusCode).toBe(403);
    expect((await api(t, 'GET', '/api/templates')).statusCode).toBe(401);
  });

  it('makes a draft from a template, with the given slug and title, whose questions are the template\'s', async () => {
    const t = await makeApp();
    const title = L('Partner feedback 2027', 'Opiniones de las organizaciones socias 2027', 'Avis des partenaires 2027');
    const res = await api(t, 'POST', '/api/surveys', 'staff', { template: 'partner-feedback', slug: 'partner-feedback-2027', title });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ slug: 'partner-feedback-2027', title, status: 'draft', access: 'invite' });
    const template = TEMPLATES.find((x) => x.id === 'partner-feedback')!;
    expect(body.questions.map((q: { id: string }) => q.id)).toEqual(template.questions.map((q) => q.id));
    expect(body.questions.filter((q: { grouping?: boolean }) => q.grouping)).toHaveLength(2);
  });

  it('refuses an unknown template at $.template and a bad slug or title where they are, storing nothing', async () => {
    const t = await makeApp();
    const title = L('A', 'B', 'C');
    let res = await api(t, 'POST', '/api/surveys?lang=es', 'staff', { template: 'no-such-template', slug: 'round-1', title });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: '$.template', code: 'unknown_template', message: tr('es')('problems:unknown_template', { templates: TEMPLATES.map((x) => x.id).join(', ') }) },
    ]);
    res = await api(t, 'POST', '/api/surveys', 'staff', { template: 'partner-feedback', slug: 'Not A Slug', title: { en: 'A', es: 'B' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual(['$.slug invalid_slug', '$.title.fr missing_translation']);
    expect((await api(t, 'POST', '/api/surveys', 'wg', { template: 'partner-feedback', slug: 'round-1', title })).statusCode).toBe(403);
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(0);
  });
});

describe('POST /api/surveys/:slug/duplicate', () => {
  it('makes the next round: a draft with the same questions, the series, and no closing date, from a source in any status', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ closesAt: '2030-01-01T00:00:00Z' }));
    const res = await api(t, 'POST', `/api/surveys/${SLUG}/duplicate`, 'staff', { slug: 'learning-lab-2027' });
    expect(res.statusCode).toBe(201);
    const copy = res.json();
    const source = (await api(t, 'GET', `/api/surveys/${SLUG}`, 'staff')).json();
    expect(copy).toMatchObject({ slug: 'learning-lab-2027', status: 'draft', series: SLUG, title: source.title, minGroupSize: source.minGroupSize });
    expect(copy.questions).toEqual(source.questions);
    expect(copy.closesAt).toBeUndefined();
    // A copy of the copy stays in the same series.
    const again = await api(t, 'POST', '/api/surveys/learning-lab-2027/duplicate', 'staff', { slug: 'learning-lab-2028' });
    expect(again.json().series).toBe(SLUG);
  });

  it('answers 404 for an unknown source, 409 for a taken slug, 400 for a bad one, 403 to the Working Group', async () => {
    const t = await makeApp();
    await createSurvey(t);
    expect((await api(t, 'POST', '/api/surveys/no-such-survey/duplicate', 'staff', { slug: 'x-2027' })).statusCode).toBe(404);
    const taken = await api(t, 'POST', `/api/surveys/${SLUG}/duplicate`, 'staff', { slug: SLUG });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toBe('slug_taken');
    const bad = await api(t, 'POST', `/api/surveys/${SLUG}/duplicate`, 'staff', { slug: 'Next Round!' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: '$.slug', code: 'invalid_slug' });
    expect((await api(t, 'POST', `/api/surveys/${SLUG}/duplicate`, 'wg', { slug: 'x-2027' })).statusCode).toBe(403);
    expect((await api(t, 'POST', `/api/surveys/${SLUG}/duplicate`, undefined, { slug: 'x-2027' })).statusCode).toBe(401);
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(1);
  });

  it('is a button on the survey page that leads to the new draft, and shows a refusal there', async () => {
    const t = await makeApp();
    await createSurvey(t);
    const staff = await signIn(t, 'staff', { lang: 'fr' });
    const page = await staff.get(`/staff/surveys/${SLUG}?lang=fr`);
    const input = tags(page.body, 'input').find((i) => attr(i, 'name') === 'slug');
    expect(attr(input!, 'value')).toBe('learning-lab-2027');
    const res = await staff.post(`/staff/surveys/${SLUG}/duplicate?lang=fr`, { slug: 'learning-lab-2027' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/surveys/learning-lab-2027?lang=fr&done=duplicated');
    const copy = await staff.follow(res);
    expect(text(copy.body)).toContain(text(tr('fr')('staff:done.duplicated')));
    const taken = await staff.post(`/staff/surveys/${SLUG}/duplicate?lang=fr`, { slug: 'learning-lab-2027' });
    expect(taken.statusCode).toBe(409);
    expect(text(taken.body)).toContain(text(tr('fr')('errors:slug_taken', { slug: 'learning-lab-2027' })));
  });
});

describe('invitation links', () => {
  it('answers each code with its absolute link, built from PUBLIC_URL, in the same order', async () => {
    const t = await makeApp({ publicUrl: 'https://feedback.example.org' });
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: { ...t.as('staff'), host: 'evil.example' }, payload: { count: 3 } });
    expect(res.statusCode).toBe(201);
    const { codes, links } = res.json() as { codes: string[]; links: string[] };
    expect(links).toEqual(codes.map((c) => `https://feedback.example.org/s/${SLUG}?code=${encodeURIComponent(c)}`));
  });
});

describe('invitation cards', () => {
  for (const locale of LOCALES) {
    it(`prints one card per code, with the title in three languages, the link, the code and its QR code (${locale})`, async () => {
      const t = await makeApp({ publicUrl: 'https://feedback.example.org' });
      await openSurvey(t, sampleSurvey({ access: 'invite' }));
      const staff = await signIn(t, 'staff', { lang: locale });
      await staff.get(`/staff/surveys/${SLUG}/invites?lang=${locale}`);
      const res = await staff.post(`/staff/surveys/${SLUG}/invites?lang=${locale}`, { count: '7', format: 'cards' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      const cards = res.body.split('<li class="card"').slice(1);
      expect(cards).toHaveLength(7);
      const codes = new Set<string>();
      for (const card of cards) {
        const code = /<p class="card-code">[\s\S]*?<code>([^<]+)<\/code>/.exec(card)![1]!;
        codes.add(code);
        expect(card).toContain(`https://feedback.example.org/s/${SLUG}?code=${code}`);
        for (const l of LOCALES) expect(card).toContain(sampleSurvey().title[l]);
        expect(card).toMatch(/<svg[^>]*viewBox/);
        expect(text(card)).toContain(text(tr('es')('staff:card_code')));
      }
      expect(codes.size).toBe(7);
      expect(text(res.body)).toContain(text(tr(locale)('staff:shown_once')));
      expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') })).json()[0].codesIssued).toBe(7);
    });
  }
});

describe('the preview', () => {
  it('shows staff and the Working Group the form of a draft in any language, marked, posting nowhere', async () => {
    const t = await makeApp();
    await createSurvey(t);
    for (const role of ['staff', 'wg'] as const) {
      const browser = await signIn(t, role);
      for (const locale of LOCALES) {
        const res = await browser.get(`/staff/surveys/${SLUG}/preview?lang=${locale}`);
        expect(res.statusCode).toBe(200);
        expect(text(res.body)).toContain(text(tr(locale)('form:preview_banner')));
        expect(text(res.body)).toContain(shown(sampleSurvey().questions[0]!.prompt[locale], locale));
        const forms = tags(res.body, 'form').filter((f) => !/logout/.test(attr(f, 'action') ?? ''));
        expect(forms.every((f) => attr(f, 'action') === undefined && attr(f, 'method') === undefined)).toBe(true);
        expect(tags(res.body, 'button').some((b) => attr(b, 'type') === 'submit' && !/logout|sign/i.test(b))).toBe(false);
      }
    }
  });

  it("lists drafts on the Working Group's home, each with its preview", async () => {
    const t = await makeApp();
    await createSurvey(t);
    const wg = await signIn(t, 'wg', { lang: 'es' });
    const home = await wg.get('/wg?lang=es');
    expect(text(home.body)).toContain(tr('es')('review:drafts_title'));
    expect(tags(home.body, 'a').map((a) => attr(a, 'href'))).toContain(`/staff/surveys/${SLUG}/preview?lang=es`);
    // …and nothing of a draft's page beyond its preview.
    expect((await wg.get(`/staff/surveys/${SLUG}?lang=es`)).statusCode).toBe(403);
  });

  it('shows partners nothing of a draft', async () => {
    const t = await makeApp();
    await createSurvey(t);
    expect((await t.app.inject({ method: 'GET', url: `/staff/surveys/${SLUG}/preview` })).statusCode).toBe(303);
    expect((await t.app.inject({ method: 'GET', url: `/s/${SLUG}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}` })).statusCode).toBe(404);
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.body).not.toContain(SLUG);
  });
});

describe('confirmation before opening and closing', () => {
  for (const locale of LOCALES) {
    it(`says what opening and closing lock, and acts only when confirmed (${locale})`, async () => {
      const t = await makeApp();
      await createSurvey(t);
      const staff = await signIn(t, 'staff', { lang: locale });
      const page = await staff.get(`/staff/surveys/${SLUG}?lang=${locale}`);
      // The draft's page lists its questions, and its "open" is a link to the confirmation.
      for (const q of sampleSurvey().questions) expect(text(page.body)).toContain(shown(q.prompt[locale], locale));
      expect(tags(page.body, 'form').some((f) => /\/status/.test(attr(f, 'action') ?? ''))).toBe(false);
      const confirm = await staff.get(`/staff/surveys/${SLUG}/open?lang=${locale}`);
      expect(confirm.statusCode).toBe(200);
      expect(text(confirm.body)).toContain(text(tr(locale)('staff:confirm_open_locks')));
      expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') })).json()[0].status).toBe('draft');
      let res = await staff.post(`/staff/surveys/${SLUG}/status?lang=${locale}`, { status: 'open' });
      expect(res.statusCode).toBe(303);
      const close = await staff.get(`/staff/surveys/${SLUG}/close?lang=${locale}`);
      expect(text(close.body)).toContain(text(tr(locale)('staff:confirm_close_locks')));
      expect((await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') })).json()[0].status).toBe('open');
      res = await staff.post(`/staff/surveys/${SLUG}/status?lang=${locale}`, { status: 'closed' });
      expect(res.statusCode).toBe(303);
    });
  }

  it('is for staff only', async () => {
    const t = await makeApp();
    await createSurvey(t);
    const wg = await signIn(t, 'wg');
    expect((await wg.get(`/staff/surveys/${SLUG}/open`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/staff/surveys/${SLUG}/close` })).statusCode).toBe(303);
  });
});

describe('results partners can find', () => {
  for (const locale of LOCALES) {
    it(`lists released results on the home page, and a closed survey's form says it is closed, with a link to them (${locale})`, async () => {
      const t = await makeApp();
      await openSurvey(t);
      for (let i = 0; i < 6; i++) expect((await submit(t, SLUG, { answers: sampleAnswers({ region: 'africa' }) })).statusCode).toBe(201);
      let home = await t.app.inject({ method: 'GET', url: `/?lang=${locale}` });
      expect(text(home.body)).toContain(tr(locale)('home:none_released'));
      await closeSurvey(t, SLUG);
      home = await t.app.inject({ method: 'GET', url: `/?lang=${locale}` });
      expect(tags(home.body, 'a').map((a) => attr(a, 'href'))).toContain(`/s/${SLUG}/results?lang=${locale}`);
      const form = await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=${locale}` });
      expect(form.statusCode).toBe(200);
      expect(text(form.body)).toContain(text(tr(locale)('form:closed_body')));
      expect(tags(form.body, 'a').map((a) => attr(a, 'href'))).toContain(`/s/${SLUG}/results?lang=${locale}`);
      // A form sent after the close: the same page, and nothing stored.
      const before = tableCounts(t);
      const late = await postForm(t, `/s/${SLUG}?lang=${locale}`, { region: 'asia', speak_freely: '4' });
      expect(late.statusCode).toBe(200);
      expect(text(late.body)).toContain(text(tr(locale)('form:closed_body')));
      expect(tableCounts(t)).toEqual(before);
      // The JSON API keeps §4's 404.
      expect((await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}` })).statusCode).toBe(404);
      expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(404);
    });
  }

  it('says so when a survey past its closing date has no results released yet', async () => {
    const t = await makeApp();
    await openSurvey(t);
    // Its closing date passed a minute ago (written in the file, as time would have done).
    const def = JSON.parse(t.db.sqlite.prepare('select definition from surveys').pluck().get() as string);
    def.closesAt = new Date(Date.now() - 60_000).toISOString();
    t.db.sqlite.prepare('update surveys set definition = ?').run(JSON.stringify(def));
    const form = await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=es` });
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain(text(tr('es')('form:closed_no_results')));
    expect(tags(form.body, 'a').map((a) => attr(a, 'href'))).not.toContain(`/s/${SLUG}/results?lang=es`);
  });
});
