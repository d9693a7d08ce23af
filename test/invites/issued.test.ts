/**
 * The number of invitation codes ever issued is public (§5), in the reader's language, with the
 * reason it is there (whoever holds unused codes can send made-up answers, §2): on the form (a
 * live count), in the results JSON and on the results page (the release's figure), and on the
 * Working Group's home, queue and brief (live, then the final release's figure: a purge deletes
 * the codes themselves). Open surveys say instead that anyone with the link could do it.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { createReleaseRepository } from '../../src/releases/repository.js';
import { purgeable, purgeSurvey } from '../../src/retention/purge.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { closeSurvey, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { text } from '../html.js';
import { signIn } from '../staff/session.js';

const i18n = createI18n();
/** A translation as text() reads a page: French no-break spaces fold into plain ones. */
const tr = (l: Locale, key: string, options: Record<string, unknown> = {}) => i18n.getFixedT(l)(key, options);
const issuedSentence = (l: Locale, n: number) => tr(l, 'common:codes_issued', { count: n, formatted: new Intl.NumberFormat(l).format(n) });

const SLUG = 'by-invitation';

async function generate(t: TestApp, slug: string, count: number): Promise<string[]> {
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/invites`, headers: t.as('staff'), payload: { count } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { codes: string[] }).codes;
}

const page = async (t: TestApp, url: string) => {
  const res = await t.app.inject({ url });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return text(res.body);
};

/** An invite-only survey (k = 3, minComments = 3), 40 codes issued, five answered with a comment, closed and released. */
async function releasedRound(t: TestApp): Promise<string[]> {
  await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite', minGroupSize: 3, minComments: 3 }));
  const codes = await generate(t, SLUG, 40);
  for (let i = 0; i < 5; i++) {
    const answers = sampleAnswers({ region: ['africa', 'americas'][i % 2], speak_freely: 1 + (i % 5), suggestions: `Comment number ${i} about the programme.` });
    const res = await submit(t, SLUG, { answers, inviteCode: codes[i] });
    expect(res.statusCode, res.body).toBe(201);
  }
  const outcome = await closeSurvey(t, SLUG);
  expect(outcome.released || outcome.reason === 'already_final').toBe(true);
  return codes;
}

describe('the partner form', () => {
  for (const locale of LOCALES) {
    it(`says how many codes were issued so far, why, and how a round keeps none spare (${locale})`, async () => {
      const t = await makeApp();
      await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
      await generate(t, SLUG, 40);
      let form = await page(t, `/s/${SLUG}?lang=${locale}`);
      expect(form).toContain(issuedSentence(locale, 40));
      expect(form).toContain(tr(locale, 'common:codes_issued_why'));
      expect(form).toContain(tr(locale, 'form:privacy.invite_cards'));
      expect(form).not.toContain(tr(locale, 'form:privacy.invented_open'));

      // Live: more codes, a larger number.
      await generate(t, SLUG, 1000);
      form = await page(t, `/s/${SLUG}?lang=${locale}`);
      expect(form).toContain(issuedSentence(locale, 1040));
      expect(form).not.toContain(` ${issuedSentence(locale, 40)}`);
    });
  }

  it('says it again when the form comes back with an error (a wrong code)', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
    await generate(t, SLUG, 12);
    const res = await t.app.inject({
      method: 'POST',
      url: `/s/${SLUG}?lang=es`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'speak_freely=4&inviteCode=AAAA-BBBB-CCCC',
    });
    expect(res.statusCode).toBe(403);
    expect(text(res.body)).toContain(issuedSentence('es', 12));
  });

  it('says, for a survey open to anyone, that anyone with the link could send made-up answers — and no code count', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'for-everyone' }));
    for (const locale of LOCALES) {
      const form = await page(t, `/s/for-everyone?lang=${locale}`);
      expect(form).toContain(tr(locale, 'form:privacy.invented_open'));
      expect(form).not.toContain(tr(locale, 'common:codes_issued_why'));
      expect(form).not.toContain(issuedSentence(locale, 0));
    }
  });

  it('stays light: one plain line in the statement, its reason folded with the rest', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
    await generate(t, SLUG, 40);
    const html = (await t.app.inject({ url: `/s/${SLUG}?lang=fr` })).body;
    const notice = /<section class="notice privacy" aria-labelledby="privacy-title">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    const [shown, folded] = notice.split('<details>');
    // Two plain lines and the number issued before the fold; nine points under it.
    expect(shown!.match(/<p>/g)).toHaveLength(3);
    expect(text(shown!)).toContain(issuedSentence('fr', 40));
    expect(folded!.match(/<li>/g)).toHaveLength(9);
    // §4: a form page under 30 KB with its stylesheet.
    const css = (await t.app.inject({ url: '/assets/candor.css' })).body;
    expect(Buffer.byteLength(html) + Buffer.byteLength(css)).toBeLessThan(30 * 1024);
  });
});

describe('the results', () => {
  it('carry the number issued in the JSON, and the page says it with its reason, in every language', async () => {
    const t = await makeApp();
    await releasedRound(t);
    // Refused after the final release (§5): the published figure stays true.
    expect((await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count: 5 } })).statusCode).toBe(409);
    const json = (await t.app.inject({ url: `/api/surveys/${SLUG}/results` })).json() as { final: boolean; invitations?: { issued: number } };
    expect(json.final).toBe(true);
    expect(json.invitations).toEqual({ issued: 40 });
    for (const locale of LOCALES) {
      const results = await page(t, `/s/${SLUG}/results?lang=${locale}`);
      expect(results).toContain(`${issuedSentence(locale, 40)} ${tr(locale, 'common:codes_issued_why')}`);
    }
  });

  it('of a survey open to anyone carry no invitations and say nothing of codes', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'for-everyone' }));
    for (let i = 0; i < 6; i++) expect((await submit(t, 'for-everyone', { answers: sampleAnswers({ speak_freely: 1 + (i % 5) }) })).statusCode).toBe(201);
    await closeSurvey(t, 'for-everyone');
    const json = (await t.app.inject({ url: '/api/surveys/for-everyone/results' })).json() as Record<string, unknown>;
    expect(json).not.toHaveProperty('invitations');
    for (const locale of LOCALES) expect(await page(t, `/s/for-everyone/results?lang=${locale}`)).not.toContain(tr(locale, 'common:codes_issued_why'));
  });
});

describe("the Working Group's pages", () => {
  for (const locale of LOCALES) {
    it(`show the number on the home, the review queue and the brief — still after a purge (${locale})`, async () => {
      const t = await makeApp();
      await releasedRound(t);
      const wg = await signIn(t, 'wg', { lang: locale });
      const visible = async (url: string) => {
        const res = await wg.get(url);
        expect(res.statusCode, url).toBe(200);
        return text(res.body);
      };
      const home = await visible(`/wg?lang=${locale}`);
      expect(home).toContain(issuedSentence(locale, 40));
      // Said once on the home, under its introduction, not under every survey.
      expect(home).toContain(tr(locale, 'review:codes_home'));
      for (const url of [`/wg/${SLUG}/review?lang=${locale}`, `/wg/${SLUG}/brief?lang=${locale}`]) {
        expect(await visible(url), url).toContain(`${issuedSentence(locale, 40)} ${tr(locale, 'common:codes_issued_why')}`);
      }

      // Purged: the codes themselves are gone; the pages keep the figure the final release published.
      const surveys = createSurveyRepository(t.db);
      purgeSurvey(t.db, surveys, purgeable(surveys, createReleaseRepository(t.db), SLUG));
      expect(t.db.sqlite.prepare('select count(*) from invites').pluck().get()).toBe(0);
      expect(await visible(`/wg?lang=${locale}`)).toContain(issuedSentence(locale, 40));
      expect(await visible(`/wg/${SLUG}/brief?lang=${locale}`)).toContain(issuedSentence(locale, 40));
    });
  }

  it('say nothing of codes for a survey open to anyone', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'for-everyone', minGroupSize: 3, minComments: 3 }));
    for (let i = 0; i < 4; i++) expect((await submit(t, 'for-everyone', { answers: sampleAnswers({ suggestions: `Idea ${i}` }) })).statusCode).toBe(201);
    await closeSurvey(t, 'for-everyone');
    const wg = await signIn(t, 'wg');
    for (const url of ['/wg?lang=en', '/wg/for-everyone/review?lang=en', '/wg/for-everyone/brief?lang=en']) {
      const res = await wg.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(text(res.body), url).not.toContain(tr('en', 'common:codes_issued_why'));
      expect(text(res.body), url).not.toContain(tr('en', 'review:codes_home'));
    }
  });
});
