/**
 * Every language holds equal value (§1): the same keys in en, es and fr (with the plural forms
 * each language needs), no empty or untranslated strings, and every key the code uses exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, LOCALES_FOLDER, loadResources } from '../../src/i18n/index.js';
import { parseDefinition } from '../../src/surveys/definition.js';
import { LIKERT_POINTS } from '../../src/surveys/definition.js';
import { resolveDefinition } from '../../src/surveys/definition.js';
import { validateAnswers } from '../../src/responses/validate.js';
import { sampleSurvey } from '../helpers.js';
import { ERROR_CODES } from '../../src/errors.js';
import { ERRORS } from '../../src/web/errors.js';

const ROOT = join(LOCALES_FOLDER, '..');
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Tree = { [key: string]: string | Tree };
const resources = loadResources() as unknown as Record<string, Record<string, Tree>>;

/** "ns:a.b.c" → value, for every leaf of every namespace of a language. */
function leaves(locale: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, prefix.endsWith(':') ? `${prefix}${k}` : `${prefix}.${k}`);
    } else out.set(prefix, node);
  };
  for (const [ns, tree] of Object.entries(resources[locale]!)) walk(tree, `${ns}:`);
  return out;
}
const keysOf = Object.fromEntries(LOCALES.map((l) => [l, leaves(l)])) as Record<string, Map<string, unknown>>;

/** Keys with an "_other" form in some language are plural families (too_many or choose_one alone are not). */
const PLURAL_BASES = new Set(LOCALES.flatMap((l) => [...keysOf[l]!.keys()].filter((k) => k.endsWith('_other')).map((k) => k.slice(0, -'_other'.length))));

/** The key as looked up: "ns:x_one" → "ns:x" for plural families, otherwise unchanged. */
function baseKey(key: string): string {
  const base = key.replace(PLURAL_SUFFIX, '');
  return base !== key && PLURAL_BASES.has(base) ? base : key;
}

/** Whether `key` can be looked up in this language: plain or as a plural family. */
function resolvable(locale: string, key: string): boolean {
  const map = keysOf[locale]!;
  if (map.has(key)) return true;
  return PLURAL_BASES.has(key) && map.has(`${key}_other`);
}

/** Whether `ns:prefix` names an object of keys in this language. */
function isBranch(locale: string, key: string): boolean {
  return [...keysOf[locale]!.keys()].some((k) => k.startsWith(`${key}.`));
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]!).sort();

describe('locale files', () => {
  it('exist as the same namespaces in every language', () => {
    const files = (l: string) => readdirSync(join(LOCALES_FOLDER, l)).filter((f) => f.endsWith('.json')).sort();
    expect(files('en').length).toBeGreaterThanOrEqual(4);
    for (const l of LOCALES) expect(files(l), l).toEqual(files('en'));
  });

  it('hold every key of every language in the other two (plural forms aside)', () => {
    const missing: string[] = [];
    for (const from of LOCALES) {
      for (const key of keysOf[from]!.keys()) {
        for (const to of LOCALES) if (!resolvable(to, baseKey(key))) missing.push(`${to} lacks ${key} (from ${from})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('give each plural key every form Intl.PluralRules needs in that language', () => {
    const problems: string[] = [];
    expect(PLURAL_BASES.size).toBeGreaterThan(0);
    for (const base of PLURAL_BASES) {
      for (const l of LOCALES) {
        for (const category of new Intl.PluralRules(l).resolvedOptions().pluralCategories) {
          if (!keysOf[l]!.has(`${base}_${category}`)) problems.push(`${l} lacks ${base}_${category}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // And i18next picks them: a count that needs "many" in French and Spanish reads as plural.
    const i18n = createI18n();
    for (const l of LOCALES) {
      for (const count of [1, 2, 1_000_000]) {
        const out = i18n.getFixedT(l)('form:error_summary', { count });
        expect(out, `${l} ${count}`).not.toContain('error_summary');
        expect(out).toContain(String(count));
      }
    }
  });

  it('have no empty strings and only strings at their leaves', () => {
    for (const l of LOCALES) {
      for (const [key, value] of keysOf[l]!) {
        expect(typeof value, `${l} ${key}`).toBe('string');
        expect((value as string).trim(), `${l} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in every language', () => {
    const mismatches: string[] = [];
    for (const [key, en] of keysOf.en!) {
      for (const l of ['es', 'fr']) {
        const other = keysOf[l]!.get(key) ?? keysOf[l]!.get(key.replace(/_one$/, '_other'));
        if (typeof other !== 'string' || typeof en !== 'string') continue;
        // "one" forms may spell the number out instead of using {{count}}.
        const strip = (p: string[]) => (key.endsWith('_one') ? p.filter((x) => x !== 'count') : p);
        if (JSON.stringify(strip(placeholders(other))) !== JSON.stringify(strip(placeholders(en)))) mismatches.push(`${l} ${key}: ${other}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('are translated: Spanish and French differ from English, except names and true cognates', () => {
    // Words spelled the same in English and the other language, and names that are never translated.
    const SAME: Record<string, string[]> = {
      es: ['Error:', 'Total', 'General', 'Original', 'Original:', 'No', 'Candor'],
      fr: ['Question', 'Questions', 'Questions ({{count}})', 'Total', 'Note', 'Options', 'Code', 'Candor'],
    };
    const untranslated: string[] = [];
    for (const [key, en] of keysOf.en!) {
      if (/^common:language_name\./.test(key)) continue;
      for (const l of ['es', 'fr']) {
        const other = keysOf[l]!.get(key);
        if (other !== en) continue;
        const words = String(en).replace(/\{\{[^}]*\}\}/g, '').trim();
        // A template of placeholders only, or a machine name (CSV column ids), has nothing to translate.
        if (!/\p{L}/u.test(words) || /^[a-z0-9_]+$/.test(words)) continue;
        if (SAME[l]!.includes(String(en))) continue;
        untranslated.push(`${l} ${key}: ${String(en)}`);
      }
    }
    expect(untranslated).toEqual([]);
  });

  it('name each language in that language, the same in every file', () => {
    for (const l of LOCALES) {
      expect(keysOf[l]!.get('common:language_name.en')).toBe('English');
      expect(keysOf[l]!.get('common:language_name.es')).toBe('Español');
      expect(keysOf[l]!.get('common:language_name.fr')).toBe('Français');
    }
  });
});

// ---- the keys the code uses ---------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}
const SOURCES = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'scripts'))].map((path) => ({ path: relative(ROOT, path), code: readFileSync(path, 'utf8') }));

/** Every t('…'), t("…") and t(`…`) call: the literal key, or a template with ${…}. */
function translationCalls(): { file: string; key: string; dynamic: boolean }[] {
  const calls: { file: string; key: string; dynamic: boolean }[] = [];
  for (const { path, code } of SOURCES) {
    for (const m of code.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) calls.push({ file: path, key: m[2]!, dynamic: false });
    for (const m of code.matchAll(/\bt\(\s*`([^`]+)`/g)) calls.push({ file: path, key: m[1]!, dynamic: m[1]!.includes('${') });
  }
  return calls;
}

const withNamespace = (key: string) => (key.includes(':') ? key : `common:${key}`);

/** Codes the source can produce, found by the shapes that produce them. */
function producedCodes(): { errors: Set<string>; problems: Set<string> } {
  // Every code of the one list (src/errors.ts), and those the source names (which must be in it).
  const errors = new Set<string>(ERROR_CODES);
  const problems = new Set<string>(['invalid']); // the default of custom issues
  for (const { path, code } of SOURCES) {
    for (const m of code.matchAll(/CandorError\(\s*'([a-z0-9_]+)'/g)) errors.add(m[1]!);
    for (const m of code.matchAll(/\b(?:notFound|conflict|invalid)\(\s*'([a-z0-9_]+)'/g)) errors.add(m[1]!);
    // A schema's refusal code (validation.ts's registry) is an error code; `code: 'custom'` is zod's kind of issue.
    for (const m of code.matchAll(/refusals\.add\([^,]+,\s*\{\s*code:\s*'([a-z0-9_]+)'/g)) errors.add(m[1]!);
    for (const m of code.matchAll(/\bcode:\s*'([a-z0-9_]+)'/g)) if (m[1] !== 'custom' && !errors.has(m[1]!)) problems.add(m[1]!);
    for (const m of code.matchAll(/\bproblem\(\s*q\s*,\s*'([a-z0-9_]+)'/g)) problems.add(m[1]!);
    if (path.endsWith('src/validation.ts')) {
      // The tables of problem codes named after a field: `{ slug: 'invalid_slug', … }`.
      for (const m of code.matchAll(/const (?:FORMAT_CODES|MISPLACED_KEYS)[^=]*=\s*\{([^}]*)\}/g)) for (const lit of m[1]!.matchAll(/:\s*'([a-z0-9_]+)'/g)) problems.add(lit[1]!);
      expect(problems.has('invalid_slug') && problems.has('options_not_allowed')).toBe(true);
      // The mapping from zod issues to problem codes: `code = … ? 'a' : 'b'` and `code: isX ? 'a' : 'b'`.
      for (const m of code.matchAll(/(?:code\s*=|code:)([^;\n]*(?:\n\s*[?:][^;\n]*)*)/g)) {
        for (const lit of m[1]!.matchAll(/'([a-z0-9_]+)'/g)) if (!['options', 'min', 'max', 'maxLength', 'slug', 'id', 'value', 'closesAt', 'type', 'string', 'array'].includes(lit[1]!)) problems.add(lit[1]!);
      }
    }
  }
  return { errors, problems };
}

describe('keys used by the code', () => {
  it('finds the translation calls it is checking (the scan itself works)', () => {
    const calls = translationCalls();
    expect(calls.filter((c) => !c.dynamic).length).toBeGreaterThan(30);
    expect(calls.some((c) => c.key === 'form:submit')).toBe(true);
    expect(calls.some((c) => c.dynamic && c.key.startsWith('errors:'))).toBe(true);
  });

  it('exist in all three languages when written literally', () => {
    const missing: string[] = [];
    for (const { file, key, dynamic } of translationCalls()) {
      if (dynamic) continue;
      const full = withNamespace(key);
      for (const l of LOCALES) if (!resolvable(l, full)) missing.push(`${l} lacks ${full} (used in ${file})`);
    }
    expect(missing).toEqual([]);
  });

  it('exist for every error and problem code the code can produce', () => {
    const { errors, problems } = producedCodes();
    expect(errors.size).toBeGreaterThan(15);
    // A code the source throws that the table of web/errors.ts does not know would have no status.
    expect([...errors].filter((code) => !(code in ERRORS))).toEqual([]);
    expect(problems.size).toBeGreaterThan(25);
    const missing: string[] = [];
    for (const l of LOCALES) {
      for (const code of errors) if (!resolvable(l, `errors:${code}`)) missing.push(`${l} lacks errors:${code}`);
      for (const code of problems) if (!resolvable(l, `problems:${code}`)) missing.push(`${l} lacks problems:${code}`);
      for (const status of new Set(Object.values(ERRORS).map((e) => e.status))) if (!resolvable(l, `errors:title_${status}`)) missing.push(`${l} lacks errors:title_${status}`);
      for (const point of LIKERT_POINTS) if (!resolvable(l, `form:likert.${point}`)) missing.push(`${l} lacks form:likert.${point}`);
      for (const other of LOCALES) if (!resolvable(l, `common:language_name.${other}`)) missing.push(`${l} lacks common:language_name.${other}`);
    }
    expect(missing).toEqual([]);
  });

  it('exist, for keys built at run time, as a group of keys in every language', () => {
    const missing: string[] = [];
    for (const { file, key, dynamic } of translationCalls()) {
      if (!dynamic) continue;
      const full = withNamespace(key);
      const stem = full.slice(0, full.indexOf('${'));
      for (const l of LOCALES) {
        const ok = stem.endsWith(':') ? Object.keys(resources[l]![stem.slice(0, -1)] ?? {}).length > 0 : stem.endsWith('.') ? isBranch(l, stem.slice(0, -1)) : [...keysOf[l]!.keys()].some((k) => k.startsWith(stem));
        if (!ok) missing.push(`${l} has nothing under ${stem} (used as ${full} in ${file})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('translate every problem the definition checks can report, whatever the input (property)', () => {
    const i18n = createI18n();
    const damaged = fc.oneof(
      fc.anything(),
      fc.record({ slug: fc.anything(), title: fc.anything(), questions: fc.array(fc.anything(), { maxLength: 3 }), minGroupSize: fc.anything(), closesAt: fc.anything() }, { requiredKeys: [] }),
      fc.constantFrom(...sampleSurvey().questions).chain((q) =>
        fc.record({ key: fc.constantFrom('type', 'id', 'prompt', 'options', 'min', 'max', 'maxLength', 'grouping', 'required', 'help', 'extra'), value: fc.anything() }).map(({ key, value }) => ({ ...sampleSurvey(), questions: [{ ...q, [key]: value }] })),
      ),
    );
    fc.assert(
      fc.property(damaged, (input) => {
        const r = parseDefinition(input, { minGroupSize: 5, minDiversity: 1 });
        if (r.ok) return;
        for (const p of r.problems) {
          for (const l of LOCALES) {
            expect(resolvable(l, `problems:${p.code}`), `${l} problems:${p.code}`).toBe(true);
            // Every placeholder of the message gets a value.
            for (const name of placeholders(String(keysOf[l]!.get(`problems:${p.code}`)))) expect(Object.keys(p.params ?? {}), `${l} problems:${p.code}`).toContain(name);
            expect(i18n.getFixedT(l)(`problems:${p.code}`, p.params ?? {})).not.toContain('problems:');
          }
        }
      }),
      { numRuns: 400 },
    );
    const def = resolveDefinition(sampleSurvey(), { minGroupSize: 5, minDiversity: 1 });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('region', 'speak_freely', 'activities', 'usefulness', 'suggestions', 'other'), fc.anything())), (input) => {
        const r = validateAnswers(def, input, 'json');
        if (r.ok) return;
        for (const p of r.problems) {
          for (const l of LOCALES) {
            expect(resolvable(l, `problems:${p.code}`), `${l} problems:${p.code}`).toBe(true);
            for (const name of placeholders(String(keysOf[l]!.get(`problems:${p.code}`)))) expect(Object.keys(p.params ?? {}), `${l} problems:${p.code}`).toContain(name);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
