/**
 * Codes issued after the final release are refused (§5: 409), so that the number the release
 * published stays true: through the API and the staff page, in the reader's language; when the
 * job closes a survey at its closesAt; and when the survey closes between reading it and storing
 * the codes (the repository checks again in the transaction that stores them). The staff page
 * says who can weaken the protection with made-up answers, and how to run a round so that nobody
 * holds spare codes (§2).
 */
import { describe, expect, it } from 'vitest';
import { CandorError } from '../../src/errors.js';
import { statusOf } from '../../src/web/errors.js';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { createInviteRepository } from '../../src/invites/repository.js';
import { generateFor } from '../../src/invites/service.js';
import { closeSurvey, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { attr, tags, text } from '../html.js';
import { signIn } from '../staff/session.js';

const i18n = createI18n();
/** A translation as text() reads a page: French no-break spaces fold into plain ones. */
const tr = (l: Locale, key: string, options: Record<string, unknown> = {}) => i18n.getFixedT(l)(key, options);
const SLUG = 'by-invitation';

const invitesStored = (t: TestApp) => t.db.sqlite.prepare('select count(*) from invites').pluck().get() as number;
const generate = (t: TestApp, count: number, lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites?lang=${lang}`, headers: t.as('staff'), payload: { count } });
const results = (t: TestApp) => t.app.inject({ url: `/api/surveys/${SLUG}/results` });
const errorTitle = (html: string) => text(/<h2 id="problem-title">([\s\S]*?)<\/h2>/.exec(html)?.[1] ?? '');

/** An invite-only survey with 10 codes, 6 of them spent, closed and finally released. */
async function released(t: TestApp): Promise<void> {
  await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
  const codes = (await generate(t, 10)).json() as { codes: string[] };
  for (let i = 0; i < 6; i++) expect((await submit(t, SLUG, { answers: sampleAnswers({ speak_freely: 1 + (i % 5) }), inviteCode: codes.codes[i] })).statusCode).toBe(201);
  await closeSurvey(t, SLUG);
  expect(((await results(t)).json() as { final: boolean }).final).toBe(true);
}

describe('POST /api/surveys/:slug/invites after the final release', () => {
  for (const lang of LOCALES) {
    it(`answers 409, translated (${lang}), stores nothing, and the published number stays true`, async () => {
      const t = await makeApp();
      await released(t);
      const before = (await results(t)).body;
      expect(JSON.parse(before)).toMatchObject({ invitations: { issued: 10 } });
      const res = await generate(t, 5, lang);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: 'survey_closed', message: i18n.getFixedT(lang)('errors:survey_closed') });
      expect(invitesStored(t)).toBe(10);
      expect((await results(t)).body).toBe(before);
    });
  }

  it('answers 409 once the job has closed a survey at its closesAt and released it', async () => {
    let clock = new Date('2030-03-01T12:00:00Z');
    const t = await makeApp({}, { now: () => clock });
    await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite', closesAt: '2030-06-01T00:00:00+00:00' }));
    expect((await generate(t, 7)).statusCode).toBe(201);
    clock = new Date('2030-06-02T00:00:00Z');
    const summary = await t.app.releases.run();
    expect(summary?.closed).toEqual([SLUG]);
    expect(summary?.released).toEqual([{ slug: SLUG, final: true }]);
    expect(JSON.parse((await results(t)).body)).toMatchObject({ final: true, invitations: { issued: 7 } });
    expect((await generate(t, 1)).statusCode).toBe(409);
    expect(invitesStored(t)).toBe(7);
  });

  it('refuses a survey read while open but closed before the codes are stored: checked where they are stored', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
    const readBefore = t.app.surveys.get(SLUG);
    expect(readBefore.status).toBe('open');
    expect((await generate(t, 3)).statusCode).toBe(201);
    await closeSurvey(t, SLUG);
    const invites = createInviteRepository(t.db);
    let refused: unknown;
    try {
      generateFor(invites, readBefore, 4);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(CandorError);
    expect(refused).toMatchObject({ code: 'survey_closed' });
    expect(statusOf(refused as CandorError)).toBe(409);
    expect(invitesStored(t)).toBe(3);
    expect(JSON.parse((await results(t)).body)).toMatchObject({ invitations: { issued: 3 } });
  });
});

describe('the staff page for invitation codes', () => {
  for (const locale of LOCALES) {
    it(`says who can send made-up answers and how to keep nobody holding spare codes, and that the number is public (${locale})`, async () => {
      const t = await makeApp();
      await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
      const staff = await signIn(t, 'staff', { lang: locale });
      const page = await staff.get(`/staff/surveys/${SLUG}/invites?lang=${locale}`);
      expect(page.statusCode).toBe(200);
      const visible = text(page.body);
      for (const key of ['staff:invented_title', 'staff:invented', 'staff:invented_howto', 'staff:codes_public']) expect(visible, key).toContain(tr(locale, key));
      // Said before the form that makes codes.
      expect(page.body.indexOf('id="invented-title"')).toBeLessThan(page.body.indexOf('id="count"'));
    });

    it(`offers no form once the survey is closed, and refuses a late post with 409 in the reader's language (${locale})`, async () => {
      const t = await makeApp();
      await released(t);
      const staff = await signIn(t, 'staff', { lang: locale });
      const page = await staff.get(`/staff/surveys/${SLUG}/invites?lang=${locale}`);
      expect(page.statusCode).toBe(200);
      expect(tags(page.body, 'input').some((i) => attr(i, 'name') === 'count')).toBe(false);
      expect(text(page.body)).toContain(tr(locale, 'errors:survey_closed'));
      expect(text(page.body)).toContain(tr(locale, 'staff:codes_of_long', { spent: 6, issued: 10 }));

      // A form kept open in another tab since before the close (the survey page gives a CSRF token).
      await staff.get(`/staff/surveys/${SLUG}?lang=${locale}`);
      for (const format of ['page', 'csv']) {
        const res = await staff.post(`/staff/surveys/${SLUG}/invites?lang=${locale}`, { count: '3', format });
        expect(res.statusCode, format).toBe(409);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(errorTitle(res.body)).toBe(tr(locale, 'errors:survey_closed'));
        expect(res.body).not.toContain('<tbody>');
        expect(tags(res.body, 'input').some((i) => attr(i, 'name') === 'count')).toBe(false);
      }
      expect(invitesStored(t)).toBe(10);
    });
  }
});

describe('the staff page of a survey open to anyone', () => {
  it('says that anyone with the link could send made-up answers, which is why it has no breakdowns', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'for-everyone' }));
    await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
    for (const locale of LOCALES) {
      const staff = await signIn(t, 'staff', { lang: locale });
      expect(text((await staff.get(`/staff/surveys/for-everyone?lang=${locale}`)).body)).toContain(tr(locale, 'staff:open_access_note'));
      expect(text((await staff.get(`/staff/surveys/${SLUG}?lang=${locale}`)).body)).not.toContain(tr(locale, 'staff:open_access_note'));
    }
  });
});
