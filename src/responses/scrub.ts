/**
 * Scrubs free text before it is stored (§8): e-mail addresses, links, phone numbers and every
 * deny-list term become [email], [link], [phone], [name]. Links and e-mails are found with
 * linkify-it, phone numbers are confirmed with libphonenumber-js against the numbering plans of
 * the partners' countries, and deny-list terms match whatever their case or accents.
 */
import LinkifyIt from 'linkify-it';
import { isValidPhoneNumber, type CountryCode } from 'libphonenumber-js/max';

/**
 * Countries whose national formats are recognised without a "+": the English-, Spanish- and
 * French-speaking countries the programme's partners work in. International numbers ("+…",
 * "00…") are recognised whatever the country.
 */
export const PHONE_COUNTRIES: readonly CountryCode[] = [
  'US', 'CA', 'GB', 'IE', 'KE', 'NG', 'GH', 'UG', 'TZ', 'ZA', 'ZM', 'ZW', 'MW', 'IN', 'PH', 'BD',
  'ES', 'MX', 'GT', 'HN', 'SV', 'NI', 'CR', 'PA', 'CO', 'VE', 'EC', 'PE', 'BO', 'CL', 'AR', 'UY', 'PY', 'DO', 'CU',
  'FR', 'BE', 'CH', 'LU', 'SN', 'CI', 'ML', 'BF', 'NE', 'TG', 'BJ', 'CM', 'CD', 'CG', 'GA', 'MG', 'HT', 'RW', 'BI',
  'GN', 'TD', 'MA', 'TN', 'DZ', 'MR', 'CF',
];

const PLACEHOLDERS = { email: '[email]', link: '[link]', phone: '[phone]', name: '[name]' } as const;

interface Span {
  start: number;
  end: number;
  replacement: string;
}

// Unicode local parts and domains ("maría@fundación.org"), which linkify-it's fuzzy e-mail skips.
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// A run of digits with the separators phone numbers are written with, on one line; "(+57)" counts.
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+(])(?:\(\+\d{1,4}\)|\+|00)?[ \t\u00a0]*(?:\(\d{1,5}\)[ \t\u00a0.-]*)?\d[\d \t\u00a0().-]{5,24}\d(?![\p{L}\p{N}])/gu;
const YEAR_RANGE = /^(?:19|20)\d\d[ \t\u00a0]*[-–][ \t\u00a0]*(?:19|20)?\d\d$/;
// Dates ("15.12.2026", "2026-12-15") are not phone numbers.
const DATE = /^(?:\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d\d|(?:19|20)\d\d-\d{1,2}-\d{1,2})$/;

function looksLikePhone(candidate: string): boolean {
  const trimmed = candidate.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15 || YEAR_RANGE.test(trimmed) || DATE.test(trimmed)) return false;
  if (trimmed.startsWith('+') || trimmed.startsWith('(+') || trimmed.startsWith('00')) return true;
  return PHONE_COUNTRIES.some((country) => isValidPhoneNumber(trimmed, country));
}

/** Folds case and accents one code point at a time, keeping where each folded char came from. */
function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const ch of text) {
    const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let i = 0; i < f.length; i++) origin.push(index);
    folded += f;
    index += ch.length;
  }
  origin.push(index);
  return { folded, origin };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function termsPattern(terms: readonly string[]): RegExp | undefined {
  const folded = [...new Set(terms.map((t) => fold(t.trim()).folded).filter((t) => t.length > 0))];
  if (folded.length === 0) return undefined;
  // Longest first, so "Fundación Sol Naciente" wins over "Fundación Sol"; any run of spaces matches a space.
  folded.sort((a, b) => b.length - a.length);
  const alternatives = folded.map((t) => escapeRegExp(t).replace(/\s+/g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}

function applySpans(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue; // inside an earlier replacement
    out += text.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  return out + text.slice(at);
}

export type Scrubber = (text: string) => string;

export function createScrubber(terms: readonly string[] = []): Scrubber {
  const linkify = new LinkifyIt();
  const names = termsPattern(terms);

  return function scrub(input: string): string {
    // 1. E-mail addresses and links.
    const spans: Span[] = [];
    for (const m of input.matchAll(EMAIL)) spans.push({ start: m.index, end: m.index + m[0].length, replacement: PLACEHOLDERS.email });
    for (const m of linkify.match(input) ?? []) {
      const replacement = m.schema === 'mailto:' || (m.schema === '' && m.raw.includes('@')) ? PLACEHOLDERS.email : PLACEHOLDERS.link;
      spans.push({ start: m.index, end: m.lastIndex, replacement });
    }
    let text = applySpans(input, spans);

    // 2. Phone numbers: only texts with enough digits are worth the numbering-plan checks.
    if (/(?:\d\D{0,3}){8}/.test(text)) {
      const phones: Span[] = [];
      for (const m of text.matchAll(PHONE_CANDIDATE)) {
        if (looksLikePhone(m[0])) {
          const lead = m[0].length - m[0].trimStart().length;
          phones.push({ start: m.index + lead, end: m.index + m[0].trimEnd().length, replacement: PLACEHOLDERS.phone });
        }
      }
      text = applySpans(text, phones);
    }

    // 3. Deny-list terms, whatever their case or accents.
    if (names) {
      const { folded, origin } = fold(text);
      const found: Span[] = [];
      for (const m of folded.matchAll(names)) {
        found.push({ start: origin[m.index]!, end: origin[m.index + m[0].length]!, replacement: PLACEHOLDERS.name });
      }
      text = applySpans(text, found);
    }
    return text;
  };
}
