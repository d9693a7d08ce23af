import { expect, it } from 'vitest';
import { createReleaseRepository } from '../../src/releases/repository.js';
import { purgeable, purgeSurvey } from '../../src/retention/purge.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { closeSurvey, makeApp, openSurvey, sampleSurvey, submit } from '../helpers.js';

it('keeps only the comments of the published review: one marked published afterwards is deleted with the rest', async () => {
  const t = await makeApp();
  const def = sampleSurvey({ minComments: 5 });
  await openSurvey(t, def);
  for (let i = 0; i < 8; i++) expect((await submit(t, def.slug, { answers: { speak_freely: 1 + (i % 5), suggestions: `comment ${i}` } })).statusCode).toBe(201);
  await closeSurvey(t, def.slug);
  const queue = (await t.app.inject({ url: `/api/surveys/${def.slug}/comments`, headers: t.as('wg') })).json() as { id: string; text: string }[];
  const patch = (id: string, payload: object) => t.app.inject({ method: 'PATCH', url: `/api/comments/${id}`, headers: t.as('wg'), payload });
  // Five published, then the review published; then a sixth marked published but never re-published.
  for (const c of queue.slice(0, 5)) await patch(c.id, { status: 'published' });
  expect((await t.app.inject({ method: 'POST', url: `/api/surveys/${def.slug}/review/publish`, headers: t.as('wg') })).statusCode).toBe(200);
  await patch(queue[5]!.id, { status: 'published' });
  const surveys = createSurveyRepository(t.db);
  purgeSurvey(t.db, surveys, purgeable(surveys, createReleaseRepository(t.db), def.slug));
  const kept = t.db.sqlite.prepare('select text from comments order by text').pluck().all();
  expect(kept).toEqual(queue.slice(0, 5).map((c) => c.text).sort());
});
