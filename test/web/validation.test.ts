/**
 * One way to validate (issue 10, item 2): every route's body, query and parameters are read by a
 * zod schema, pages reuse the API's schemas with form coercion, and zod's issues become Candor's
 * translated problems in one place (src/validation.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { SurveyDefinition } from '../../src/surveys/definition.js';
import { form, parseWith, problemsFrom } from '../../src/validation.js';
import { CandorError } from '../../src/errors.js';
import { createSurvey, makeApp, openSurvey, sampleSurvey } from '../helpers.js';
import { signedIn } from '../access/client.js';
import { text } from '../html.js';
import { queue, reviewable, SLUG, storedText } from '../review/fixture.js';

const i18n = createI18n();

describe('problems from zod issues', () => {
  it('gives every problem a translated message in en, es and fr and a path from the root, whatever is sent as a definition', () => {
    const junk = fc.oneof(
      fc.anything(),
      // A valid definition with one field replaced by anything: closer to a real mistake.
      fc.record({ key: fc.constantFrom('slug', 'title', 'questions', 'minGroupSize', 'access', 'closesAt', 'extra'), value: fc.anything() }).map(({ key, value }) => ({ ...sampleSurvey(), [key]: value })),
      fc.record({ index: fc.nat(4), key: fc.constantFrom('id', 'type', 'prompt', 'options', 'grouping', 'min', 'max', 'maxLength'), value: fc.anything() }).map(({ index, key, value }) => {
        const def = structuredClone(sampleSurvey()) as unknown as { questions: Record<string, unknown>[] };
        def.questions[index]![key] = value;
        return def;
      }),
    );
    fc.assert(
      fc.property(junk, (input) => {
        const parsed = SurveyDefinition.safeParse(input, { reportInput: true });
        if (parsed.success) return;
        const problems = problemsFrom(parsed.error.issues, '$');
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) {
          expect(p.path.startsWith('$')).toBe(true);
          for (const locale of LOCALES) {
            expect(i18n.exists(`problems:${p.code}`, { lng: locale }), `problems:${p.code} (${locale})`).toBe(true);
          }
        }
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });

  it("names a field called after Object.prototype's members as any other field", () => {
    const parsed = SurveyDefinition.safeParse({ ...sampleSurvey(), valueOf: 1, constructor: 'x', toString: [] }, { reportInput: true });
    expect(parsed.success).toBe(false);
    expect(problemsFrom(parsed.error!.issues).map((p) => `${p.path} ${p.code}`).sort()).toEqual(['$.constructor unknown_field', '$.toString unknown_field', '$.valueOf unknown_field']);
  });

  it('reads form fields into the types the API expects', () => {
    const Form = z.object({
      count: form.integer(z.number().int().min(1)),
      tags: form.list(form.integer(z.number().int())),
      note: form.optionalText(z.string().max(5)),
      share: form.checkbox('yes'),
      status: form.one(z.enum(['a', 'b'])),
    });
    expect(parseWith(Form, { count: ' 3 ', tags: ['1', '2'], note: '  ', status: ['b', 'a'] })).toEqual({ count: 3, tags: [1, 2], share: false, status: 'b' });
    expect(parseWith(Form, { count: '1', tags: '7', share: 'yes', status: 'a', note: 'hi' })).toEqual({ count: 1, tags: [7], share: true, status: 'a', note: 'hi' });
    let refusal: unknown;
    try {
      parseWith(Form, { count: 'three', tags: ['x'], note: 'too long', status: 'c' });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(CandorError);
    expect((refusal as CandorError).problems.map((p) => `${p.path} ${p.code}`).sort()).toEqual(['$.count wrong_type', '$.note too_long', '$.status invalid_choice', '$.tags[0] wrong_type']);
  });
});

describe('routes', () => {
  it("reports a path's problems with where they are, translated", async () => {
    const t = await makeApp();
    const res = await t.app.inject({ method: 'PATCH', url: '/api/themes/first?lang=fr', headers: t.as('wg'), payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid_request',
      errors: [{ path: 'params.id', code: 'wrong_type', message: i18n.getFixedT('fr')('problems:wrong_type', { expected: 'number' }) }],
    });
  });

  it('finds the survey before judging the body: 404 for an unknown survey, 409 for an opened one, whatever is sent', async () => {
    const t = await makeApp();
    const broken = { definition: { slug: 'x' } };
    let res = await t.app.inject({ method: 'PATCH', url: '/api/surveys/no-such-survey', headers: t.as('staff'), payload: broken });
    expect(res.statusCode).toBe(404);
    await openSurvey(t);
    res = await t.app.inject({ method: 'PATCH', url: '/api/surveys/learning-lab-2026', headers: t.as('staff'), payload: broken });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('survey_frozen');
    res = await t.app.inject({ method: 'POST', url: '/api/surveys/no-such-survey/responses', payload: { answers: 'not an object', colour: 'red' } });
    expect(res.statusCode).toBe(404);
    res = await t.app.inject({ method: 'POST', url: '/api/surveys/learning-lab-2026/responses', payload: { answers: 'not an object', colour: 'red' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual(['$.answers wrong_type', '$.colour unknown_field']);
  });

  it('reports a PATCH\'s definition problems where they are in the body sent', async () => {
    const t = await makeApp();
    await createSurvey(t);
    const def = structuredClone(sampleSurvey()) as unknown as { questions: { prompt: Record<string, string> }[] };
    delete def.questions[2]!.prompt.fr;
    const res = await t.app.inject({ method: 'PATCH', url: '/api/surveys/learning-lab-2026', headers: t.as('staff'), payload: { status: 'archived', definition: def } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string; code: string }) => `${e.path} ${e.code}`).sort()).toEqual([
      '$.definition.questions[2].prompt.fr missing_translation',
      '$.status invalid_choice',
    ]);
  });

  it('holds a comment edited on the page to the API\'s limit (10,000 characters), shown in place and stored nowhere', async () => {
    const t = await makeApp();
    await reviewable(t, Array.from({ length: 9 }, (_, i) => `Comment number ${i + 1} about the programme.`));
    const [item] = await queue(t);
    const wg = await signedIn(t, 'wg');
    const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=es`);
    const long = 'x'.repeat(10_001);
    const page = await wg.post(`/wg/${SLUG}/comments/${item!.id}?lang=es`, { _csrf: csrf, text: long, status: 'published' });
    expect(page.statusCode).toBe(400);
    expect(text(page.body)).toContain(i18n.getFixedT('es')('problems:too_long', { maximum: 10_000 }));
    const api = await t.app.inject({ method: 'PATCH', url: `/api/comments/${item!.id}`, headers: t.as('wg'), payload: { text: long } });
    expect(api.statusCode).toBe(400);
    expect(storedText(t, item!.id)).toBe(item!.text);
    expect((await queue(t)).find((i) => i.id === item!.id)!.status).toBe('pending');
  });
});

describe('the code', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));

  it('has no route that skips its schema, and no page that reads its body by hand', () => {
    const offenders = files('src').filter((f) => /attachValidation|validationError|\(request\.body \?\? \{\}\) as/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
