/**
 * README.md's numbered choices (readings where SPEC was silent or ambiguous) and the code that
 * implements them cite each other: every `README choice N` in src/ names a choice the README has,
 * and every choice is cited somewhere in src/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const HEADING = '### Choices where the specification was silent';

/** The choices' numbers, as listed in the README's section (items "N. **Title.** …"). */
function readmeChoices(): number[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(HEADING);
  if (start < 0) throw new Error(`README.md has no "${HEADING}" section`);
  const rest = readme.slice(start + HEADING.length);
  const end = rest.search(/^#{1,3} /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^ {0,3}(\d+)\. \*\*/gm)].map((m) => Number(m[1]));
}

/** Every citation in src/, as "file: N". */
function citations(): { file: string; n: number }[] {
  const found: { file: string; n: number }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/README,?\s+choice\s+(\d+)/gi)) found.push({ file: path.slice(root.length + 1), n: Number(m[1]) });
      }
    }
  };
  walk(join(root, 'src'));
  return found;
}

/**
 * Choices whose code does not cite them yet, with where it lives. This list only shrinks: once
 * the code cites a choice, the test asks for its removal here.
 */
const NOT_YET_CITED = new Map<number, string>([]);

describe('README choices and the code that implements them', () => {
  const numbers = readmeChoices();
  const cited = citations();

  it('numbers the choices 1, 2, 3 … once each', () => {
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('cites only choices the README has', () => {
    const dangling = cited.filter(({ n }) => !numbers.includes(n)).map(({ file, n }) => `${file}: README choice ${n}`);
    expect(dangling).toEqual([]);
  });

  it('cites every choice somewhere in src/', () => {
    const citedNumbers = new Set(cited.map(({ n }) => n));
    const uncited = numbers.filter((n) => !citedNumbers.has(n) && !NOT_YET_CITED.has(n));
    expect(uncited).toEqual([]);
    // A choice now cited, or one the README no longer has, leaves the list of exceptions.
    expect([...NOT_YET_CITED.keys()].filter((n) => citedNumbers.has(n) || !numbers.includes(n))).toEqual([]);
  });

  it('cites the disclosure choices implemented by the rules from rules.ts', () => {
    const inRules = new Set(cited.filter(({ file }) => file === join('src', 'releases', 'rules.ts')).map(({ n }) => n));
    expect([1, 2, 3, 4, 5, 9].filter((n) => !inRules.has(n))).toEqual([]);
  });
});
