/**
 * The staff page for invitation codes (issue 5): codes made from a form, shown once (on the page
 * or as a CSV download, in the reader's language), with their links; bad counts, open-access and
 * closed surveys refused in the reader's language; afterwards only how many are spent.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { hashCode } from '../../src/invites/codes.js';
import { createSurvey, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { attr, elements, tags, text } from '../html.js';
import { signIn } from '../staff/session.js';

const i18n = createI18n();
const tr = (l: Locale) => i18n.getFixedT(l);
const SLUG = 'coded';
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const issued = (t: TestApp) => t.db.sqlite.prepare('select count(*) from invites').pluck().get() as number;
const surveyId = (t: TestApp, slug = SLUG) => t.db.sqlite.prepare('select id from surveys where slug = ?').pluck().get(slug) as number;
const errorTitle = (html: string) => text(/<h2 id="problem-title">([\s\S]*?)<\/h2>/.exec(html)?.[1] ?? '');

/** The codes table of the page: [code, link] rows. */
function codeRows(html: string): [string, string][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return elements(body, 'tr').map((row) => {
    const cells = elements(row, 'td').map(text);
    return [cells[0]!, cells[1]!];
  });
}

describe('the invitation codes page', () => {
  for (const locale of LOCALES) {
    it(`makes codes and shows them once, with their links (${locale})`, async () => {
      const t = await makeApp();
      await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
      const t_ = tr(locale);
      const b = await signIn(t, 'staff', { lang: locale });

      // The survey page links to it and shows the codes used.
      const surveyPage = await b.get(`/staff/surveys/${SLUG}?lang=${locale}`);
      expect(surveyPage.body).toContain(`href="/staff/surveys/${SLUG}/invites?lang=${locale}"`);
      expect(text(surveyPage.body)).toContain(t_('staff:codes_spent'));

      const page = await b.get(`/staff/surveys/${SLUG}/invites?lang=${locale}`);
      expect(page.statusCode).toBe(200);
      expect(text(page.body)).toContain(t_('staff:codes_of_long', { spent: 0, issued: 0 }));
      const count = tags(page.body, 'input').find((i) => attr(i, 'name') === 'count')!;
      expect(attr(count, 'id')).toBe('count');
      expect(page.body).toContain(`<label for="count">${t_('staff:how_many')}</label>`);
      expect(codeRows(page.body)).toEqual([]);

      const res = await b.post(`/staff/surveys/${SLUG}/invites?lang=${locale}`, { count: '7', format: 'page' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(text(res.body)).toContain(t_('staff:new_codes', { count: 7 }));
      expect(text(res.body)).toContain(t_('staff:shown_once'));
      expect(text(res.body)).toContain(t_('staff:codes_of_long', { spent: 0, issued: 7 }));
      const rows = codeRows(res.body);
      expect(rows).toHaveLength(7);
      for (const [code, link] of rows) {
        expect(code).toMatch(CODE);
        expect(link).toBe(`http://candor.test/s/${SLUG}?code=${code}`);
      }
      const stored = new Set(t.db.sqlite.prepare('select code_hash from invites').pluck().all());
      for (const [code] of rows) expect(stored.has(hashCode(surveyId(t), code))).toBe(true);

      // Shown once: the page never lists them again.
      const again = await b.get(`/staff/surveys/${SLUG}/invites?lang=${locale}`);
      expect(codeRows(again.body)).toEqual([]);
      for (const [code] of rows) expect(again.body).not.toContain(code);

      // The codes work, and afterwards staff see how many, not which.
      expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: rows[2]![0] })).statusCode).toBe(201);
      const after = await b.get(`/staff/surveys/${SLUG}/invites?lang=${locale}`);
      expect(text(after.body)).toContain(t_('staff:codes_of_long', { spent: 1, issued: 7 }));
      for (const [code] of rows) expect(after.body).not.toContain(code);
    });

    it(`downloads new codes as CSV with headers in ${locale}`, async () => {
      const t = await makeApp();
      await createSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
      const t_ = tr(locale);
      const b = await signIn(t, 'staff', { lang: locale });
      await b.get(`/staff/surveys/${SLUG}/invites?lang=${locale}`);
      // A forged Host header changes nothing: links are built from PUBLIC_URL.
      const res = await b.post(`/staff/surveys/${SLUG}/invites?lang=${locale}`, { count: '4', format: 'csv' }, { headers: { host: 'evil.example.net' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${SLUG}-invitation-codes.csv"`);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.startsWith('\ufeff')).toBe(true);
      const lines = res.body.slice(1).trim().split(/\r?\n/);
      expect(lines[0]).toBe(`${t_('staff:code')},${t_('staff:link')}`);
      expect(lines).toHaveLength(5);
      expect(res.body).not.toContain('evil.example.net');
      for (const line of lines.slice(1)) {
        const [code, link] = line.split(',');
        expect(code).toMatch(CODE);
        // An absolute link on PUBLIC_URL, ready to paste into an e-mail.
        expect(link).toBe(`${t.config.publicUrl}/s/${SLUG}?code=${code}`);
      }
      expect(issued(t)).toBe(4);
    });
  }

  it('refuses a bad count with the reason in the reader language, and makes nothing', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
    const b = await signIn(t, 'staff', { lang: 'es' });
    await b.get(`/staff/surveys/${SLUG}/invites?lang=es`);
    for (const count of ['0', '-1', '1001', '2.5', 'veinte', '']) {
      const res = await b.post(`/staff/surveys/${SLUG}/invites?lang=es`, { count, format: 'page' });
      expect(res.statusCode, count).toBe(400);
      expect(errorTitle(res.body)).toBe(tr('es')('errors:invite_count_invalid', { max: 1000 }));
    }
    expect(issued(t)).toBe(0);
  });

  it('refuses open-access and closed surveys with 409, in the reader language', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'for-everyone' }));
    await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
    await t.app.inject({ method: 'PATCH', url: `/api/surveys/${SLUG}`, headers: t.as('staff'), payload: { status: 'closed' } });
    const b = await signIn(t, 'staff', { lang: 'fr' });
    await b.get('/staff?lang=fr');
    const open = await b.post('/staff/surveys/for-everyone/invites?lang=fr', { count: '3', format: 'page' });
    expect(open.statusCode).toBe(409);
    expect(errorTitle(open.body)).toBe(tr('fr')('errors:survey_not_invite_only'));
    const closed = await b.post(`/staff/surveys/${SLUG}/invites?lang=fr`, { count: '3', format: 'csv' });
    expect(closed.statusCode).toBe(409);
    expect(closed.headers['content-type']).toMatch(/^text\/html/);
    expect(errorTitle(closed.body)).toBe(tr('fr')('errors:survey_closed'));
    expect(issued(t)).toBe(0);
    // Neither survey page offers codes.
    for (const slug of ['for-everyone', SLUG]) {
      const page = await b.get(`/staff/surveys/${slug}?lang=fr`);
      expect(page.body).not.toContain(`/staff/surveys/${slug}/invites`);
    }
  });
});
