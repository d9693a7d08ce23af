/**
 * The sample surveys of `npm run demo` (scripts/samples): valid definitions whose Spanish and French
 * are typeset as a native reader expects — the typographic apostrophe, the Working Group as the
 * glossary writes it, and no line break inside "travaille-t-elle" or "(0 = nada" on a phone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../../src/surveys/definition.js';

const FOLDER = fileURLToPath(new URL('../../scripts/samples', import.meta.url));
const SAMPLES = readdirSync(FOLDER).filter((f) => f.endsWith('.json'));

/** Every text of a definition in one language, with its JSON path. */
function texts(node: unknown, lang: string, path = '$'): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((v, i) => texts(v, lang, `${path}[${i}]`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === lang && typeof v === 'string' ? [[`${path}.${k}`, v] as [string, string]] : texts(v, lang, `${path}.${k}`)));
}

describe('the sample surveys', () => {
  it('exist', () => {
    expect(SAMPLES).toContain('learning-programme-2026.json');
  });

  for (const file of SAMPLES) {
    const definition = JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as unknown;

    it(`${file} is a valid definition`, () => {
      const parsed = parseDefinition(definition, { minGroupSize: 5, minDiversity: 1 });
      expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    });

    it(`${file} writes its Spanish and French as they are typeset`, () => {
      const problems: string[] = [];
      for (const lang of ['es', 'fr']) {
        for (const [path, text] of texts(definition, lang)) {
          if (text.includes("'")) problems.push(`${path}: a straight apostrophe (use ’): ${text}`);
          // A scale's ends ("0 = nada"): the number never ends a line alone.
          if (/\d =/.test(text)) problems.push(`${path}: a breaking space between a number and "=" (use U+00A0): ${text}`);
        }
      }
      for (const [path, text] of texts(definition, 'fr')) {
        if (/groupe de travail/.test(text)) problems.push(`${path}: "Groupe de travail" takes a capital G: ${text}`);
        // "travaille-t-elle", "a-t-il": no line break at the hyphens of the euphonic t.
        if (/-t-/.test(text)) problems.push(`${path}: "-t-" with breaking hyphens (use U+2011): ${text}`);
      }
      for (const [path, text] of texts(definition, 'es')) {
        if (/grupo de trabajo/.test(text)) problems.push(`${path}: "Grupo de Trabajo" is capitalised: ${text}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
