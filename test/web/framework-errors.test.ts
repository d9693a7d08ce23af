/**
 * Refusals Fastify makes before any route runs — a bad percent-encoding (400), an address part
 * longer than the router takes (414) — answer like every other error (issue 10, defect 2): a
 * translated page outside /api, translated JSON under it, with the security headers.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { makeApp } from '../helpers.js';

const i18n = createI18n();
const tr = (locale: string, key: string) => i18n.getFixedT(locale)(key);
const escaped = (s: string) => s.replaceAll('&', '&amp;').replaceAll("'", '&#x27;').replaceAll('"', '&quot;');

const CASES = [
  { name: 'a bad percent-encoding', path: '/s/%E0%A4%A', api: '/api/surveys/%E0%A4%A/results', status: 400, code: 'bad_url' },
  { name: 'an over-long slug', path: `/s/${'a'.repeat(200)}`, api: `/api/surveys/${'a'.repeat(200)}/results`, status: 414, code: 'url_too_long' },
] as const;

describe('refusals before routing', () => {
  for (const c of CASES) {
    it(`${c.name}: a page in the reader's language, JSON under /api`, async () => {
      const t = await makeApp();
      for (const locale of LOCALES) {
        const page = await t.app.inject({ url: `${c.path}?lang=${locale}` });
        expect(page.statusCode).toBe(c.status);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.body).toContain(`<html lang="${locale}"`);
        expect(page.body).toContain(escaped(tr(locale, `errors:${c.code}`)));
        expect(page.body).toContain(escaped(tr(locale, `errors:title_${c.status}`)));
        expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.body).not.toContain('FST_ERR');

        const json = await t.app.inject({ url: c.api, headers: { 'accept-language': `${locale};q=1` } });
        expect(json.statusCode).toBe(c.status);
        expect(json.json()).toEqual({ statusCode: c.status, error: c.code, message: tr(locale, `errors:${c.code}`) });
      }
    });
  }
});
