/** Language negotiation (§4): ?lang wins, then Accept-Language by quality, then English; every page says so. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOCALES, negotiateLocale, type Locale } from '../../src/i18n/index.js';
import { attr, tags } from '../html.js';
import { makeApp, openSurvey, postForm, sampleSurvey } from '../helpers.js';

const SLUG = 'learning-lab-2026';

describe('negotiateLocale', () => {
  it.each([
    ['fr', 'es', 'fr'],
    ['es', undefined, 'es'],
    [undefined, 'fr-CA,fr;q=0.9,en;q=0.8', 'fr'],
    [undefined, 'de-DE, es;q=0.5, en;q=0.3', 'es'],
    [undefined, 'en;q=0.2, fr;q=0.7, es;q=0.5', 'fr'],
    [undefined, 'es-419', 'es'],
    [undefined, 'ES-mx', 'es'],
    [undefined, 'fr;q=0, es;q=0.1', 'es'],
    [undefined, 'fr;q=0', 'en'],
    [undefined, 'de, pt-BR, zh', 'en'],
    [undefined, '*', 'en'],
    [undefined, '', 'en'],
    [undefined, undefined, 'en'],
    [undefined, ';;;,,q=', 'en'],
    [undefined, 'fr;q=abc, es;q=0.4', 'es'],
    [undefined, 'es, fr', 'es'],
    [undefined, 'fr, es', 'fr'],
    ['de', 'fr', 'fr'],
    ['', 'es', 'es'],
    [['fr'], 'es', 'es'],
  ] as [unknown, string | undefined, Locale][])('?lang=%j, Accept-Language %j → %s', (query, header, expected) => {
    expect(negotiateLocale(query, header)).toBe(expected);
  });

  const tag = fc.constantFrom('en', 'es', 'fr', 'de', 'pt', 'zh', 'en-GB', 'es-419', 'fr-CA', 'fr-SN', 'ar', '*');
  const quality = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
  const entries = fc.array(fc.record({ tag, q: fc.option(quality, { nil: undefined }) }), { maxLength: 6 });
  const header = (list: { tag: string; q?: number | undefined }[]) => list.map((e) => (e.q === undefined ? e.tag : `${e.tag};q=${e.q}`)).join(', ');

  it('always answers one of en, es, fr, whatever the header (property)', () => {
    fc.assert(fc.property(fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), (q, h) => {
      expect(LOCALES).toContain(negotiateLocale(q, h));
    }));
  });

  it('lets a valid ?lang win over any header (property)', () => {
    fc.assert(fc.property(fc.constantFrom(...LOCALES), entries, (lang, list) => {
      expect(negotiateLocale(lang, header(list))).toBe(lang);
    }));
  });

  it('picks the supported language with the highest quality, the first listed among equals, else English (property)', () => {
    fc.assert(
      fc.property(entries, (list) => {
        const candidates = list
          .map((e, index) => ({ primary: e.tag.split('-')[0]!.toLowerCase(), q: e.q ?? 1, index }))
          .filter((e) => e.q > 0 && (LOCALES as readonly string[]).includes(e.primary));
        const best = candidates.reduce<(typeof candidates)[number] | undefined>((acc, e) => (acc === undefined || e.q > acc.q ? e : acc), undefined);
        expect(negotiateLocale(undefined, header(list))).toBe(best?.primary ?? 'en');
      }),
      { numRuns: 500 },
    );
  });
});

describe('partner pages', () => {
  const pages = ['/', `/s/${SLUG}`, `/s/${SLUG}/thanks`, '/no-such-page', '/s/no-such-survey'];

  it('set <html lang> from ?lang, then Accept-Language, then English', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const lang = async (url: string, headers: Record<string, string> = {}) => /<html lang="([^"]+)"/.exec((await t.app.inject({ method: 'GET', url, headers })).body)?.[1];
    for (const page of pages) {
      const join = page.includes('?') ? '&' : '?';
      expect(await lang(`${page}${join}lang=fr`, { 'accept-language': 'es' }), page).toBe('fr');
      expect(await lang(page, { 'accept-language': 'de;q=0.9, es;q=0.8, en;q=0.1' }), page).toBe('es');
      expect(await lang(page, { 'accept-language': 'fr-CA' }), page).toBe('fr');
      expect(await lang(page, { 'accept-language': 'de, pt' }), page).toBe('en');
      expect(await lang(page), page).toBe('en');
      expect(await lang(`${page}${join}lang=xx`, { 'accept-language': 'es' }), page).toBe('es');
    }
  });

  it('link to the same page in the other two languages', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await openSurvey(t, sampleSurvey({ slug: 'by-invitation', access: 'invite' }));
    const check = (html: string, path: string, locale: Locale, keep: Record<string, string> = {}) => {
      const links = tags(html, 'a').filter((a) => attr(a, 'hreflang') !== undefined);
      for (const other of LOCALES.filter((l) => l !== locale)) {
        const link = links.find((a) => attr(a, 'hreflang') === other);
        expect(link, `${path} (${locale}) → ${other}`).toBeDefined();
        expect(attr(link!, 'lang')).toBe(other);
        const url = new URL(attr(link!, 'href')!, 'http://candor.test');
        expect(url.pathname).toBe(path);
        expect(url.searchParams.get('lang')).toBe(other);
        for (const [k, v] of Object.entries(keep)) expect(url.searchParams.get(k)).toBe(v);
      }
    };
    for (const locale of LOCALES) {
      for (const page of pages) {
        const res = await t.app.inject({ method: 'GET', url: `${page}?lang=${locale}` });
        check(res.body, page, locale);
      }
      // The invitation code survives a change of language.
      const invite = await t.app.inject({ method: 'GET', url: `/s/by-invitation?lang=${locale}&code=ABCD-1234` });
      check(invite.body, '/s/by-invitation', locale, { code: 'ABCD-1234' });
      // The form shown again after an error too.
      const again = await postForm(t, `/s/${SLUG}?lang=${locale}`, { speak_freely: '9' });
      expect(again.statusCode).toBe(400);
      check(again.body, `/s/${SLUG}`, locale);
    }
  });
});
