/**
 * Theme suggestions (§8): a theme is suggested for a comment when one of its keywords appears in
 * it, compared on Snowball word stems ("reports" finds "reporting", "traducción" finds
 * "traducciones") and without regard to accents or case. A comment's language is not stored, so
 * each language's keywords are matched with that language's stemmer.
 *
 * Accents are removed *before* stemming, so that a word typed without its accents ("evaluacion",
 * "acces") stems like the accented one: the match depends only on the letters, never on accents.
 */
import snowball from 'snowball-stemmers';
import { LOCALES, type Locale } from '../i18n/index.js';

const STEMMERS: Record<Locale, snowball.Stemmer> = {
  en: snowball.newStemmer('english'),
  es: snowball.newStemmer('spanish'),
  fr: snowball.newStemmer('french'),
};

// Accents off, and the ligatures of French spelled out ("cœur" and "coeur" are one word).
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/œ/g, 'oe').replace(/Œ/g, 'OE').replace(/æ/g, 'ae').replace(/Æ/g, 'AE');

/**
 * The Spanish stemmer only knows the suffixes -ación, -ución, -ición with their accent; on a folded
 * word it is put back, so that "evaluacion" and "evaluación" both stem like "evaluaciones".
 */
const BEFORE_STEMMING: Record<Locale, (word: string) => string> = {
  en: (w) => w,
  es: (w) => w.replace(/cion$/, 'ción'),
  fr: (w) => w,
};

/**
 * Stems this short are where a stemmer over-reaches ("délai" → "del", which is also the
 * commonest Spanish word): such keywords match only the word itself and its plural.
 */
const MIN_STEM = 4;

/** Lower-case, accent-free words of a text; apostrophes split French elisions ("l'interprétation"). */
function words(text: string): string[] {
  return fold(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** The accent-free stems of a text's words in one language. */
function stems(text: string, locale: Locale): string[] {
  return words(text).map((w) => stemOf(w, locale));
}

function stemOf(word: string, locale: Locale): string {
  return fold(STEMMERS[locale].stem(BEFORE_STEMMING[locale](word)));
}

/** A folded word and its singular forms, for keywords whose stem is too short to trust. */
function plainForms(word: string): string[] {
  return [word, word.replace(/s$/, ''), word.replace(/es$/, ''), word.replace(/x$/, '')];
}

interface Term {
  word: string;
  stem: string;
}

const terms = (text: string, locale: Locale): Term[] => words(text).map((word) => ({ word, stem: stemOf(word, locale) }));

function sameTerm(keyword: Term, found: Term): boolean {
  if (keyword.stem.length >= MIN_STEM) return keyword.stem === found.stem;
  const forms = plainForms(keyword.word);
  return plainForms(found.word).some((f) => forms.includes(f));
}

export interface ThemeKeywords {
  id: number;
  keywords: Record<Locale, string[]>;
}

function containsSequence(haystack: Term[], needle: Term[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (!sameTerm(needle[j]!, haystack[i + j]!)) continue outer;
    return true;
  }
  return false;
}

/** Ids of the themes whose keywords (single words or phrases) appear in the text. */
export function suggestThemes(text: string, themes: readonly ThemeKeywords[]): number[] {
  // README choice 12: a comment's language is not stored, so all three stemmers are used.
  const textTerms = Object.fromEntries(LOCALES.map((l) => [l, terms(text, l)])) as Record<Locale, Term[]>;
  return themes
    .filter((theme) => LOCALES.some((l) => (theme.keywords[l] ?? []).some((kw) => containsSequence(textTerms[l], terms(kw, l)))))
    .map((theme) => theme.id);
}
