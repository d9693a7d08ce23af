/**
 * Theme suggestions (§8): a theme is suggested for a comment when one of its keywords appears in
 * it, compared on Snowball word stems ("reports" finds "reporting", "traducción" finds
 * "traducciones") and without regard to accents or case. A comment's language is not stored, so
 * each language's keywords are matched with that language's stemmer.
 */
import snowball from 'snowball-stemmers';
import { LOCALES, type Locale } from '../i18n/index.js';

const STEMMERS: Record<Locale, snowball.Stemmer> = {
  en: snowball.newStemmer('english'),
  es: snowball.newStemmer('spanish'),
  fr: snowball.newStemmer('french'),
};

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

/** Lower-case words of a text; apostrophes split French elisions ("l'interprétation"). */
export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** The accent-free stems of a text's words in one language. */
export function stems(text: string, locale: Locale): string[] {
  const stemmer = STEMMERS[locale];
  return words(text).map((w) => fold(stemmer.stem(w)));
}

export interface ThemeKeywords {
  id: number;
  keywords: Record<Locale, string[]>;
}

function containsSequence(haystack: string[], needle: string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Ids of the themes whose keywords (single words or phrases) appear in the text. */
export function suggestThemes(text: string, themes: readonly ThemeKeywords[]): number[] {
  const textStems = Object.fromEntries(LOCALES.map((l) => [l, stems(text, l)])) as Record<Locale, string[]>;
  return themes
    .filter((theme) => LOCALES.some((l) => (theme.keywords[l] ?? []).some((kw) => containsSequence(textStems[l], stems(kw, l)))))
    .map((theme) => theme.id);
}
