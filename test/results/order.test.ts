import { expect, it } from 'vitest';
import { closeSurvey, makeApp, openSurvey, sampleSurvey, submit } from '../helpers.js';

const L = (s: string) => ({ en: s, es: `${s} (es)`, fr: `${s} (fr)` });

it('lists answers in the order of the definition on the page and in the CSV, negative ratings included', async () => {
  const t = await makeApp();
  const def = sampleSurvey({ questions: [{ id: 'mood', type: 'rating', min: -2, max: 2, prompt: L('Mood') }] });
  await openSurvey(t, def);
  for (let i = 0; i < 20; i++) expect((await submit(t, def.slug, { answers: { mood: (i % 5) - 2 } })).statusCode).toBe(201);
  await closeSurvey(t, def.slug);
  const csv = (await t.app.inject({ url: `/api/surveys/${def.slug}/results.csv?lang=en` })).body;
  const values = csv
    .split('\n')
    .filter((line) => line.startsWith(`${def.slug},mood,`))
    .map((line) => line.split(',')[6]);
  expect(values).toEqual(['-2', '-1', '0', '1', '2']);
  const page = (await t.app.inject({ url: `/s/${def.slug}/results?lang=en` })).body;
  const rows = [...page.matchAll(/<th scope="row">(-?\d+)<\/th>/g)].map((m) => m[1]);
  expect(rows).toEqual(['-2', '-1', '0', '1', '2']);
});
