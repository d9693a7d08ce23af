/**
 * Publishing the review (§8): at least minComments published comments or none; a comment named
 * under its question only where the results show that question's comment count and at least
 * minComments of its comments are published; only published comments ever leave the queue
 * (hidden and pending ones appear nowhere else); theme counts are overall only; re-publishing
 * replaces what staff, the brief and partners see; translations are shown with the original
 * beside them; redactions replace the stored text and are scrubbed again.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { text } from '../html.js';
import { L, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { Client, signedIn } from '../access/client.js';
import {
  close,
  createTheme,
  GROUPING_WORDS,
  numbered,
  patchComment,
  publishedReview,
  publishReview,
  queue,
  reviewable,
  setStatus,
  SLUG,
  storedText,
  storedTexts,
  type QueueItem,
} from './fixture.js';

const i18n = createI18n();
const tr = (locale: 'en' | 'es' | 'fr') => i18n.getFixedT(locale);

const byText = (items: QueueItem[], fragment: string) => items.filter((i) => i.text.includes(fragment));

describe('publishing requires at least minComments published comments, or none', () => {
  it('publishes an empty review (no comment published)', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(10));
    await createTheme(t, SLUG, { en: 'Time', es: 'Tiempo', fr: 'Temps' });
    const review = await publishReview(t);
    expect(review.comments).toEqual([]);
    expect(review.themes.map((th) => th.count)).toEqual([0]);
    expect(await publishedReview(t)).toEqual(review);
  });

  for (const locale of LOCALES) {
    it(`refuses 1 to minComments − 1 published comments with 409, translated (${locale}), and keeps the earlier review`, async () => {
      const t = await makeApp();
      await reviewable(t, numbered(12));
      const items = await queue(t);
      await setStatus(t, items.slice(0, 8), 'published');
      const first = await publishReview(t);
      expect(first.comments).toHaveLength(8);
      for (const count of [7, 1]) {
        await setStatus(t, items.slice(count, 8), 'hidden');
        const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/review/publish?lang=${locale}`, headers: t.as('wg') });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ error: 'too_few_published', message: tr(locale)('errors:too_few_published', { min: 8, count }) });
        expect(res.json().message).toContain(String(count));
        expect(await publishedReview(t)).toEqual(first);
      }
      // The page form says so too, in the reader's language.
      const wg = await signedIn(t, 'wg');
      const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=${locale}`);
      const page = await wg.post(`/wg/${SLUG}/publish?lang=${locale}`, { _csrf: csrf });
      expect(page.statusCode).toBe(409);
      expect(text(page.body)).toContain(text(tr(locale)('errors:too_few_published', { min: 8, count: 1 })));
      expect(t.db.sqlite.prepare('select count(*) from reviews').pluck().get()).toBe(1);
    });
  }

  it('publishes exactly minComments, and more', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(12));
    const items = await queue(t);
    await setStatus(t, items.slice(0, 8), 'published');
    expect((await publishReview(t)).comments).toHaveLength(8);
    await setStatus(t, items.slice(8), 'published');
    expect((await publishReview(t)).comments).toHaveLength(12);
  });
});

describe('per question, or pooled as "other comments"', () => {
  /**
   * A survey with a second text question: `suggestions` gets a comment from each of the 20
   * respondents, `extra` one from the first `extra` of them (k = 5, minComments = 8).
   */
  async function twoQuestions(extra: number) {
    const t = await makeApp();
    const def = sampleSurvey({ questions: [...sampleSurvey().questions, { id: 'extra', type: 'text', prompt: L('Anything else?', '¿Algo más?', 'Autre chose ?') }] });
    await openSurvey(t, def);
    for (let i = 0; i < 20; i++) {
      const answers = sampleAnswers({ speak_freely: 1 + (i % 5), suggestions: `Suggestion ${i}.`, ...(i < extra ? { extra: `Extra ${i}.` } : {}) });
      const res = await submit(t, SLUG, { answers });
      expect(res.statusCode, res.body).toBe(201);
    }
    await close(t, SLUG);
    const results = (await t.app.inject({ url: `/api/surveys/${SLUG}/results` })).json() as { questions: { id: string; comments?: unknown }[] };
    const comments = (id: string) => results.questions.find((q) => q.id === id)!.comments;
    const items = await queue(t);
    return { t, items, comments, of: (id: string) => items.filter((i) => i.questionId === id) };
  }
  const questionOf = (review: Awaited<ReturnType<typeof publishReview>>, prefix: string) => [...new Set(review.comments.filter((c) => c.text.startsWith(prefix)).map((c) => c.questionId))];

  it('keeps the question of comments published at least minComments times under a question whose count the results show', async () => {
    const { t, comments, of } = await twoQuestions(3);
    expect(comments('suggestions')).toEqual({ n: 20 });
    // Three comments: fewer than k, so the results hide the count …
    expect(comments('extra')).toEqual({ suppressed: true });
    await setStatus(t, of('suggestions').slice(0, 9), 'published');
    await setStatus(t, of('extra'), 'published');
    const review = await publishReview(t);
    expect(review.comments).toHaveLength(12);
    expect(questionOf(review, 'Suggestion')).toEqual(['suggestions']);
    // … and the review does not show it either: those three are "other comments".
    expect(questionOf(review, 'Extra')).toEqual([null]);
    expect(await publishedReview(t)).toEqual(review);
  });

  it('pools the comments of a question with fewer than minComments published, even where the results show its count', async () => {
    const { t, comments, of } = await twoQuestions(6);
    expect(comments('extra')).toEqual({ n: 6 });
    await setStatus(t, of('suggestions').slice(0, 7), 'published');
    await setStatus(t, of('extra'), 'published');
    const review = await publishReview(t);
    expect(review.comments).toHaveLength(13);
    expect(questionOf(review, 'Suggestion')).toEqual([null]);
    expect(questionOf(review, 'Extra')).toEqual([null]);
    // Once minComments of them are published, the suggestions get their question back.
    await setStatus(t, of('suggestions').slice(7, 8), 'published');
    const again = await publishReview(t);
    expect(questionOf(again, 'Suggestion')).toEqual(['suggestions']);
    expect(questionOf(again, 'Extra')).toEqual([null]);
  });
});

describe('hidden and pending comments appear nowhere else', () => {
  async function setUp() {
    const t = await makeApp();
    const texts = [...numbered(9, 'is fine to publish'), 'HIDDEN-ONE names someone.', 'HIDDEN-TWO tells a story only one partner could.', 'PENDING-ONE not decided.'];
    await reviewable(t, texts);
    const theme = await createTheme(t, SLUG, { en: 'Stories', es: 'Historias', fr: 'Histoires' }, { en: ['story'] });
    const items = await queue(t);
    await setStatus(t, byText(items, 'fine to publish'), 'published', { themes: [theme.id], shareWithPartners: true });
    // Hidden comments with everything that would otherwise carry them out: a theme, a translation, sharing.
    for (const item of byText(items, 'HIDDEN')) {
      await patchComment(t, item.id, { status: 'hidden', themes: [theme.id], shareWithPartners: true, translations: { fr: 'HIDDEN-FR traduction', es: 'HIDDEN-ES traducción' } });
    }
    await patchComment(t, byText(items, 'PENDING')[0]!.id, { themes: [theme.id], shareWithPartners: true, translations: { fr: 'PENDING-FR' } });
    const review = await publishReview(t);
    return { t, theme, review };
  }

  /** Everything anyone but the Working Group's queue can read about the survey. */
  async function everythingElse(t: TestApp): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const role of ['staff', 'wg', 'admin'] as const) {
      out[`review as ${role}`] = (await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/review`, headers: t.as(role) })).body;
    }
    const staff = await signedIn(t, 'staff');
    const wg = await signedIn(t, 'wg');
    const partner = new Client(t);
    for (const locale of LOCALES) {
      out[`brief (staff, ${locale})`] = (await staff.get(`/wg/${SLUG}/brief?lang=${locale}`)).body;
      out[`brief (wg, ${locale})`] = (await wg.get(`/wg/${SLUG}/brief?lang=${locale}`)).body;
      out[`results page (${locale})`] = (await partner.get(`/s/${SLUG}/results?lang=${locale}`)).body;
      out[`results page signed in (${locale})`] = (await staff.get(`/s/${SLUG}/results?lang=${locale}`)).body;
      out[`results csv (${locale})`] = (await partner.get(`/api/surveys/${SLUG}/results.csv?lang=${locale}`)).body;
    }
    out['results json'] = (await partner.get(`/api/surveys/${SLUG}/results`)).body;
    out['wg home'] = (await wg.get('/wg')).body;
    return out;
  }

  it('in the published review, the brief (staff and Working Group), the results page, JSON and CSV', async () => {
    const { t, review } = await setUp();
    expect(review.comments).toHaveLength(9);
    const all = await everythingElse(t);
    for (const [where, body] of Object.entries(all)) {
      for (const secret of ['HIDDEN-ONE', 'HIDDEN-TWO', 'HIDDEN-FR', 'HIDDEN-ES', 'PENDING-ONE', 'PENDING-FR']) {
        expect(body, `${secret} in ${where}`).not.toContain(secret);
      }
    }
    // The published ones are where they should be.
    expect(all['brief (staff, en)']).toContain('Comment 0 is fine to publish.');
    expect(all['results page (fr)']).toContain('Comment 8 is fine to publish.');
    expect(all['review as staff']).toContain('Comment 4 is fine to publish.');
    // And hidden comments are not counted under their theme.
    expect(review.themes[0]!.count).toBe(9);
  });

  it('nor do they come back when the review is published again', async () => {
    const { t } = await setUp();
    await publishReview(t);
    for (const [where, body] of Object.entries(await everythingElse(t))) expect(body, where).not.toContain('HIDDEN');
  });
});

describe('what staff see follows the latest publication', () => {
  it('changes only when the Working Group publishes again', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(12));
    const time = await createTheme(t, SLUG, { en: 'Time', es: 'Tiempo', fr: 'Temps' });
    const items = await queue(t);
    await setStatus(t, items.slice(0, 9), 'published');
    await patchComment(t, items[0]!.id, { themes: [time.id] });
    const first = await publishReview(t);
    expect(first.themes).toEqual([{ id: time.id, label: { en: 'Time', es: 'Tiempo', fr: 'Temps' }, count: 1, questions: [] }]);

    // Changes in the queue: one hidden, two more published, a redaction, a theme moved, a label renamed, a theme added.
    await patchComment(t, items[1]!.id, { status: 'hidden' });
    await setStatus(t, items.slice(9, 11), 'published');
    await patchComment(t, items[2]!.id, { text: 'Redacted after the first publication.' });
    await patchComment(t, items[0]!.id, { themes: [] });
    await patchComment(t, items[3]!.id, { themes: [time.id] });
    await patchComment(t, items[4]!.id, { themes: [time.id] });
    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/themes/${time.id}`, headers: t.as('wg'), payload: { label: { en: 'Timing', es: 'Plazos', fr: 'Calendrier' } } });
    expect(renamed.statusCode).toBe(200);
    const money = await createTheme(t, SLUG, { en: 'Money', es: 'Dinero', fr: 'Argent' });

    // Until then, staff and the brief see the first publication, unchanged.
    expect(await publishedReview(t)).toEqual(first);
    const staff = await signedIn(t, 'staff');
    const before = text((await staff.get(`/wg/${SLUG}/brief`)).body);
    expect(before).toContain(items[1]!.text);
    expect(before).not.toContain('Redacted after');
    expect(before).toContain('Time');

    const second = await publishReview(t);
    const seen = await publishedReview(t);
    expect(seen).toEqual(second);
    expect(seen.comments).toHaveLength(10);
    const texts = seen.comments.map((c) => c.text);
    expect(texts).not.toContain(items[1]!.text);
    expect(texts).toContain('Redacted after the first publication.');
    expect(texts).toContain(items[10]!.text);
    expect(seen.themes).toEqual([
      { id: time.id, label: { en: 'Timing', es: 'Plazos', fr: 'Calendrier' }, count: 2, questions: [] },
      { id: money.id, label: { en: 'Money', es: 'Dinero', fr: 'Argent' }, count: 0, questions: [] },
    ]);
    const after = text((await staff.get(`/wg/${SLUG}/brief?lang=es`)).body);
    expect(after).toContain('Plazos');
    expect(after).toContain('Redacted after the first publication.');
    expect(after).not.toContain(items[1]!.text);
  });
});

describe('theme counts are overall only', () => {
  it('count published comments per theme, and nothing in the review breaks them down by group', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(15));
    const a = await createTheme(t, SLUG, { en: 'Alpha', es: 'Alfa', fr: 'Alpha' });
    const b = await createTheme(t, SLUG, { en: 'Beta', es: 'Beta', fr: 'Bêta' });
    const items = await queue(t);
    await setStatus(t, items.slice(0, 10), 'published');
    for (const item of items.slice(0, 6)) await patchComment(t, item.id, { themes: [a.id] });
    for (const item of items.slice(4, 7)) await patchComment(t, item.id, { themes: [a.id, b.id] });
    await patchComment(t, items[12]!.id, { themes: [b.id] }); // pending: not counted
    const review = await publishReview(t);
    expect(review.themes.map((th) => [th.id, th.count])).toEqual([
      [a.id, 7],
      [b.id, 3],
    ]);
    // `questions`: the questions whose overall figures the brief shows beside the theme — question ids, never groups.
    for (const th of review.themes) expect(Object.keys(th).sort()).toEqual(['count', 'id', 'label', 'questions']);
    for (const c of review.comments) expect(Object.keys(c).sort()).toEqual(['questionId', 'shareWithPartners', 'text', 'themes', 'translations']);
    expect(Object.keys(review).sort()).toEqual(['comments', 'publishedAt', 'survey', 'themes']);
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (keys.add(k), walk(x));
    };
    const body = (await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/review`, headers: t.as('staff') })).body;
    walk(JSON.parse(body));
    for (const k of keys) expect(k).not.toMatch(/group|breakdown|region|respondent/i);
    for (const word of GROUPING_WORDS) expect(body.toLowerCase()).not.toContain(word.toLowerCase());
    expect(review.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/); // a day, not a moment

    // The results page shows one overall count per theme: a two-column table.
    const page = (await new Client(t).get(`/s/${SLUG}/results?lang=en`)).body;
    const section = page.slice(page.indexOf('id="wg-themes"'));
    expect(text(section)).toContain('Alpha 7');
    expect(text(section)).toContain('Beta 3');
    expect(section.match(/<th scope="col"/g)).toHaveLength(2);
  });
});

describe('translations', () => {
  async function setUp() {
    const t = await makeApp();
    await reviewable(t, numbered(8, 'says the calls are too short'));
    const items = await queue(t);
    await setStatus(t, items, 'published', { shareWithPartners: true });
    const target = items[3]!;
    const item = await patchComment(t, target.id, { translations: { fr: 'Le commentaire 3 dit que les appels sont trop courts.', es: 'El comentario 3 dice que las llamadas son demasiado cortas.' } });
    expect(item.translations).toEqual({ fr: 'Le commentaire 3 dit que les appels sont trop courts.', es: 'El comentario 3 dice que las llamadas son demasiado cortas.' });
    await publishReview(t);
    return { t, target };
  }

  it('show a reader of the brief their language, with the original beside it', async () => {
    const { t, target } = await setUp();
    const wg = await signedIn(t, 'wg');
    const fr = (await wg.get(`/wg/${SLUG}/brief?lang=fr`)).body;
    const quote = fr.slice(fr.lastIndexOf('<blockquote', fr.indexOf('Le commentaire 3')), fr.indexOf('</blockquote>', fr.indexOf('Le commentaire 3')));
    expect(text(quote)).toBe(text(`Le commentaire 3 dit que les appels sont trop courts. ${tr('fr')('review:original')} ${target.text}`));
    // In English there is no translation: the original alone, once.
    const en = text((await wg.get(`/wg/${SLUG}/brief?lang=en`)).body);
    expect(en).toContain(target.text);
    expect(en).not.toContain('Le commentaire 3');
    expect(en).not.toContain(tr('en')('review:original'));
    const es = text((await wg.get(`/wg/${SLUG}/brief?lang=es`)).body);
    expect(es).toContain(text(`El comentario 3 dice que las llamadas son demasiado cortas. ${tr('es')('review:original')} ${target.text}`));
  });

  it('show partners on the results page their language, with the original beside it', async () => {
    const { t, target } = await setUp();
    const fr = text((await new Client(t).get(`/s/${SLUG}/results?lang=fr`)).body);
    expect(fr).toContain(tr('fr')('review:shared_heading'));
    expect(fr).toContain(text(`Le commentaire 3 dit que les appels sont trop courts. ${tr('fr')('review:original')} ${target.text}`));
    const en = text((await new Client(t).get(`/s/${SLUG}/results?lang=en`)).body);
    expect(en).toContain(target.text);
    expect(en).not.toContain('Le commentaire 3');
  });

  it('are merged, removed with an empty string, and scrubbed like comments', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(8));
    const [item] = await queue(t);
    await patchComment(t, item!.id, { translations: { fr: 'Un.', es: 'Uno.' } });
    expect((await patchComment(t, item!.id, { translations: { es: '' } })).translations).toEqual({ fr: 'Un.' });
    const scrubbed = await patchComment(t, item!.id, { translations: { es: 'Escriba a ana.perez@example.org o visite https://example.org/x' } });
    expect(scrubbed.translations.es).toBe('Escriba a [email] o visite [link]');
    const stored = t.db.sqlite.prepare('select translations from comments where id = ?').pluck().get(item!.id) as string;
    expect(stored).not.toContain('ana.perez');
  });
});

describe('markup in a comment', () => {
  const MARKUP = `<script>alert("x")</script><img src=x onerror="alert(1)"></textarea><b onmouseover=alert(2)>bold</b> & <!-- -->`;

  it('is shown inert — as text — on the review page, in the brief and on the results page', async () => {
    const t = await makeApp();
    await reviewable(t, [...numbered(8), MARKUP]);
    const items = await queue(t);
    const markup = byText(items, '<script>')[0]!;
    expect(markup.text).toBe(MARKUP); // stored and served as typed: escaping is the pages' job
    await setStatus(t, items, 'published', { shareWithPartners: true });
    await patchComment(t, markup.id, { translations: { fr: `<script>alert("fr")</script><img src=y onerror=alert(3)>` } });
    await publishReview(t);
    const wg = await signedIn(t, 'wg');
    const pages = {
      queue: (await wg.get(`/wg/${SLUG}/review`)).body,
      briefEn: (await wg.get(`/wg/${SLUG}/brief?lang=en`)).body,
      briefFr: (await wg.get(`/wg/${SLUG}/brief?lang=fr`)).body,
      resultsEn: (await new Client(t).get(`/s/${SLUG}/results?lang=en`)).body,
      resultsFr: (await new Client(t).get(`/s/${SLUG}/results?lang=fr`)).body,
    };
    for (const [where, html] of Object.entries(pages)) {
      expect(html, where).not.toMatch(/<script|<img|<b[\s>]/i);
      // No real tag carries an event handler: the attributes typed are text between &lt; and &gt;.
      for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) expect(tag, where).not.toMatch(/\son[a-z]+=/i);
      expect(html, where).toContain('&lt;script');
      expect(html.match(/<\/textarea>/g)?.length ?? 0, where).toBe((html.match(/<textarea/g) ?? []).length);
      expect(text(html), where).toContain(MARKUP.replace(/\s+/g, ' '));
    }
    expect(text(pages.briefFr)).toContain('<script>alert("fr")</script><img src=y onerror=alert(3)>');
  });
});

describe('redaction', () => {
  it('replaces the stored text, scrubbed again', async () => {
    const t = await makeApp({ scrubTerms: ['Fundación Aurora'] });
    await reviewable(t, numbered(8, 'mentions the Fundación Aurora workshop'));
    const stored = storedTexts(t);
    expect(stored.every((s) => s.includes('[name]'))).toBe(true);
    const [item] = await queue(t);
    const redacted = await patchComment(t, item!.id, { text: '  The workshop was too short; write to me at maria.lopez@example.org or call +34 612 345 678. fundacion aurora knows.  ' });
    const expected = 'The workshop was too short; write to me at [email] or call [phone]. [name] knows.';
    expect(redacted.text).toBe(expected);
    expect(storedText(t, item!.id)).toBe(expected);
    expect((await queue(t)).find((i) => i.id === item!.id)!.text).toBe(expected);
    // The earlier text is gone from the table, and the e-mail address was never written.
    expect(storedTexts(t)).not.toContain(item!.text);
    const all = JSON.stringify(t.db.sqlite.prepare('select * from comments').all());
    expect(all).not.toContain('maria.lopez');
    expect(all).not.toContain('612 345');
  });

  it('refuses an empty text, unknown fields and unknown statuses (400, translated) and changes nothing', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(8));
    const [item] = await queue(t);
    for (const payload of [{ text: '' }, { text: '   ' }, { status: 'deleted' }, { questionId: 'region' }, { themes: ['x'] }, { shareWithPartners: 'yes' }, []]) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/comments/${item!.id}?lang=fr`, headers: t.as('wg'), payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toBe(tr('fr')(`errors:${res.json().error}`));
    }
    expect(storedText(t, item!.id)).toBe(item!.text);
    expect((await queue(t)).find((i) => i.id === item!.id)).toEqual(item);
  });
});

describe('themes on comments', () => {
  it('confirms only themes of the same survey (400 for another survey’s theme)', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(8));
    await reviewable(t, numbered(8), { slug: 'another-round' });
    const other = await createTheme(t, 'another-round', { en: 'Other', es: 'Otro', fr: 'Autre' });
    const [item] = await queue(t);
    for (const themes of [[other.id], [424242]]) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/comments/${item!.id}`, headers: t.as('wg'), payload: { themes } });
      expect(res.statusCode).toBe(400);
    }
    expect(t.db.sqlite.prepare('select count(*) from comment_themes').pluck().get()).toBe(0);
  });

  it('suggests themes in all three languages, accents and plurals included, apart from confirmed ones', async () => {
    const t = await makeApp();
    const texts = [
      ...numbered(6),
      'Las traducciones llegan siempre tarde.',
      'Les DELAIS de paiement sont trop longs.',
      'The reporting takes too much time.',
      'La traduccion y los retrasos, otra vez.',
    ];
    await reviewable(t, texts);
    const language = await createTheme(t, SLUG, { en: 'Language', es: 'Idioma', fr: 'Langue' }, { es: ['traducción'], fr: ['traduction'], en: ['translation'] });
    const delays = await createTheme(t, SLUG, { en: 'Delays', es: 'Retrasos', fr: 'Délais' }, { fr: ['délai'], es: ['retraso'], en: ['delay'] });
    const reports = await createTheme(t, SLUG, { en: 'Reports', es: 'Informes', fr: 'Rapports' }, { en: ['report'] });
    const items = await queue(t);
    const suggested = (fragment: string) => byText(items, fragment)[0]!.suggestedThemes;
    expect(suggested('traducciones')).toEqual([language.id]);
    expect(suggested('DELAIS')).toEqual([delays.id]);
    expect(suggested('reporting')).toEqual([reports.id]);
    expect(suggested('traduccion y')).toEqual([language.id, delays.id]);
    expect(suggested('Comment 0')).toEqual([]);
    for (const item of items) expect(item.themes).toEqual([]);

    // Confirming a suggested theme takes it out of the suggestions.
    const mixed = byText(items, 'traduccion y')[0]!;
    const confirmed = await patchComment(t, mixed.id, { themes: [delays.id] });
    expect(confirmed.themes).toEqual([delays.id]);
    expect(confirmed.suggestedThemes).toEqual([language.id]);
    const all = await patchComment(t, mixed.id, { themes: [language.id, delays.id, reports.id] });
    expect(all.suggestedThemes).toEqual([]);
    for (const item of await queue(t)) for (const id of item.themes) expect(item.suggestedThemes).not.toContain(id);

    // Changing a theme's keywords changes its suggestions.
    const res = await t.app.inject({ method: 'PATCH', url: `/api/themes/${reports.id}`, headers: t.as('wg'), payload: { keywords: { en: ['time'] } } });
    expect(res.statusCode).toBe(200);
    const again = await queue(t);
    expect(byText(again, 'reporting')[0]!.suggestedThemes).toEqual([reports.id]); // "time"
    expect(byText(again, 'Comment 0')[0]!.suggestedThemes).toEqual([]);
  });
});

describe('the theme catalogue (API)', () => {
  it('needs a label in all three languages; keywords are optional, trimmed and deduplicated', async () => {
    const t = await makeApp();
    await reviewable(t, numbered(8));
    const post = (payload: unknown) => t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/themes?lang=es`, headers: t.as('wg'), payload: payload as object });
    for (const payload of [
      { label: { en: 'Time', es: 'Tiempo' } },
      { label: { en: 'Time', es: 'Tiempo', fr: '  ' } },
      { label: { en: 'Time', es: 'Tiempo', fr: 'Temps', de: 'Zeit' } },
      { label: { en: 'Time', es: 'Tiempo', fr: 'Temps' }, keywords: { de: ['zeit'] } },
      { label: { en: 'Time', es: 'Tiempo', fr: 'Temps' }, keywords: { en: 'time' } },
      {},
    ]) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toBe(tr('es')('errors:invalid_request'));
    }
    expect(t.db.sqlite.prepare('select count(*) from themes').pluck().get()).toBe(0);
    const ok = await post({ label: { en: 'Time', es: 'Tiempo', fr: 'Temps' }, keywords: { en: [' time ', 'time', '', 'late'] } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ id: ok.json().id, label: { en: 'Time', es: 'Tiempo', fr: 'Temps' }, keywords: { en: ['time', 'late'], es: [], fr: [] }, questions: null });
    const list = await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/themes`, headers: t.as('wg') });
    expect(list.json()).toEqual([ok.json()]);
    // Keywords alone change the keywords (replaced as a whole) and keep the label; a blank label is refused.
    const patch = (payload: unknown) => t.app.inject({ method: 'PATCH', url: `/api/themes/${ok.json().id}`, headers: t.as('wg'), payload: payload as object });
    expect((await patch({ keywords: { fr: ['retard'] } })).json()).toMatchObject({ label: { en: 'Time' }, keywords: { en: [], es: [], fr: ['retard'] } });
    expect((await patch({ label: { en: '', es: 'Tiempo', fr: 'Temps' } })).statusCode).toBe(400);
  });
});
