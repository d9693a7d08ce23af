/** The one table of refusals (src/web/errors.ts): every code has a status and a message in each language, and nothing else is translated as an error. */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { ERRORS } from '../../src/web/errors.js';

const i18n = createI18n();

describe('the table of refusals', () => {
  it('gives every code a client or server error status, and nothing but the codes', () => {
    expect(Object.keys(ERRORS).sort()).toEqual([...ERROR_CODES].sort());
    for (const [code, { status }] of Object.entries(ERRORS)) expect(status >= 400 && status < 600, code).toBe(true);
  });

  it('shows in place only refusals a reader can correct on the form they sent (never a server error, nor who they are)', () => {
    for (const [code, meaning] of Object.entries(ERRORS)) {
      if (meaning.inPlace) expect([400, 403, 409], code).toContain(meaning.status);
    }
    for (const code of ['unauthorized', 'forbidden', 'csrf_invalid', 'internal', 'closing', 'rate_limited'] as const) expect(ERRORS[code].inPlace, code).toBeUndefined();
  });

  it('has a message and a title for every code in every language, and no message for a code that does not exist', () => {
    for (const locale of LOCALES) {
      const bundle = i18n.getResourceBundle(locale, 'errors') as Record<string, string>;
      for (const [code, { status }] of Object.entries(ERRORS)) {
        expect(bundle[code], `${locale} errors:${code}`).toMatch(/\S/);
        expect(bundle[`title_${status}`], `${locale} errors:title_${status}`).toMatch(/\S/);
      }
      const orphans = Object.keys(bundle).filter((key) => !key.startsWith('title_') && !(key in ERRORS));
      expect(orphans, locale).toEqual([]);
    }
  });
});
