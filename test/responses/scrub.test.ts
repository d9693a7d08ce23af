/** The scrubber (§8): e-mails, links, phone numbers and deny-list terms never reach storage. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { getExampleNumber } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createScrubber, PHONE_COUNTRIES } from '../../src/responses/scrub.js';
import { makeApp, openSurvey, sampleAnswers, submit, tempDir } from '../helpers.js';

const TERMS = ['Fundación Sol Naciente', 'ACME', 'Ouagadougou', 'Amina Diallo', 'Zoë', 'ong-verte.org'];
const scrub = createScrubber(TERMS);

describe('examples in English', () => {
  it.each([
    ['Write to john.doe+work@Example.COM.', 'Write to [email].'],
    ['see https://example.org/path?x=1 and www.partner.org for details', 'see [link] and [link] for details'],
    ['Call me on +1 415 555 2671 or (415) 555-2671 today', 'Call me on [phone] or [phone] today'],
    ['Kenya office: 0712 345678', 'Kenya office: [phone]'],
    ['Amina Diallo from ACME said so', '[name] from [name] said so'],
    ['In 2019-2023 we ran 12 workshops for 1200 people (45%)', 'In 2019-2023 we ran 12 workshops for 1200 people (45%)'],
  ])('%s', (input, expected) => expect(scrub(input)).toBe(expected));
});

describe('examples in Spanish', () => {
  it.each([
    ['Escríbame a maría.lópez@fundación.org por favor', 'Escríbame a [email] por favor'],
    ['consulte example.com/informe y https://ejemplo.mx/a', 'consulte [link] y [link]'],
    ['España: llame al 912 345 678 o al 612 34 56 78', 'España: llame al [phone] o al [phone]'],
    ['o al +34 612 345 678', 'o al [phone]'],
    ['México: 55 1234 5678, +52 55 1234 5678', 'México: [phone], [phone]'],
    ['Colombia: 301 234 5678 / +57 301 2345678, fijo 601 234 5678', 'Colombia: [phone] / [phone], fijo [phone]'],
    ['LA FUNDACION SOL NACIENTE nos ayudó mucho', 'LA [name] nos ayudó mucho'],
    ['la fundación sol   naciente', 'la [name]'],
  ])('%s', (input, expected) => expect(scrub(input)).toBe(expected));
});

describe('examples in French', () => {
  it.each([
    ['Écrivez à françois@exemple.fr ou à contact@ong.sn', 'Écrivez à [email] ou à [email]'],
    ['voir http://ong-verte.org/rapport', 'voir [link]'],
    ['Appelez le 01 23 45 67 89 ou le 06 12 34 56 78', 'Appelez le [phone] ou le [phone]'],
    ['ou le +33 1 23 45 67 89, ou encore le 0033 1 23 45 67 89', 'ou le [phone], ou encore le [phone]'],
    ['Sénégal : 77 123 45 67 ou +221 77 123 45 67', 'Sénégal : [phone] ou [phone]'],
    ['à OUAGADOUGOU et à ouagadougou', 'à [name] et à [name]'],
    ['Zoe et ZOË sont venues', '[name] et [name] sont venues'],
  ])('%s', (input, expected) => expect(scrub(input)).toBe(expected));
});

describe('deny-list terms', () => {
  it('match whole words only, whatever their case or accents', () => {
    expect(scrub('acme, Acme and ACMÉ but not ACMEs or acmeology')).toBe('[name], [name] and [name] but not ACMEs or acmeology');
    expect(scrub('amina   DIALLO')).toBe('[name]');
  });

  it('match when the term is written with accents the list leaves out, and the other way round', () => {
    const s = createScrubber(['Fundacion Esperanza', 'Société Générale']);
    expect(s('La Fundación Esperanza y la SOCIETE GENERALE')).toBe('La [name] y la [name]');
  });

  it('prefer the longest term', () => {
    const s = createScrubber(['Fundación Sol', 'Fundación Sol Naciente']);
    expect(s('la Fundación Sol Naciente')).toBe('la [name]');
  });

  it('are read from SCRUB_TERMS_PATH: one a line, blank lines and # comments ignored', () => {
    const file = join(tempDir(), 'terms.txt');
    writeFileSync(file, '# partners\nFundación Sol Naciente\r\n\n  ACME  \n# towns\nOuagadougou\n');
    const config = loadConfig({ SCRUB_TERMS_PATH: file });
    expect(config.scrubTerms).toEqual(['Fundación Sol Naciente', 'ACME', 'Ouagadougou']);
    const s = createScrubber(config.scrubTerms);
    expect(s('fundacion sol naciente, Acme, OUAGADOUGOU, partners, towns')).toBe('[name], [name], [name], partners, towns');
  });
});

describe('phone numbers of the partners\' countries', () => {
  it.each([
    ['US', '415.555.2671'],
    ['US', '+1-415-555-2671'],
    ['US', '1-800-555-0199'],
    ['FR', '01.23.45.67.89'],
    ['FR', '06-12-34-56-78'],
    ['FR', '+33 (0)1 23 45 67 89'],
    ['ES', '91 123 45 67'],
    ['MX', '(55) 1234-5678'],
    ['MX', '+52 1 55 1234 5678'],
    ['CO', '(+57) 301 234 5678'],
    ['SN', '+221 33 889 12 34'],
    ['SN', '33 889 12 34'],
    ['KE', 'WhatsApp +254 712 345 678'],
  ])('%s: %s leaves no digits behind', (_country, written) => {
    const out = scrub(`Mi número: ${written}.`);
    expect(out).toContain('[phone]');
    expect(out).not.toMatch(/\d/);
  });

  it('are recognised in international, national and E.164 formats for every listed country', () => {
    const missed: string[] = [];
    let checked = 0;
    for (const country of PHONE_COUNTRIES) {
      const number = getExampleNumber(country, examples);
      if (!number) continue;
      for (const written of [number.formatInternational(), number.formatNational(), number.number]) {
        checked++;
        const out = scrub(`tel ${written} merci`);
        if (out !== 'tel [phone] merci') missed.push(`${country} ${written} -> ${out}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(missed).toEqual([]);
    for (const country of ['FR', 'ES', 'MX', 'CO', 'SN', 'US'] as const) expect(PHONE_COUNTRIES).toContain(country);
  });
});

// ---- properties ---------------------------------------------------------------------------

/** Prose without digits, '@', dots or slashes: nothing in it looks like an address, a link or a number. */
const prose = fc
  .array(fc.constantFrom('the', 'partners', 'programa', 'reunión', 'équipe', 'très', 'útil', 'mais', 'pero', 'and', ',', '!', '¿', '?', '«', '»', "l'été", 'año', 'Noël', 'sí'), { maxLength: 12 })
  .map((words) => words.join(' '));
const letters = fc.stringMatching(/^[a-zà-öø-ÿñ]{1,10}$/);
const email = fc.tuple(letters, fc.constantFrom('', '.', '_', '+', '-'), letters, letters, fc.constantFrom('org', 'fr', 'es', 'com', 'sn', 'co', 'mx')).map(([a, sep, b, domain, tld]) => `${a}${sep}${b}@${domain}.${tld}`);
const url = fc.tuple(fc.constantFrom('https://', 'http://', 'www.'), letters, fc.constantFrom('.org', '.com', '.fr'), fc.constantFrom('', '/a', '/informe?id=3', '/rapport#top')).map(([scheme, host, tld, path]) => `${scheme}${host}${tld}${path}`);
const examplePhone = fc.constantFrom(...PHONE_COUNTRIES).chain((country) => {
  const n = getExampleNumber(country, examples)!;
  return fc.constantFrom(n.formatInternational(), n.formatNational(), n.number as string);
});

/** A deny-list term as a partner might type it: other case, accents dropped or added. */
const retyped = (term: string) =>
  fc.array(fc.constantFrom('upper', 'lower', 'strip', 'same'), { minLength: term.length, maxLength: term.length }).map((ops) =>
    [...term]
      .map((ch, i) => {
        const op = ops[i];
        if (op === 'upper') return ch.toUpperCase();
        if (op === 'lower') return ch.toLowerCase();
        if (op === 'strip') return ch.normalize('NFD').replace(/\p{M}/gu, '');
        return ch;
      })
      .join(''),
  );

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

describe('scrubbing properties', () => {
  it('leaves ordinary prose in all three languages unchanged', () => {
    fc.assert(
      fc.property(prose, (text) => {
        expect(scrub(text)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('removes every e-mail address, link and phone number, keeping the words around it', () => {
    fc.assert(
      fc.property(prose, fc.oneof(email.map((e) => ['[email]', e] as const), url.map((u) => ['[link]', u] as const), examplePhone.map((p) => ['[phone]', p] as const)), prose, (before, [placeholder, secret], after) => {
        const out = scrub(`${before} ${secret} ${after}`);
        expect(out).toBe(`${before} ${placeholder} ${after}`);
        expect(out).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  it('removes every deny-list term however it is cased or accented', () => {
    fc.assert(
      fc.property(prose, fc.constantFrom(...TERMS.filter((t) => !t.includes('.'))).chain(retyped), prose, (before, term, after) => {
        const out = scrub(`${before} ${term} ${after}`);
        expect(out).toBe(`${before} [name] ${after}`);
        for (const t of TERMS) expect(fold(out)).not.toContain(fold(t));
      }),
      { numRuns: 300 },
    );
  });

  it('is stable: scrubbing scrubbed text changes nothing', () => {
    const anyText = fc.array(fc.oneof(prose, email, url, examplePhone, fc.constantFrom(...TERMS), fc.string()), { maxLength: 6 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(anyText, (text) => {
        const once = scrub(text);
        expect(scrub(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe('raw text never reaches storage', () => {
  it('stores the scrubbed comment only: the raw text is nowhere in the database files', async () => {
    const t = await makeApp({ scrubTerms: TERMS, logLevel: 'trace' });
    await openSurvey(t);
    const raw = 'Amina Diallo de la Fundación Sol Naciente: amina.diallo@solnaciente.org, +221 77 123 45 67, https://solnaciente.org/equipo';
    const before = t.logs.length;
    expect((await submit(t, 'learning-lab-2026', { locale: 'es', answers: sampleAnswers({ suggestions: raw }) })).statusCode).toBe(201);
    const stored = t.db.sqlite.prepare('select text from comments').pluck().all();
    expect(stored).toEqual(['[name] de la [name]: [email], [phone], [link]']);
    // Neither the database nor its write-ahead log holds any piece of the raw text.
    const files = readdirSync(join(t.config.databasePath, '..')).map((f) => readFileSync(join(t.config.databasePath, '..', f)).toString('latin1'));
    const rawUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    for (const secret of ['Amina', 'Diallo', 'solnaciente', '77 123 45 67', 'Sol Naciente']) {
      for (const content of files) expect(content).not.toContain(rawUtf8(secret));
    }
    expect(t.logs.slice(before).join('')).not.toMatch(/Amina|solnaciente|123 45 67/);
  });
});
