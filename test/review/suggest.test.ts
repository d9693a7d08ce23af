/**
 * Theme suggestions (§8): keywords suggest a theme when they appear in a comment, matched on word
 * stems in English, Spanish and French, whatever the case and whatever the accents. Examples for
 * the plural forms and accents partners actually type, and properties (fast-check) for the rest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../src/i18n/index.js';
import { suggestThemes, type ThemeKeywords } from '../../src/review/suggest.js';

const none = { en: [], es: [], fr: [] } satisfies Record<Locale, string[]>;
const theme = (id: number, keywords: Partial<Record<Locale, string[]>>): ThemeKeywords => ({ id, keywords: { ...none, ...keywords } });
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

describe('examples in each language', () => {
  const themes = [
    theme(1, { en: ['report'], es: ['informe'], fr: ['rapport'] }),
    theme(2, { es: ['traducción'], fr: ['traduction'], en: ['translation'] }),
    theme(3, { fr: ['délai'], es: ['retraso'], en: ['delay'] }),
    theme(4, { en: ['peer exchange'], es: ['intercambio entre pares'], fr: ['échange entre pairs'] }),
    theme(5, { es: ['evaluación'], fr: ['évaluation'], en: ['evaluation'] }),
  ];
  const cases: [Locale, string, number[]][] = [
    // English: inflections found from the keyword's stem.
    ['en', 'The reporting takes far too long.', [1]],
    ['en', 'Three REPORTS a year is too many.', [1]],
    ['en', 'We reported twice.', [1]],
    ['en', 'Translations arrive late; more delays every quarter.', [2, 3]],
    ['en', 'More peer exchanges, please.', [4]],
    // Spanish: plurals, capitals and accents, with and without.
    ['es', 'Las traducciones llegan tarde.', [2]],
    ['es', 'LAS TRADUCCIONES LLEGAN TARDE.', [2]],
    ['es', 'la traduccion (sin tilde) es mala', [2]],
    ['es', 'Los retrasos en los informes.', [1, 3]],
    ['es', 'Las evaluaciones son útiles.', [5]],
    ['es', 'la evaluacion fue util', [5]],
    ['es', 'Más intercambios entre pares.', [4]],
    // French: plurals, capitals, elision and accents.
    ['fr', 'Les DELAIS sont trop courts.', [3]],
    ['fr', 'les délais de paiement', [3]],
    ['fr', "L'évaluation des rapports", [1, 5]],
    ['fr', 'les evaluations (sans accents) et la traduction', [2, 5]],
    ['fr', 'Plus d’échanges entre pairs.', [4]],
  ];
  for (const [locale, text, expected] of cases) {
    it(`${locale}: “${text}” → ${JSON.stringify(expected)}`, () => {
      expect(suggestThemes(text, themes)).toEqual(expected);
    });
  }

  it('suggests nothing for a text without any keyword, and for unrelated words that merely share letters', () => {
    expect(suggestThemes('Everything worked well this year.', themes)).toEqual([]);
    expect(suggestThemes('We need more support.', themes)).toEqual([]); // "support" is not "report"
    expect(suggestThemes('Peers were great; the exchange rate was not.', themes)).toEqual([]); // the phrase, not its words apart
  });

  it('keeps over-stemmed keywords from matching short words of another language ("délai" is not "del")', () => {
    // The French stemmer cuts "délai" down to "del", the commonest word of Spanish.
    const delay = [theme(3, { fr: ['délai'] })];
    expect(suggestThemes('La calidad del programa es buena.', delay)).toEqual([]);
    expect(suggestThemes('Les délais sont longs.', delay)).toEqual([3]);
    expect(suggestThemes('un délai', delay)).toEqual([3]);
  });

  it('answers theme ids in catalogue order, each at most once, and ignores themes without keywords', () => {
    const catalogue = [theme(9, { en: ['report', 'reporting'], fr: ['rapport'] }), theme(2, {}), theme(4, { en: ['report'] })];
    expect(suggestThemes('report after report, rapports', catalogue)).toEqual([9, 4]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const LETTERS = 'abcdefghijklmnopqrstuvwxyzáàâäçéèêëíìîïñóòôöúùûüÿ'.split('');
/** Real words whose stems depend on their accents in the Snowball rules, with their plurals. */
const REAL_WORDS = [
  'evaluación', 'evaluaciones', 'información', 'comunicaciones', 'tecnología', 'tecnologías', 'día', 'días', 'país', 'países',
  'también', 'además', 'reunión', 'reuniones', 'traducción', 'traducciones', 'compañía', 'política', 'público', 'del', 'año',
  'délai', 'délais', 'accès', 'employé', 'employés', 'activité', 'activités', 'sécurité', 'idée', 'idées', 'année', 'créé',
  'problème', 'réunion', 'équipe', 'intérêt', 'interprétation', 'reporting', 'reports', 'translations', 'delays',
];
const word = fc.oneof(fc.string({ unit: fc.constantFrom(...LETTERS), minLength: 1, maxLength: 12 }), fc.constantFrom(...REAL_WORDS));
const separator = fc.constantFrom(' ', ', ', '. ', ' — ', '\n', "'", ' (', ') ', '; ', '¿', '¡', ' « ', ' » ');
/** Text made of words of the three languages' alphabets and the usual punctuation. */
const text = fc.array(fc.tuple(word, separator), { maxLength: 25 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
const keyword = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
const locale = fc.constantFrom(...LOCALES);
const catalogue = fc
  .array(fc.dictionary(locale, fc.array(keyword, { maxLength: 3 })), { maxLength: 5 })
  .map((list) => list.map((keywords, i) => theme(i + 1, keywords)));

/** Adds an accent to some vowels (and the cedilla, the tilde) according to a mask. */
function accentuate(s: string, mask: boolean[]): string {
  const accents: Record<string, string> = { a: 'á', e: 'é', i: 'î', o: 'ô', u: 'ü', c: 'ç', n: 'ñ', y: 'ÿ', A: 'À', E: 'È', O: 'Ó' };
  return [...s].map((ch, i) => (mask[i % Math.max(1, mask.length)] && accents[ch] ? accents[ch] : ch)).join('');
}

const upper = (s: string) => s.toUpperCase();
const lower = (s: string) => s.toLowerCase();

describe('properties', () => {
  it('changing the case of the text or of the keywords never changes the suggestions', () => {
    fc.assert(
      fc.property(text, catalogue, fc.constantFrom(upper, lower), (t, themes, change) => {
        const expected = suggestThemes(t, themes);
        expect(suggestThemes(change(t), themes)).toEqual(expected);
        const changed = themes.map((th) => theme(th.id, Object.fromEntries(LOCALES.map((l) => [l, th.keywords[l].map(change)]))));
        expect(suggestThemes(t, changed)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('removing or adding accents, in the text or in the keywords, never changes the suggestions', () => {
    fc.assert(
      fc.property(text, catalogue, fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }), (t, themes, mask) => {
        const expected = suggestThemes(fold(t), themes);
        expect(suggestThemes(t, themes)).toEqual(expected);
        expect(suggestThemes(accentuate(fold(t), mask), themes)).toEqual(expected);
        // Keywords typed without their accents, or with accents added, suggest the same.
        const folded = themes.map((th) => theme(th.id, Object.fromEntries(LOCALES.map((l) => [l, th.keywords[l].map(fold)]))));
        const accented = themes.map((th) => theme(th.id, Object.fromEntries(LOCALES.map((l) => [l, th.keywords[l].map((k) => accentuate(fold(k), mask))]))));
        expect(suggestThemes(t, folded)).toEqual(suggestThemes(t, themes));
        expect(suggestThemes(t, accented)).toEqual(suggestThemes(t, themes));
      }),
      { numRuns: 300 },
    );
  });

  it('the composed (NFC) and decomposed (NFD) forms of a text suggest the same', () => {
    fc.assert(
      fc.property(text, catalogue, (t, themes) => {
        expect(suggestThemes(t.normalize('NFD'), themes)).toEqual(suggestThemes(t.normalize('NFC'), themes));
      }),
      { numRuns: 200 },
    );
  });

  it('a keyword always suggests its own theme for a text that contains it, in any language, case or accents', () => {
    fc.assert(
      fc.property(text, keyword, text, locale, fc.constantFrom(upper, lower, fold, (s: string) => s), (before, kw, after, l, change) => {
        const themes = [theme(1, {}), theme(7, { [l]: [kw] })];
        expect(suggestThemes(`${before} ${change(kw)} ${after}`, themes)).toContain(7);
      }),
      { numRuns: 500 },
    );
  });

  it('suggests only themes of the catalogue, in its order, without duplicates', () => {
    fc.assert(
      fc.property(text, catalogue, (t, themes) => {
        const ids = suggestThemes(t, themes);
        expect(new Set(ids).size).toBe(ids.length);
        const order = themes.map((th) => th.id);
        expect(ids).toEqual(order.filter((id) => ids.includes(id)));
        for (const id of ids) expect(themes.find((th) => th.id === id)!.keywords).not.toEqual(none);
      }),
      { numRuns: 200 },
    );
  });

  it('a theme is suggested for a text exactly when one of its keywords alone would suggest it', () => {
    fc.assert(
      fc.property(text, catalogue, (t, themes) => {
        const ids = suggestThemes(t, themes);
        for (const th of themes) {
          const single = LOCALES.flatMap((l) => th.keywords[l].map((kw) => suggestThemes(t, [theme(th.id, { [l]: [kw] })]).length > 0));
          expect(ids.includes(th.id)).toBe(single.some(Boolean));
        }
      }),
      { numRuns: 200 },
    );
  });
});
