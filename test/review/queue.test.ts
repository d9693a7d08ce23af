/**
 * The review queue (§8, §2): only once the survey is closed, released and has at least
 * minComments comments; every comment detached from grouping answers, in an order unrelated to
 * arrival and stable from one read to the next.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { attr, tags, text } from '../html.js';
import { makeApp, openSurvey, sampleSurvey, type TestApp } from '../helpers.js';
import { signedIn } from '../access/client.js';
import { close, GROUPING_WORDS, numbered, patchComment, queue, REGIONS, reviewable, SLUG, submitComments } from './fixture.js';
import { spearman } from '../stats.js';

const i18n = createI18n();
const tr = (locale: 'en' | 'es' | 'fr') => i18n.getFixedT(locale);


const indexOf = (textValue: string) => Number(/^Comment (\d+) /.exec(textValue)?.[1]);
const KEYS = ['id', 'questionId', 'shareWithPartners', 'status', 'suggestedThemes', 'text', 'themes', 'translations'];

describe('the queue never reveals grouping answers or arrival order', () => {
  const N = 150;

  /** The region of the response each comment came with, by comment number. */
  const regionOfComment: number[] = [];

  async function big() {
    const t = await makeApp();
    // Every fourth response has no comment, so that the comments' positions cannot be read off the responses'.
    const texts: (string | null)[] = [];
    regionOfComment.length = 0;
    for (let i = 0; regionOfComment.length < N; i++) {
      if (i % 4 === 3) texts.push(null);
      else {
        texts.push(`Comment ${regionOfComment.length} about the programme.`);
        regionOfComment.push(i % REGIONS.length); // submitComments gives regions in turn
      }
    }
    await reviewable(t, texts);
    return t;
  }

  it('shows exactly the fields of §8, for every comment and nothing else', async () => {
    const t = await big();
    const items = await queue(t);
    expect(items).toHaveLength(N);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(KEYS);
      expect(item).toMatchObject({ questionId: 'suggestions', status: 'pending', themes: [], suggestedThemes: [], translations: {}, shareWithPartners: false });
      expect(item.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    }
    expect(new Set(items.map((i) => indexOf(i.text)))).toEqual(new Set(Array.from({ length: N }, (_, i) => i)));
    // A comment's id is its own: it is no response's id.
    const responseIds = new Set(t.db.sqlite.prepare('select id from responses').pluck().all() as string[]);
    for (const item of items) expect(responseIds.has(item.id)).toBe(false);
  });

  it('has no grouping answer anywhere, in the JSON or on the review page in any language', async () => {
    const t = await big();
    const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/comments`, headers: t.as('wg') });
    const json = res.body.toLowerCase();
    for (const word of GROUPING_WORDS) expect(json, word).not.toContain(word.toLowerCase());
    expect(json).not.toContain('region');
    const wg = await signedIn(t, 'wg');
    for (const locale of LOCALES) {
      const page = await wg.get(`/wg/${SLUG}/review?lang=${locale}`);
      expect(page.statusCode).toBe(200);
      const visible = text(page.body).toLowerCase();
      for (const word of GROUPING_WORDS) {
        expect(visible, `${locale}: ${word}`).not.toContain(word.toLowerCase());
        expect(page.body.toLowerCase(), `${locale}: ${word}`).not.toContain(word.toLowerCase());
      }
      expect(page.body).not.toContain('region');
    }
  });

  it('is in an order unrelated to arrival (rank correlation near zero), the same on every read and after edits', async () => {
    const t = await big();
    const first = await queue(t);
    const positions = first.map((item) => indexOf(item.text));
    const rho = spearman(positions, positions.map((_, i) => i));
    // Under a random order, rho has a standard deviation of 1/√(N−1) ≈ 0.08: 0.3 is over 3.6 of them (p < 0.0003).
    expect(Math.abs(rho)).toBeLessThan(0.3);
    // Nor does it follow the grouping answer: comments of the same region are not bunched together.
    // With three regions in random order, about two neighbours in three differ (≈ 99 of 149, σ ≈ 6).
    const regions = positions.map((c) => regionOfComment[c]!);
    const changes = regions.filter((r, i) => i > 0 && r !== regions[i - 1]).length;
    expect(changes).toBeGreaterThan(N / 2);

    const ids = first.map((i) => i.id);
    expect((await queue(t)).map((i) => i.id)).toEqual(ids);
    // Edits — a decision, a redaction, a translation, sharing — never move a comment.
    await patchComment(t, ids[0]!, { status: 'published' });
    await patchComment(t, ids[1]!, { text: 'Redacted entirely: zzz.' });
    await patchComment(t, ids[N - 1]!, { text: 'AAA first in any alphabetical order.', status: 'hidden' });
    await patchComment(t, ids[7]!, { translations: { fr: 'Traduit.' }, shareWithPartners: true });
    expect((await queue(t)).map((i) => i.id)).toEqual(ids);
    // The review page lists them in the same order.
    const wg = await signedIn(t, 'wg');
    const page = await wg.get(`/wg/${SLUG}/review`);
    const articles = tags(page.body, 'article').map((tag) => attr(tag, 'id'));
    expect(articles).toEqual(ids.map((id) => `c-${id}`));
  });
});

describe('nothing before minComments', () => {
  async function withComments(t: TestApp, count: number, extraRespondents: number, minComments?: number) {
    const texts = [...numbered(count), ...Array.from({ length: extraRespondents }, () => null)];
    return reviewable(t, texts, minComments === undefined ? {} : { minComments });
  }

  for (const locale of LOCALES) {
    it(`answers 409 (translated, ${locale}) with fewer comments than minComments, however many respondents`, async () => {
      const t = await makeApp();
      await withComments(t, 7, 10); // minComments defaults to 8
      const commentId = t.db.sqlite.prepare('select id from comments limit 1').pluck().get() as string;
      const message = tr(locale)('errors:review_not_ready', { min: 8 });
      const api = [
        await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/comments?lang=${locale}`, headers: t.as('wg') }),
        await t.app.inject({ method: 'PATCH', url: `/api/comments/${commentId}?lang=${locale}`, headers: t.as('wg'), payload: { status: 'published' } }),
        await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/review/publish?lang=${locale}`, headers: t.as('wg') }),
      ];
      for (const res of api) {
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ error: 'review_not_ready', message });
      }
      expect(message).toContain('8');
      expect(t.db.sqlite.prepare("select count(*) from comments where status = 'pending'").pluck().get()).toBe(7);

      // The pages say so too, and show no comment.
      const wg = await signedIn(t, 'wg');
      const page = await wg.get(`/wg/${SLUG}/review?lang=${locale}`);
      expect(page.statusCode).toBe(409);
      expect(text(page.body)).toContain(message);
      expect(page.body).not.toContain('Comment 0');
      const home = await wg.get(`/wg?lang=${locale}`);
      expect(home.statusCode).toBe(200);
      expect(text(home.body)).toContain(tr(locale)('review:queue_not_ready'));
      expect(home.body).not.toContain(`/wg/${SLUG}/review`);
      const csrf = await wg.csrf(`/wg?lang=${locale}`);
      const save = await wg.post(`/wg/${SLUG}/comments/${commentId}?lang=${locale}`, { _csrf: csrf, status: 'published' });
      expect(save.statusCode).toBe(409);
      expect(text(save.body)).toContain(message);
      const publish = await wg.post(`/wg/${SLUG}/publish?lang=${locale}`, { _csrf: csrf });
      expect(publish.statusCode).toBe(409);
      expect(t.db.sqlite.prepare('select count(*) from reviews').pluck().get()).toBe(0);
    });
  }

  it('opens at exactly minComments, counting comments and not respondents', async () => {
    const t = await makeApp();
    await withComments(t, 8, 0);
    expect(await queue(t)).toHaveLength(8);
  });

  it('follows the survey’s own minComments', async () => {
    const below = await makeApp();
    await withComments(below, 11, 0, 12);
    const res = await below.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/comments?lang=es`, headers: below.as('wg') });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe(tr('es')('errors:review_not_ready', { min: 12 }));
    const at = await makeApp();
    await withComments(at, 12, 0, 12);
    expect(await queue(at)).toHaveLength(12);
  });
});

describe('nothing before the survey is closed and finally released', () => {
  it('answers 409 while the survey is open, whatever the number of comments, and lists only closed surveys', async () => {
    const t = await makeApp();
    await openSurvey(t);
    await submitComments(t, SLUG, numbered(30));
    const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/comments`, headers: t.as('wg') });
    expect(res.statusCode).toBe(409);
    const wg = await signedIn(t, 'wg');
    expect((await wg.get(`/wg/${SLUG}/review`)).statusCode).toBe(409);
    const home = await wg.get('/wg');
    expect(text(home.body)).toContain(tr('en')('review:home_none'));
    expect(home.body).not.toContain(SLUG);
    // Closing makes the final release, and opens the queue.
    await close(t, SLUG);
    expect(await queue(t)).toHaveLength(30);
    expect((await wg.get('/wg')).body).toContain(`/wg/${SLUG}/review`);
  });

  it('answers 409 for a closed survey without its final release', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(10));
    expect(await queue(t)).toHaveLength(10);
    t.db.sqlite.prepare('delete from releases where survey_id = (select id from surveys where slug = ?)').run(SLUG);
    const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/comments`, headers: t.as('wg') });
    expect(res.statusCode).toBe(409);
  });

  it('answers 409 for a draft', async () => {
    const t = await makeApp();
    const created = await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: sampleSurvey() });
    expect(created.statusCode).toBe(201);
    const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/comments`, headers: t.as('wg') });
    expect(res.statusCode).toBe(409);
  });
});
