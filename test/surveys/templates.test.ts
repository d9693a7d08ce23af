/** Survey templates (§12): each makes a valid definition, and the core template asks what the spec lists. */
import { describe, expect, it } from 'vitest';
import { groupingQuestions, parseDefinition, type LocalizedText } from '../../src/surveys/definition.js';
import { definitionFromTemplate, findTemplate, TEMPLATES, type SurveyTemplate } from '../../src/surveys/templates.js';
import { L } from '../helpers.js';

const defaults = { minGroupSize: 5, minDiversity: 1 };
const TITLE = L('Partners 2026', 'Organizaciones socias 2026', 'Partenaires 2026');

/** Every translated text of a template, each with where it is (for the failure message). */
function textsOf(t: SurveyTemplate): [string, LocalizedText][] {
  const texts: [string, LocalizedText][] = [
    [`${t.id} title`, t.title],
    [`${t.id} description`, t.description],
  ];
  for (const q of t.questions) {
    texts.push([`${t.id} ${q.id} prompt`, q.prompt]);
    if (q.help) texts.push([`${t.id} ${q.id} help`, q.help]);
    if (q.type === 'single_choice' || q.type === 'multi_choice') {
      for (const o of q.options) texts.push([`${t.id} ${q.id} ${o.value}`, o.label]);
    }
  }
  return texts;
}

const core = (): SurveyTemplate => {
  const t = findTemplate('partner-feedback');
  if (!t) throw new Error('no partner-feedback template');
  return t;
};

describe('every template', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s makes a definition that passes validation', (_id, t) => {
    const result = parseDefinition(definitionFromTemplate(t, 'partners-2026', TITLE), defaults);
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.definition).toMatchObject({ slug: 'partners-2026', title: TITLE, description: t.description, access: 'invite' });
    expect(result.definition.questions.map((q) => q.id)).toEqual(t.questions.map((q) => q.id));
  });

  it('has a unique id', () => {
    const ids = TEMPLATES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('recommends invitation codes, since only invite surveys are broken down by group', () => {
    for (const t of TEMPLATES) expect(t.settings.access).toBe('invite');
  });

  it('has every text in English, Spanish and French, each translated rather than copied', () => {
    for (const t of TEMPLATES) {
      for (const [where, text] of textsOf(t)) {
        for (const lang of ['en', 'es', 'fr'] as const) expect(text[lang].trim(), `${where} ${lang}`).not.toBe('');
        expect(new Set([text.en, text.es, text.fr]).size, where).toBe(3);
      }
    }
  });

  it('follows the typography of the locales: ¿…? in Spanish, a space before ? ! : ; and a straight apostrophe in French', () => {
    for (const t of TEMPLATES) {
      for (const [where, text] of textsOf(t)) {
        if (text.es.includes('?')) expect(text.es, where).toContain('¿');
        expect(text.fr, where).not.toMatch(/[^ ][?!:;]/);
        expect(text.fr, where).not.toContain('’');
      }
    }
  });

  it('gives a copy: editing the definition leaves the template alone', () => {
    const t = core();
    const def = definitionFromTemplate(t, 'partners-2026', TITLE);
    def.questions[0]!.prompt.en = 'Changed';
    def.description!.en = 'Changed';
    expect(t.questions[0]!.prompt.en).not.toBe('Changed');
    expect(t.description.en).not.toBe('Changed');
  });
});

describe('the core partner-feedback template', () => {
  it('asks its questions in the order of §12', () => {
    expect(core().questions.map((q) => q.id)).toEqual([
      'region',
      'org_size',
      'understands_context',
      'speak_freely',
      'pace',
      'useful_activities',
      'own_language',
      'acted_on_feedback',
      'recommend',
      'keep',
      'change',
    ]);
  });

  it('groups by region and organisation size only: a third would make joint groups too small', () => {
    const def = definitionFromTemplate(core(), 'partners-2026', TITLE);
    expect(groupingQuestions(def).map((q) => q.id)).toEqual(['region', 'org_size']);
    const size = groupingQuestions(def)[1]!;
    expect(size.options).toHaveLength(3);
  });

  it('asks whether the funder acted on the last round, with help for a first round', () => {
    const q = core().questions.find((x) => x.id === 'acted_on_feedback');
    expect(q?.type).toBe('likert');
    expect(q?.help).toBeDefined();
  });

  it('asks how likely partners are to recommend the programme, from 0 to 10', () => {
    expect(core().questions.find((x) => x.id === 'recommend')).toMatchObject({ type: 'rating', min: 0, max: 10 });
  });

  it('asks what to keep and what to change, reminding not to write names', () => {
    for (const id of ['keep', 'change']) {
      const q = core().questions.find((x) => x.id === id);
      expect(q).toMatchObject({ type: 'text', maxLength: 2000 });
      expect(q?.help?.en).toMatch(/name/);
    }
  });
});

describe('findTemplate', () => {
  it('finds a template by its id', () => {
    expect(findTemplate('partner-feedback')?.id).toBe('partner-feedback');
  });

  it('answers undefined for an unknown id', () => {
    expect(findTemplate('no-such-template')).toBeUndefined();
    expect(findTemplate('')).toBeUndefined();
  });
});
