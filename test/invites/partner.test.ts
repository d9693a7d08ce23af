/**
 * A partner with an invitation code (§4, §5): typed on the form or brought in the link (?code=
 * fills the field and survives a change of language), in any case and spacing; 403 and 409 in
 * the partner's language, as JSON and on the form; the body is validated before the code is
 * looked at, so an invalid response never spends (nor probes) a code.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { makeApp, openSurvey, postForm, sampleAnswers, sampleSurvey, submit, tableCounts, type TestApp } from '../helpers.js';
import { attr, byId, decode, tags, text } from '../html.js';

const i18n = createI18n();
const tr = (l: Locale) => i18n.getFixedT(l);
const SLUG = 'by-invitation';

async function inviteSurvey(): Promise<{ t: TestApp; codes: string[] }> {
  const t = await makeApp();
  await openSurvey(t, sampleSurvey({ slug: SLUG, access: 'invite' }));
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count: 30 } });
  return { t, codes: (res.json() as { codes: string[] }).codes };
}

const counts = async (t: TestApp) => {
  const list = (await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') })).json() as { slug: string; codesSpent?: number; codesIssued?: number; responses: number }[];
  return list.find((s) => s.slug === SLUG)!;
};

/** The answers as the form posts them. */
const formAnswers = { region: 'africa', speak_freely: '4', activities: ['calls'], usefulness: '7', suggestions: 'Fewer reports.' };

const codeField = (html: string) => tags(html, 'input').find((tag) => attr(tag, 'name') === 'inviteCode');

describe('arriving with the code in the link', () => {
  for (const lang of LOCALES) {
    it(`fills the field, and the language links keep it (${lang})`, async () => {
      const { t, codes } = await inviteSurvey();
      const code = codes[0]!;
      const page = await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=${lang}&code=${code}` });
      expect(page.statusCode).toBe(200);
      const field = codeField(page.body)!;
      expect(attr(field, 'id')).toBe('invite-code');
      expect(attr(field, 'value')).toBe(code);
      expect(page.body).toContain(`<label for="invite-code">${tr(lang)('form:invite_code')}</label>`);
      // The links to the other languages carry the code, and following one keeps the field filled.
      const links = tags(page.body, 'a').filter((a) => attr(a, 'hreflang') && attr(a, 'href')?.startsWith(`/s/${SLUG}?`));
      expect(links.map((a) => attr(a, 'hreflang')).sort()).toEqual([...LOCALES].sort());
      for (const a of links) {
        const url = new URL(attr(a, 'href')!, 'http://x');
        expect(url.searchParams.get('code')).toBe(code);
        const other = await t.app.inject({ method: 'GET', url: attr(a, 'href')! });
        expect(other.body).toContain(`<html lang="${attr(a, 'hreflang')}"`);
        expect(attr(codeField(other.body)!, 'value')).toBe(code);
      }
      // The form itself does not post the code in its address: it travels in the body only.
      const form = tags(page.body, 'form').find((f) => attr(f, 'action')?.startsWith(`/s/${SLUG}`))!;
      expect(attr(form, 'action')).toBe(`/s/${SLUG}?lang=${lang}`);
      // Opening the page spends nothing.
      expect((await counts(t)).codesSpent).toBe(0);
    });
  }

  it('escapes whatever is in the link, and ignores ?code= on an open-access survey', async () => {
    const { t } = await inviteSurvey();
    const evil = '"><script>alert(1)</script>';
    const page = await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=en&code=${encodeURIComponent(evil)}` });
    expect(page.body).not.toContain('<script>alert(1)');
    expect(attr(codeField(page.body)!, 'value')).toBe(evil);
    await openSurvey(t, sampleSurvey({ slug: 'open-to-all' }));
    const open = await t.app.inject({ method: 'GET', url: '/s/open-to-all?lang=en&code=ABCD-EFGH-JKMN' });
    expect(open.statusCode).toBe(200);
    expect(codeField(open.body)).toBeUndefined();
    expect(open.body).not.toContain('ABCD-EFGH-JKMN');
  });

  it('sends the response with the code from the link', async () => {
    const { t, codes } = await inviteSurvey();
    const res = await postForm(t, `/s/${SLUG}?lang=fr`, { ...formAnswers, inviteCode: codes[0]! });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/s/${SLUG}/thanks?lang=fr`);
    expect(await counts(t)).toMatchObject({ codesSpent: 1, responses: 1 });
  });
});

describe('typing the code', () => {
  it('accepts lowercase, spaces, missing or extra dashes, and O/I/L for 0/1/1, on the form and in JSON', async () => {
    const { t, codes } = await inviteSurvey();
    const variants: ((c: string) => string)[] = [
      (c) => c.toLowerCase(),
      (c) => ` ${c.replace(/-/g, ' ')} `,
      (c) => c.replace(/-/g, ''),
      (c) => c.toLowerCase().replace(/-/g, ''),
      (c) => c.replace(/-/g, ' - '),
      (c) => `\t${c}\n`,
      (c) => c.replace(/0/g, 'O').replace(/1/g, 'l'),
    ];
    let used = 0;
    for (const [i, variant] of variants.entries()) {
      const typed = variant(codes[i]!);
      const res = await postForm(t, `/s/${SLUG}?lang=en`, { ...formAnswers, inviteCode: typed });
      expect(res.statusCode, JSON.stringify(typed)).toBe(303);
      used++;
    }
    for (const [i, variant] of variants.entries()) {
      const typed = variant(codes[10 + i]!);
      const res = await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: typed });
      expect(res.statusCode, JSON.stringify(typed)).toBe(201);
      expect(res.json()).toEqual({});
      used++;
    }
    expect(await counts(t)).toMatchObject({ codesSpent: used, responses: used });
    // A variant of a spent code is the same, spent code.
    const again = await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: codes[0]!.toLowerCase() });
    expect(again.statusCode).toBe(409);
  });
});

describe('403 and 409, in the partner language', () => {
  for (const lang of LOCALES) {
    it(`JSON API (${lang}): missing, unknown, another survey's, and a used code`, async () => {
      const { t, codes } = await inviteSurvey();
      await openSurvey(t, sampleSurvey({ slug: 'other-invite', access: 'invite' }));
      const otherCode = ((await t.app.inject({ method: 'POST', url: '/api/surveys/other-invite/invites', headers: t.as('staff'), payload: { count: 1 } })).json() as { codes: string[] }).codes[0]!;
      const t_ = tr(lang);
      const expectError = async (inviteCode: string | undefined, status: number, code: string) => {
        const res = await submit(t, SLUG, { locale: lang, answers: sampleAnswers(), ...(inviteCode === undefined ? {} : { inviteCode }) });
        expect(res.statusCode, `${inviteCode}`).toBe(status);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toEqual({ statusCode: status, error: code, message: t_(`errors:${code}`) });
      };
      await expectError(undefined, 403, 'invite_code_missing');
      await expectError('   ', 403, 'invite_code_missing');
      await expectError('ZZZZ-ZZZZ-ZZZZ', 403, 'invite_code_invalid');
      await expectError(otherCode, 403, 'invite_code_invalid');
      expect((await submit(t, SLUG, { locale: lang, answers: sampleAnswers(), inviteCode: codes[0] })).statusCode).toBe(201);
      await expectError(codes[0], 409, 'invite_code_used');
      // Through ?lang= or Accept-Language as well, when the body names no language.
      const viaQuery = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/responses?lang=${lang}`, payload: { answers: sampleAnswers(), inviteCode: codes[0] } });
      expect((viaQuery.json() as { message: string }).message).toBe(t_('errors:invite_code_used'));
      const viaHeader = await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: 'nope' }, { 'accept-language': `${lang};q=1` });
      expect((viaHeader.json() as { message: string }).message).toBe(t_('errors:invite_code_invalid'));
      // The other survey's code is still unspent; only the one good submission was stored.
      expect(await counts(t)).toMatchObject({ codesSpent: 1, responses: 1 });
    });

    it(`HTML form (${lang}): the error beside the field and in the summary, answers kept`, async () => {
      const { t, codes } = await inviteSurvey();
      const t_ = tr(lang);
      const post = (inviteCode: string) => postForm(t, `/s/${SLUG}?lang=${lang}`, { ...formAnswers, inviteCode });
      for (const [inviteCode, status, code] of [
        ['', 403, 'invite_code_missing'],
        ['WRNG-C0DE-0000', 403, 'invite_code_invalid'],
      ] as const) {
        const res = await post(inviteCode);
        expect(res.statusCode).toBe(status);
        checkFormError(res.body, lang, t_(`errors:${code}`), inviteCode);
      }
      expect((await post(codes[3]!)).statusCode).toBe(303);
      const used = await post(codes[3]!.toLowerCase());
      expect(used.statusCode).toBe(409);
      checkFormError(used.body, lang, t_('errors:invite_code_used'), codes[3]!.toLowerCase());
      expect(await counts(t)).toMatchObject({ codesSpent: 1, responses: 1 });
    });
  }
});

function checkFormError(html: string, lang: Locale, message: string, typed: string) {
  const t_ = tr(lang);
  expect(html).toContain(`<html lang="${lang}"`);
  // Beside the field, tied to it for screen readers.
  const field = codeField(html)!;
  expect(attr(field, 'aria-invalid')).toBe('true');
  expect(attr(field, 'aria-describedby')).toContain('inviteCode-error');
  expect(attr(field, 'value')).toBe(typed);
  const error = byId(html, 'inviteCode-error');
  expect(error).toBeDefined();
  const errorText = text(html.slice(html.indexOf(error!), html.indexOf('</p>', html.indexOf(error!))));
  expect(errorText).toContain(message);
  // In the summary, linking to the field.
  const summary = html.slice(html.indexOf('class="error-summary"'), html.indexOf('</div>', html.indexOf('class="error-summary"')));
  expect(summary).toContain('href="#invite-code"');
  expect(decode(text(summary))).toContain(t_('form:summary_item', { question: t_('form:invite_code'), message }));
  // The answers are still there.
  expect(tags(html, 'input').some((tag) => attr(tag, 'name') === 'region' && attr(tag, 'value') === 'africa' && attr(tag, 'checked') !== undefined)).toBe(true);
  expect(html).toContain('Fewer reports.');
}

describe('the body is validated before the code', () => {
  it('an invalid body with a valid code is a 400 and leaves the code unspent', async () => {
    const { t, codes } = await inviteSurvey();
    const code = codes[0]!;
    const before = tableCounts(t);
    const invalid = [
      { answers: {} }, // the required likert is missing
      { answers: { ...sampleAnswers(), speak_freely: 9 } },
      { answers: { ...sampleAnswers(), region: 'mars' } },
      { answers: { ...sampleAnswers(), nonsense: 1 } },
      { answers: 'all good' },
    ];
    for (const body of invalid) {
      const res = await submit(t, SLUG, { ...body, inviteCode: code, locale: 'es' });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const form = await postForm(t, `/s/${SLUG}?lang=es`, { region: 'africa', inviteCode: code });
    expect(form.statusCode).toBe(400);
    expect(attr(codeField(form.body)!, 'value')).toBe(code);
    expect(tableCounts(t)).toEqual(before);
    expect((await counts(t)).codesSpent).toBe(0);
    // Still good for one valid response.
    expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: code })).statusCode).toBe(201);
    expect((await counts(t)).codesSpent).toBe(1);
  });

  it('an invalid body cannot probe a code: unknown, used or missing, the answer is the same 400', async () => {
    const { t, codes } = await inviteSurvey();
    expect((await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: codes[0] })).statusCode).toBe(201);
    const bodies = [undefined, 'NOPE-NOPE-NOPE', codes[0], codes[1]].map((inviteCode) => ({ answers: {}, ...(inviteCode ? { inviteCode } : {}) }));
    const replies = await Promise.all(bodies.map((b) => submit(t, SLUG, b)));
    for (const r of replies) expect(r.statusCode).toBe(400);
    expect(new Set(replies.map((r) => r.body)).size).toBe(1);
    expect((await counts(t)).codesSpent).toBe(1);
  });

  it('a closed survey takes no code at all (404), and staff can make no more', async () => {
    const { t, codes } = await inviteSurvey();
    await t.app.inject({ method: 'PATCH', url: `/api/surveys/${SLUG}`, headers: t.as('staff'), payload: { status: 'closed' } });
    const res = await submit(t, SLUG, { answers: sampleAnswers(), inviteCode: codes[0] });
    expect(res.statusCode).toBe(404);
    expect((await counts(t)).codesSpent).toBe(0);
  });
});
