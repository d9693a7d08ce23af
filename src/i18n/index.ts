/** i18next set-up over locales/{en,es,fr}/*.json, and the language negotiation of §4. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';

export const LOCALES = ['en', 'es', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
const DEFAULT_LOCALE: Locale = 'en';

export const LOCALES_FOLDER = fileURLToPath(new URL('../../locales', import.meta.url));

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Reads every locales/<lang>/<namespace>.json file into an i18next resource object. */
export function loadResources(folder: string = LOCALES_FOLDER): Resource {
  const resources: Resource = {};
  for (const locale of LOCALES) {
    const dir = join(folder, locale);
    const namespaces: Resource[string] = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      namespaces[basename(file, '.json')] = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    }
    resources[locale] = namespaces;
  }
  return resources;
}

/** A fresh, synchronously initialised i18next instance (one per app, never a global). */
export function createI18n(resources: Resource = loadResources()): i18n {
  const instance = i18next.createInstance();
  const namespaces = Object.keys(resources[DEFAULT_LOCALE] ?? {});
  void instance.init({
    resources,
    lng: DEFAULT_LOCALE,
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    ns: namespaces,
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    // Templates escape on output; escaping here too would show "&amp;" to partners.
    interpolation: { escapeValue: false },
  });
  return instance;
}

export type Translate = TFunction;

/**
 * Picks the reader's language: `?lang=` wins, then the Accept-Language header (by quality,
 * primary subtag: "fr-CA" means French), then English.
 */
export function negotiateLocale(queryLang: unknown, acceptLanguage: string | undefined): Locale {
  const asked = typeof queryLang === 'string' ? queryLang.trim().toLowerCase() : undefined;
  if (isLocale(asked)) return asked;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        const quality = q ? Number(q.slice(2)) : 1;
        return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
      })
      .filter((r) => r.quality > 0 && r.tag !== '')
      .sort((a, b) => b.quality - a.quality || a.index - b.index);
    for (const { tag } of ranked) {
      const primary = tag.split('-')[0];
      if (isLocale(primary)) return primary;
    }
  }
  return DEFAULT_LOCALE;
}
