/** Labels of questions, answers and groups in the reader's language, shared by the CSV and the page. */
import type { Locale, Translate } from '../i18n/index.js';
import { valuesOf } from '../releases/compute.js';
import type { Marker } from '../releases/content.js';
import { PREFER_NOT_TO_SAY, type Question, type ResolvedDefinition } from '../surveys/definition.js';

export function answerLabel(q: Question, value: string, locale: Locale, t: Translate): string {
  if (value === PREFER_NOT_TO_SAY) return t('form:prefer_not_to_say');
  switch (q.type) {
    case 'single_choice':
    case 'multi_choice':
      return q.options.find((o) => o.value === value)?.label[locale] ?? value;
    case 'likert':
      return `${value} · ${t(`form:likert.${value}`)}`;
    case 'rating':
      return new Intl.NumberFormat(locale).format(Number(value));
    case 'text':
      return value;
  }
}

export function questionById(def: ResolvedDefinition, id: string): Question | undefined {
  return def.questions.find((q) => q.id === id);
}

export const formatters = (locale: Locale) => ({
  count: new Intl.NumberFormat(locale),
  percent: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }),
  mean: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  date: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }),
});

/**
 * A cell's counts in the definition's order. JSON objects list number-like keys first ("0", "1",
 * "2", then "-2", "-1"), so the order is taken from the question, not from the object.
 */
export function orderedCounts<T extends number | Marker>(q: Question, counts: Record<string, T>): [string, T][] {
  return valuesOf(q)
    .filter((v) => Object.hasOwn(counts, v))
    .map((v) => [v, counts[v]!]);
}
