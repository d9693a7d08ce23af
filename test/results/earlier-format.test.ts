/**
 * Releases stored by Candor before issue 9 (no minDiversity, releases or audit; "stale" figures;
 * breakdowns missing on some questions) are served as they were stored and still render: an
 * upgrade keeps every published result readable.
 */
import { describe, expect, it } from 'vitest';
import { ReleaseJson } from '../../src/releases/content.js';
import { createSurvey, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit } from '../helpers.js';

/** A final release as the first version stored it (before the audit and the revised rule 6). */
const EARLIER = {
  survey: 'learning-lab-2026',
  minGroupSize: 5,
  releasedAt: '2026-11-20',
  final: true,
  respondents: { n: 12, stale: true },
  questions: [
    { id: 'region', type: 'single_choice', overall: { n: 12, counts: { africa: 6, americas: 6, asia: { suppressed: true }, prefer_not_to_say: { suppressed: true } } }, breakdowns: {} },
    {
      id: 'speak_freely',
      type: 'likert',
      overall: { n: 12, counts: { 1: 1, 2: 2, 3: 3, 4: 3, 5: 3 }, mean: 3.5, stale: true },
      breakdowns: { region: [{ group: 'africa', n: 6, counts: { 1: 1, 2: 1, 3: 1, 4: 2, 5: 1 }, mean: 3.17 }, { group: 'americas', suppressed: true }, { group: 'asia', suppressed: true }, { group: 'prefer_not_to_say', suppressed: true }] },
    },
    { id: 'activities', type: 'multi_choice', overall: { n: 12, counts: { calls: 7, mentoring: 5, visits: { suppressed: true } } } },
    { id: 'usefulness', type: 'rating', overall: { suppressed: true } },
    { id: 'suggestions', type: 'text', comments: { n: 9 } },
  ],
};

describe('a release stored by an earlier version', () => {
  it('is served byte for byte, and its results page and CSV render in every language', async () => {
    const t = await makeApp();
    await createSurvey(t, sampleSurvey());
    const id = t.db.sqlite.prepare('select id from surveys where slug = ?').pluck().get('learning-lab-2026') as number;
    t.db.sqlite.prepare("update surveys set status = 'closed' where id = ?").run(id);
    const json = JSON.stringify(EARLIER);
    t.db.sqlite.prepare('insert into releases (survey_id, released_on, final, content) values (?, ?, 1, ?)').run(id, '2026-11-20', json);

    const api = await t.app.inject({ url: '/api/surveys/learning-lab-2026/results' });
    expect(api.statusCode).toBe(200);
    expect(api.body).toBe(json);
    for (const lang of ['en', 'es', 'fr']) {
      const page = await t.app.inject({ url: `/s/learning-lab-2026/results?lang=${lang}` });
      expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
      expect(page.body).toContain('<table');
      const csv = await t.app.inject({ url: `/api/surveys/learning-lab-2026/results.csv?lang=${lang}` });
      expect(csv.statusCode).toBe(200);
      expect(csv.body).toMatch(/speak_freely/);
    }
  });

  it('still lets the Working Group publish its review, naming a question only where the release counts it', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey());
    for (let i = 0; i < 12; i++) {
      expect((await submit(t, 'learning-lab-2026', { answers: sampleAnswers({ suggestions: `Suggestion number ${i}` }) })).statusCode).toBe(201);
    }
    // Closed, with the final release an earlier version stored (no job ran).
    const id = t.db.sqlite.prepare('select id from surveys where slug = ?').pluck().get('learning-lab-2026') as number;
    t.db.sqlite.prepare("update surveys set status = 'closed' where id = ?").run(id);
    t.db.sqlite.prepare('insert into releases (survey_id, released_on, final, content) values (?, ?, 1, ?)').run(id, '2026-11-20', JSON.stringify({ ...EARLIER, respondents: { n: 12 }, questions: EARLIER.questions.map((q) => (q.id === 'suggestions' ? { ...q, comments: { n: 12 } } : q)) }));

    const queue = await t.app.inject({ url: '/api/surveys/learning-lab-2026/comments', headers: t.as('wg') });
    expect(queue.statusCode).toBe(200);
    for (const c of queue.json() as { id: string }[]) {
      expect((await t.app.inject({ method: 'PATCH', url: `/api/comments/${c.id}`, headers: t.as('wg'), payload: { status: 'published' } })).statusCode).toBe(200);
    }
    const published = await t.app.inject({ method: 'POST', url: '/api/surveys/learning-lab-2026/review/publish', headers: t.as('wg') });
    expect(published.statusCode, published.body).toBe(200);
    // The earlier release counts 12 comments on suggestions (≥ k), and all 12 (≥ minComments) are published.
    expect((published.json() as { comments: { questionId: string | null }[] }).comments.every((c) => c.questionId === 'suggestions')).toBe(true);
  });

  it('is listed by the next release with its respondent count only, so that the new release keeps its own schema', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ interimReleases: true }));
    for (let i = 0; i < 12; i++) expect((await submit(t, 'learning-lab-2026', { answers: sampleAnswers() })).statusCode).toBe(201);
    const id = t.db.sqlite.prepare('select id from surveys where slug = ?').pluck().get('learning-lab-2026') as number;
    // An interim release of the first version: figures, and a stale respondent count.
    const interim = { ...EARLIER, final: false, respondents: { n: 6, stale: true } };
    t.db.sqlite.prepare('insert into releases (survey_id, released_on, final, content) values (?, ?, 0, ?)').run(id, '2026-11-20', JSON.stringify(interim));
    await t.app.inject({ method: 'PATCH', url: '/api/surveys/learning-lab-2026', headers: t.as('staff'), payload: { status: 'closed' } });
    await t.app.releases.release({ slug: 'learning-lab-2026' });
    const body = (await t.app.inject({ url: '/api/surveys/learning-lab-2026/results' })).json() as ReleaseJson;
    expect(body.final).toBe(true);
    expect(body.releases).toEqual([{ releasedAt: '2026-11-20', respondents: { n: 6 } }]);
    expect(ReleaseJson.safeParse(body).success).toBe(true);
  });
});
