/**
 * The review queue at a hundred comments (issue 13, item 7): a save returns to the comment saved
 * with the focus on it; suggested themes are ticked while a comment has none; filters by status
 * and theme; one decision for the comments ticked or for every comment shown — all stored, or none.
 */
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { matches, type QueueFilter } from '../../src/review/views.js';
import type { QueueItem as ServiceItem } from '../../src/review/service.js';
import { attr, byId, elementById, elements, tags, text } from '../html.js';
import { makeApp, type TestApp } from '../helpers.js';
import { Client, signedIn } from '../access/client.js';
import { createTheme, numbered, patchComment, queue, reviewable, SLUG } from './fixture.js';

const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);

/** Half the comments are about "travel" (a theme's keyword), half about "reports". */
const TEXTS = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? `Comment ${i}: the travel grants came late.` : `Comment ${i}: the reports take too long.`));

async function setUp() {
  const t = await makeApp();
  await reviewable(t, TEXTS);
  const travel = await createTheme(t, SLUG, { en: 'Travel', es: 'Viajes', fr: 'Déplacements' }, { en: ['travel'] });
  const reports = await createTheme(t, SLUG, { en: 'Reporting', es: 'Informes', fr: 'Rapports' }, { en: ['reports'] });
  const wg = await signedIn(t, 'wg');
  return { t, wg, travel: travel.id, reports: reports.id };
}

/** The ids of the comments a page shows, in order. */
const shownIds = (html: string) =>
  tags(html, 'article')
    .map((a) => attr(a, 'id'))
    .filter((id): id is string => id?.startsWith('c-') === true)
    .map((id) => id.slice(2));

const statuses = (t: TestApp) => new Map((t.db.sqlite.prepare('select id, status from comments').all() as { id: string; status: string }[]).map((r) => [r.id, r.status]));

describe('saving a comment returns to it', () => {
  it('with the page opening on that comment, its note focused, in the same view, even once it no longer matches', async () => {
    const { t, wg } = await setUp();
    const items = await queue(t);
    const target = items[17]!;
    const view = `/wg/${SLUG}/review?lang=es&status=pending`;
    const page = await wg.get(view);
    const form = tags(elementById(page.body, `c-${target.id}`)!, 'form')[0]!;
    // The form carries the view, so that the reviewer comes back to it.
    expect(attr(form, 'action')).toBe(`/wg/${SLUG}/comments/${target.id}?status=pending&lang=es`);

    const csrf = await wg.csrf(view);
    const res = await wg.post(attr(form, 'action')!, { _csrf: csrf, status: 'published', text: '' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/wg/${SLUG}/review?lang=es&status=pending&done=saved&saved=${target.id}`);

    const back = await wg.get(res.headers.location as string);
    expect(back.statusCode).toBe(200);
    // One element takes the focus as the page opens: the note inside the comment saved.
    const focused = tags(back.body, 'div').filter((d) => attr(d, 'autofocus') !== undefined);
    expect(focused).toHaveLength(1);
    expect(attr(focused[0]!, 'tabindex')).toBe('-1');
    const article = elementById(back.body, `c-${target.id}`)!;
    expect(article).toContain('autofocus');
    expect(text(article)).toContain(tr('es')('review:saved_comment', { number: 18 }));
    // Published, it has left "waiting" — shown in place all the same, and said so.
    expect(text(article)).toContain(tr('es')('review:saved_elsewhere'));
    expect(shownIds(back.body)).toEqual(items.filter((i) => i.status === 'pending' || i.id === target.id).map((i) => i.id));
    // No second notice at the top of a long page, where nobody would see it.
    expect(tags(back.body, 'div').filter((d) => attr(d, 'class') === 'notice')).toHaveLength(0);
  });
});

describe('suggested themes', () => {
  it('are ticked while a comment waits with no theme, and not once it has one or is decided', async () => {
    const { t, wg, travel, reports } = await setUp();
    const items = await queue(t);
    const [a, b, c] = items.filter((i) => i.suggestedThemes.includes(travel));
    await patchComment(t, b!.id, { themes: [reports] });
    await patchComment(t, c!.id, { status: 'hidden' });
    const page = (await wg.get(`/wg/${SLUG}/review?lang=fr`)).body;
    const box = (id: string) => attr(byId(elementById(page, `c-${id}`)!, `c-${id}-theme-${travel}`)!, 'checked');
    expect(box(a!.id)).toBeDefined();
    expect(box(b!.id)).toBeUndefined();
    expect(box(c!.id)).toBeUndefined();
    // Saving a pre-ticked form confirms the suggestion: the brief will count it.
    const csrf = await wg.csrf(`/wg/${SLUG}/review`);
    const ticked = tags(elementById(page, `c-${a!.id}`)!, 'input').filter((i) => attr(i, 'name') === 'themes' && attr(i, 'checked') !== undefined);
    await wg.post(`/wg/${SLUG}/comments/${a!.id}`, { _csrf: csrf, status: 'published', themes: ticked.map((i) => attr(i, 'value')!) });
    expect((await queue(t)).find((i) => i.id === a!.id)).toMatchObject({ status: 'published', themes: [travel] });
  });
});

describe('filters', () => {
  it('narrow the queue by status and by theme, keeping each comment its number', async () => {
    const { t, wg, travel, reports } = await setUp();
    const items = await queue(t);
    await patchComment(t, items[0]!.id, { status: 'published', themes: [travel] });
    await patchComment(t, items[1]!.id, { status: 'hidden', themes: [reports] });
    await patchComment(t, items[2]!.id, { themes: [travel, reports] });
    const now = await queue(t);
    const ids = async (query: string) => shownIds((await wg.get(`/wg/${SLUG}/review?lang=en${query}`)).body);

    expect(await ids('')).toEqual(now.map((i) => i.id));
    expect(await ids('&status=published')).toEqual([items[0]!.id]);
    expect(await ids('&status=hidden')).toEqual([items[1]!.id]);
    expect(await ids(`&theme=${travel}`)).toEqual([items[0]!.id, items[2]!.id]);
    expect(await ids(`&status=pending&theme=${reports}`)).toEqual([items[2]!.id]);
    expect(await ids('&theme=none')).toEqual(now.filter((i) => i.themes.length === 0).map((i) => i.id));
    expect(await ids('&theme=suggested')).toEqual(now.filter((i) => i.suggestedThemes.length > 0).map((i) => i.id));
    // A stale or mistyped link shows everything rather than an error.
    expect(await ids('&status=deleted&theme=999999')).toEqual([]);
    expect(await ids('&status=deleted&theme=abc')).toEqual(now.map((i) => i.id));

    const page = (await wg.get(`/wg/${SLUG}/review?lang=en&status=published`)).body;
    // Comment 1 is still "Comment 1" when shown alone, and the page says how many are shown.
    expect(text(elementById(page, `c-${items[0]!.id}`)!)).toContain('Comment 1 —');
    expect(text(page)).toContain(tr('en')('review:filter_shown', { shown: 1, total: TEXTS.length }));
    const selected = tags(page, 'option').filter((o) => attr(o, 'selected') !== undefined).map((o) => attr(o, 'value'));
    expect(selected).toEqual(['published', '']);
  });

  it('partition the queue (property): every comment matches exactly one status, and has a theme or none', () => {
    const item = fc.record({
      id: fc.uuid(),
      status: fc.constantFrom('pending' as const, 'published' as const, 'hidden' as const),
      themes: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
      suggestedThemes: fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (raw, theme) => {
        const items = raw.map((r) => ({ ...r, questionId: 'q', text: '', translations: {}, shareWithPartners: false }) satisfies ServiceItem);
        const count = (f: QueueFilter) => items.filter((i) => matches(i, f)).length;
        expect(count({})).toBe(items.length);
        expect(count({ status: 'pending' }) + count({ status: 'published' }) + count({ status: 'hidden' })).toBe(items.length);
        expect(count({ theme: 'none' }) + items.filter((i) => i.themes.length > 0).length).toBe(items.length);
        // Two filters together: what both let through.
        for (const status of ['pending', 'published', 'hidden'] as const) {
          expect(items.filter((i) => matches(i, { status, theme })).map((i) => i.id)).toEqual(
            items.filter((i) => matches(i, { status }) && matches(i, { theme })).map((i) => i.id),
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('one decision for many comments', () => {
  for (const locale of LOCALES) {
    it(`publishes the comments ticked, and only those (${locale})`, async () => {
      const { t, wg } = await setUp();
      const items = await queue(t);
      const before = statuses(t);
      const picked = [items[3]!.id, items[7]!.id, items[11]!.id];
      const page = (await wg.get(`/wg/${SLUG}/review?lang=${locale}`)).body;
      // Each comment's "Select" box belongs to the bulk form.
      const box = byId(elementById(page, `c-${picked[0]}`)!, `c-${picked[0]}-pick`)!;
      expect(attr(box, 'form')).toBe('bulk');
      expect(attr(byId(page, 'bulk')!, 'action')).toBe(`/wg/${SLUG}/comments?lang=${locale}`);
      const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=${locale}`);
      const res = await wg.post(`/wg/${SLUG}/comments?lang=${locale}`, { _csrf: csrf, action: 'published', scope: 'selected', ids: picked });
      expect(res.statusCode).toBe(303);
      const after = statuses(t);
      for (const [id, status] of after) expect(status).toBe(picked.includes(id) ? 'published' : before.get(id));
      const back = await wg.get(res.headers.location as string);
      expect(text(back.body)).toContain(text(tr(locale)('review:bulk_done', { count: 3 })));
    });
  }

  it('hides every comment shown by a filter, and accepts the suggested themes of every comment shown', async () => {
    const { t, wg, travel, reports } = await setUp();
    const items = await queue(t);
    await patchComment(t, items[0]!.id, { themes: [reports] });
    const csrf = await wg.csrf(`/wg/${SLUG}/review`);
    // Accept: every comment with a suggestion gets it added to what it had.
    const accepted = await wg.post(`/wg/${SLUG}/comments?theme=suggested`, { _csrf: csrf, action: 'accept_suggested', scope: 'shown' });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toContain('theme=suggested');
    const now = await queue(t);
    for (const item of now) {
      const about = TEXTS.find((x) => x === items.find((i) => i.id === item.id)!.text)!;
      const expected = about.includes('travel') ? [travel] : [reports];
      if (item.id === items[0]!.id) expect(item.themes.sort()).toEqual([...new Set([reports, ...expected])].sort());
      else expect(item.themes).toEqual(expected);
      expect(item.suggestedThemes).toEqual([]);
    }
    // Hide every comment about travel, whatever was ticked.
    const hidden = await wg.post(`/wg/${SLUG}/comments?theme=${travel}`, { _csrf: csrf, action: 'hidden', scope: 'shown', ids: [items[1]!.id] });
    expect(hidden.statusCode).toBe(303);
    for (const item of await queue(t)) expect(item.status).toBe(item.themes.includes(travel) ? 'hidden' : 'pending');
  });

  it('changes nothing when nothing is ticked, when a comment is not this survey’s, without its token, or for staff', async () => {
    const { t, wg } = await setUp();
    const items = await queue(t);
    const before = statuses(t);
    const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=fr`);

    const none = await wg.post(`/wg/${SLUG}/comments?lang=fr`, { _csrf: csrf, action: 'published', scope: 'selected' });
    expect(none.statusCode).toBe(400);
    // Refused on the queue itself, in the reader's language, the bulk form still there.
    expect(text(none.body)).toContain(text(tr('fr')('problems:none_chosen')));
    expect(byId(none.body, 'bulk')).toBeDefined();

    const stranger = await wg.post(`/wg/${SLUG}/comments?lang=fr`, { _csrf: csrf, action: 'published', ids: [items[0]!.id, 'not-a-comment'] });
    expect(stranger.statusCode).toBe(404);
    expect((await wg.post(`/wg/${SLUG}/comments`, { action: 'published', ids: [items[0]!.id] })).statusCode).toBe(403);
    expect((await wg.post(`/wg/${SLUG}/comments`, { _csrf: csrf, action: 'deleted', ids: [items[0]!.id] })).statusCode).toBe(400);

    const staff = await signedIn(t, 'staff');
    const staffCsrf = await staff.csrf('/staff');
    const asStaff = await staff.post(`/wg/${SLUG}/comments`, { _csrf: staffCsrf, action: 'published', ids: [items[0]!.id] });
    expect(asStaff.statusCode).toBe(403);
    const anonymous = await new Client(t).post(`/wg/${SLUG}/comments`, { action: 'published', ids: [items[0]!.id] });
    expect([303, 401, 403]).toContain(anonymous.statusCode);

    expect(statuses(t)).toEqual(before);
  });
});

describe('a queue of a hundred comments', () => {
  it('renders every comment once, numbered 1 to 100, with one save button and one select box each', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(100));
    const wg = await signedIn(t, 'wg');
    const page = (await wg.get(`/wg/${SLUG}/review?lang=en`)).body;
    const ids = shownIds(page);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    const headings = elements(page, 'h3').map((h) => text(h));
    expect(headings.map((h) => Number(/Comment (\d+) —/.exec(h)?.[1]))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(tags(page, 'input').filter((i) => attr(i, 'form') === 'bulk')).toHaveLength(100);
    const brotli = brotliCompressSync(page, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } }).byteLength;
    console.info(`[queue-page.test] a queue of 100 comments weighs ${Buffer.byteLength(page)} bytes of HTML, ${brotli} with brotli (quality 5, as served)`);
  });
});
