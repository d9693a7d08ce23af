import { expect, it } from 'vitest';
import { closeSurvey, makeApp, openSurvey, sampleSurvey, submit } from '../helpers.js';

const L = (s: string) => ({ en: s, es: `${s} (es)`, fr: `${s} (fr)` });

it('keeps the queue shut when fewer than k people answered, however many comments they wrote (rule 5)', async () => {
  const t = await makeApp();
  const texts = ['one', 'two', 'three'].map((id) => ({ id, type: 'text' as const, prompt: L(id) }));
  const def = sampleSurvey({ minGroupSize: 5, minComments: 5, questions: [...sampleSurvey().questions, ...texts] });
  await openSurvey(t, def);
  // Three respondents, four comments each: twelve comments from fewer than k = 5 people.
  for (let i = 0; i < 3; i++) {
    const res = await submit(t, def.slug, { answers: { speak_freely: 3, suggestions: `s${i}`, one: `a${i}`, two: `b${i}`, three: `c${i}` } });
    expect(res.statusCode).toBe(201);
  }
  await closeSurvey(t, def.slug);
  const release = (await t.app.inject({ url: `/api/surveys/${def.slug}/results` })).json();
  expect(release.respondents).toEqual({ suppressed: true });
  const queue = await t.app.inject({ url: `/api/surveys/${def.slug}/comments`, headers: t.as('wg') });
  expect(queue.statusCode).toBe(409);
  expect(queue.json().error).toBe('review_not_ready');
  const publish = await t.app.inject({ method: 'POST', url: `/api/surveys/${def.slug}/review/publish`, headers: t.as('wg') });
  expect(publish.statusCode).toBe(409);
});
