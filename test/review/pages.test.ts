/**
 * The Working Group's pages (§8, §9): the home, the review queue with its forms (a comment's
 * decision, redaction, themes, translations, sharing; adding and renaming themes; publishing),
 * the meeting brief — every one in the reader's language, every form refused without its CSRF
 * token.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import { attr, byId, elementById, tags, text } from '../html.js';
import { makeApp, type TestApp } from '../helpers.js';
import { Client, csrfOf, signedIn } from '../access/client.js';
import { createTheme, numbered, publishedReview, queue, reviewable, setStatus, SLUG, storedText } from './fixture.js';

const i18n = createI18n();
const tr = (locale: Locale) => i18n.getFixedT(locale);

async function setUp(texts: string[] = numbered(9)) {
  const t = await makeApp();
  await reviewable(t, texts);
  const wg = await signedIn(t, 'wg');
  return { t, wg };
}

const count = (t: TestApp, sql: string) => t.db.sqlite.prepare(sql).pluck().get() as number;

describe('the Working Group home', () => {
  for (const locale of LOCALES) {
    it(`lists closed surveys with links to the queue, the brief and the results (${locale})`, async () => {
      const { t, wg } = await setUp();
      const res = await wg.get(`/wg?lang=${locale}`);
      const label = t.app.tokens.list().find((row) => row.role === 'wg')!.label;
      expect(res.statusCode).toBe(200);
      const tt = tr(locale);
      const visible = text(res.body);
      expect(visible).toContain(tt('review:home_title'));
      expect(visible).toContain(tt('access:sign_out', { label }));
      // What the Working Group sees and what it never sees, in plain words.
      expect(visible).toContain(tt('review:home_intro'));
      const links = tags(res.body, 'a').map((a) => attr(a, 'href'));
      expect(links).toEqual(expect.arrayContaining([`/wg/${SLUG}/review?lang=${locale}`, `/wg/${SLUG}/brief?lang=${locale}`, `/s/${SLUG}/results?lang=${locale}`]));
      expect(res.headers['cache-control'] ?? '').not.toMatch(/public/);
    });
  }
});

describe('the review queue page', () => {
  for (const locale of LOCALES) {
    it(`shows every comment with its form, the themes and the publish form, in ${locale}`, async () => {
      const { t, wg } = await setUp();
      const labels = { en: 'Programme', es: 'Programa', fr: 'Programme (fr)' };
      const theme = await createTheme(t, SLUG, labels, { en: ['programme'] });
      const res = await wg.get(`/wg/${SLUG}/review?lang=${locale}`);
      expect(res.statusCode).toBe(200);
      const tt = tr(locale);
      const visible = text(res.body);
      // Compared as visible text: French typography puts no-break spaces before colons.
      expect(visible).toContain(text(tt('review:queue_counts', { pending: 9, published: 0, hidden: 0 })));
      expect(visible).toContain(tt('review:comments_title', { count: 9 }));
      expect(visible).toContain(tt('review:publish'));
      expect(visible).toContain(labels[locale]);
      const items = await queue(t);
      for (const item of items) {
        const article = elementById(res.body, `c-${item.id}`)!;
        expect(article).toBeDefined();
        expect(text(article)).toContain(item.text);
        const form = tags(article, 'form')[0]!;
        expect(attr(form, 'action')).toBe(`/wg/${SLUG}/comments/${item.id}?lang=${locale}`);
        expect(csrfOf(article)).toBeTruthy();
        // The theme is suggested (keyword "programme") and, the comment having no theme yet, ticked
        // for the reviewer to confirm or untick.
        const box = byId(article, `c-${item.id}-theme-${theme.id}`)!;
        expect(attr(box, 'checked')).toBeDefined();
        expect(text(article)).toContain(`(${tt('review:suggested')})`);
        expect(attr(byId(article, `c-${item.id}-status-pending`)!, 'checked')).toBeDefined();
      }
    });
  }
});

describe('saving a comment through its form', () => {
  it('publishes, redacts (scrubbed again), tags, translates and shares it', async () => {
    const { t, wg } = await setUp();
    const theme = await createTheme(t, SLUG, { en: 'Time', es: 'Tiempo', fr: 'Temps' });
    const [item] = await queue(t);
    const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=fr`);
    const res = await wg.post(`/wg/${SLUG}/comments/${item!.id}?lang=fr`, {
      _csrf: csrf,
      status: 'published',
      text: 'Rewritten; contact: jo@example.org',
      themes: [String(theme.id)],
      translation_en: '',
      translation_es: 'Reescrito.',
      translation_fr: 'Réécrit.',
      shareWithPartners: 'yes',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/wg/${SLUG}/review?lang=fr&done=saved&saved=${item!.id}`);
    expect(storedText(t, item!.id)).toBe('Rewritten; contact: [email]');
    const now = (await queue(t)).find((i) => i.id === item!.id)!;
    expect(now).toMatchObject({ status: 'published', themes: [theme.id], translations: { es: 'Reescrito.', fr: 'Réécrit.' }, shareWithPartners: true });
    const after = await wg.get(res.headers.location as string);
    // The note is in the comment saved, which the page opens on.
    expect(text(elementById(after.body, `c-${item!.id}`)!)).toContain(tr('fr')('review:saved_comment', { number: 1 }));
    expect(text(after.body)).toContain(text(tr('fr')('review:queue_counts', { pending: 8, published: 1, hidden: 0 })));

    // Saved again without the boxes ticked: no theme, not shared; a blank text keeps the text.
    const again = await wg.post(`/wg/${SLUG}/comments/${item!.id}`, { _csrf: csrf, status: 'hidden', text: '   ' });
    expect(again.statusCode).toBe(303);
    expect((await queue(t)).find((i) => i.id === item!.id)).toMatchObject({ status: 'hidden', themes: [], shareWithPartners: false, text: 'Rewritten; contact: [email]' });
  });

  it('refuses an unknown comment (404) and an unknown decision (400)', async () => {
    const { t, wg } = await setUp();
    const [item] = await queue(t);
    const csrf = await wg.csrf(`/wg/${SLUG}/review`);
    expect((await wg.post(`/wg/${SLUG}/comments/nothing`, { _csrf: csrf, status: 'published' })).statusCode).toBe(404);
    expect((await wg.post(`/wg/${SLUG}/comments/${item!.id}`, { _csrf: csrf, status: 'deleted' })).statusCode).toBe(400);
    expect(count(t, "select count(*) from comments where status != 'pending'")).toBe(0);
  });
});

describe('themes through the page', () => {
  it('adds a theme with keywords, and renames it', async () => {
    const { t, wg } = await setUp();
    const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=es`);
    const added = await wg.post(`/wg/${SLUG}/themes?lang=es`, {
      _csrf: csrf,
      label_en: 'Language',
      label_es: 'Idioma',
      label_fr: 'Langue',
      keywords_en: 'translation, interpreting',
      keywords_es: 'traducción; intérprete',
      keywords_fr: '',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/wg/${SLUG}/review?lang=es&done=theme`);
    const themes = (await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/themes`, headers: t.as('wg') })).json() as { id: number }[];
    expect(themes).toEqual([{ id: themes[0]!.id, label: { en: 'Language', es: 'Idioma', fr: 'Langue' }, keywords: { en: ['translation', 'interpreting'], es: ['traducción', 'intérprete'], fr: [] }, questions: null }]);
    const page = await wg.get(added.headers.location as string);
    expect(text(page.body)).toContain(tr('es')('review:done.theme'));
    expect(attr(byId(page.body, `theme-${themes[0]!.id}-kw-es`)!, 'value')).toBe('traducción, intérprete');

    const renamed = await wg.post(`/wg/${SLUG}/themes/${themes[0]!.id}?lang=es`, { _csrf: csrf, label_en: 'Languages', label_es: 'Idiomas', label_fr: 'Langues', keywords_en: 'translation' });
    expect(renamed.statusCode).toBe(303);
    const after = (await t.app.inject({ method: 'GET', url: `/api/surveys/${SLUG}/themes`, headers: t.as('wg') })).json();
    expect(after).toEqual([{ id: themes[0]!.id, label: { en: 'Languages', es: 'Idiomas', fr: 'Langues' }, keywords: { en: ['translation'], es: [], fr: [] }, questions: null }]);
  });

  for (const locale of LOCALES) {
    it(`refuses a theme without its three names: 400 with the reason in ${locale}, nothing stored`, async () => {
      const { t, wg } = await setUp();
      const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=${locale}`);
      const res = await wg.post(`/wg/${SLUG}/themes?lang=${locale}`, { _csrf: csrf, label_en: 'Only English', label_es: ' ', label_fr: '' });
      expect(res.statusCode).toBe(400);
      const summary = tags(res.body, 'div').find((d) => attr(d, 'class') === 'error-summary');
      expect(attr(summary!, 'role')).toBe('alert');
      expect(text(res.body)).toContain(tr(locale)('errors:theme_needs_labels'));
      expect(count(t, 'select count(*) from themes')).toBe(0);
    });
  }
});

describe('publishing through the page', () => {
  it('publishes the review for staff and the brief', async () => {
    const { t, wg } = await setUp();
    const items = await queue(t);
    await setStatus(t, items.slice(0, 8), 'published');
    const csrf = await wg.csrf(`/wg/${SLUG}/review?lang=fr`);
    const res = await wg.post(`/wg/${SLUG}/publish?lang=fr`, { _csrf: csrf });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/wg/${SLUG}/review?lang=fr&done=published`);
    expect(text((await wg.get(res.headers.location as string)).body)).toContain(tr('fr')('review:done.published'));
    expect((await publishedReview(t)).comments).toHaveLength(8);
  });
});

describe('CSRF on every form of the review pages', () => {
  async function forms() {
    const { t, wg } = await setUp();
    const theme = await createTheme(t, SLUG, { en: 'Time', es: 'Tiempo', fr: 'Temps' });
    const items = await queue(t);
    await setStatus(t, items.slice(0, 8), 'published');
    const [item] = items;
    return {
      t,
      wg,
      forms: {
        comment: { url: `/wg/${SLUG}/comments/${item!.id}`, fields: { status: 'hidden', text: 'Changed by a forged form.' } },
        addTheme: { url: `/wg/${SLUG}/themes`, fields: { label_en: 'Forged', label_es: 'Falso', label_fr: 'Faux' } },
        editTheme: { url: `/wg/${SLUG}/themes/${theme.id}`, fields: { label_en: 'Forged', label_es: 'Falso', label_fr: 'Faux' } },
        publish: { url: `/wg/${SLUG}/publish`, fields: {} },
        logout: { url: '/logout', fields: {} },
      },
      state: () => JSON.stringify([t.db.sqlite.prepare('select * from comments order by id').all(), t.db.sqlite.prepare('select * from themes').all(), count(t, 'select count(*) from reviews')]),
    };
  }

  for (const locale of LOCALES) {
    it(`refuses each form without, or with a wrong, CSRF token: 403, translated (${locale}), nothing changed`, async () => {
      const { t, wg, forms: all, state } = await forms();
      const before = state();
      const elsewhere = csrfOf((await new Client(t).get('/login')).body);
      for (const [name, form] of Object.entries(all)) {
        for (const csrf of [undefined, '', 'forged', elsewhere]) {
          const res = await wg.post(`${form.url}?lang=${locale}`, { ...form.fields, ...(csrf === undefined ? {} : { _csrf: csrf }) });
          expect(res.statusCode, `${name} with ${csrf}`).toBe(403);
          expect(text(res.body), name).toContain(text(tr(locale)('errors:csrf_invalid')));
          expect(text(res.body), name).toContain(tr(locale)('errors:title_403'));
        }
      }
      expect(state()).toBe(before);
      expect(wg.signedIn()).toBe(true);
      // A token in a header is no way around it for a cookie-carrying form post either.
      const header = await wg.post(`${all.publish.url}`, {}, { 'x-csrf-token': 'forged' });
      expect(header.statusCode).toBe(403);
    });
  }

  it('refuses a form posted with a valid token but without the CSRF secret cookie', async () => {
    const { wg, forms: all, state } = await forms();
    const before = state();
    const csrf = await wg.csrf(`/wg/${SLUG}/review`);
    wg.jar.delete('_csrf');
    for (const form of Object.values(all)) expect((await wg.post(form.url, { ...form.fields, _csrf: csrf })).statusCode).toBe(403);
    expect(state()).toBe(before);
  });
});

describe('the meeting brief', () => {
  it('is a printable page with each theme, its count and its comments, then the comments without a theme, in the reader’s language', async () => {
    const { t, wg } = await setUp();
    const time = await createTheme(t, SLUG, { en: 'Time', es: 'Tiempo', fr: 'Temps' });
    const money = await createTheme(t, SLUG, { en: 'Money', es: 'Dinero', fr: 'Argent' });
    await createTheme(t, SLUG, { en: 'Empty', es: 'Vacío', fr: 'Vide' });
    const items = await queue(t);
    await setStatus(t, items.slice(0, 8), 'published');
    await setStatus(t, items.slice(0, 3), 'published', { themes: [time.id] });
    await setStatus(t, items.slice(3, 4), 'published', { themes: [money.id] });
    await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/review/publish`, headers: t.as('wg') });
    for (const locale of LOCALES) {
      const tt = tr(locale);
      const res = await wg.get(`/wg/${SLUG}/brief?lang=${locale}`);
      expect(res.statusCode).toBe(200);
      const visible = text(res.body);
      const label = (th: { en: string; es: string; fr: string }) => th[locale];
      expect(visible).toContain(`${label({ en: 'Time', es: 'Tiempo', fr: 'Temps' })} (${tt('review:comments_count', { count: 3, formatted: '3' })})`);
      expect(visible).toContain(`${label({ en: 'Money', es: 'Dinero', fr: 'Argent' })} (${tt('review:comments_count', { count: 1, formatted: '1' })})`);
      expect(visible).toContain(`${label({ en: 'Empty', es: 'Vacío', fr: 'Vide' })} (${tt('review:comments_count', { count: 0, formatted: '0' })}) ${tt('review:no_comments_for_theme')}`);
      expect(visible).toContain(tt('review:without_theme'));
      // Most-commented theme first; the comments without a theme last.
      const order = [visible.indexOf(label({ en: 'Time', es: 'Tiempo', fr: 'Temps' })), visible.indexOf(label({ en: 'Money', es: 'Dinero', fr: 'Argent' })), visible.indexOf(tt('review:without_theme'))];
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      const unthemed = elementById(res.body, 'unthemed') ? res.body.slice(res.body.indexOf('id="unthemed"')) : '';
      for (const item of items.slice(4, 8)) expect(text(unthemed)).toContain(item.text);
      for (const item of items.slice(0, 4)) expect(text(unthemed)).not.toContain(item.text);
      expect(items.slice(8).every((i) => !visible.includes(i.text))).toBe(true);
    }
    // A print stylesheet exists for it, in the signed-in pages' stylesheet.
    const css = (await t.app.inject({ method: 'GET', url: '/assets/staff.css' })).body;
    expect(css).toMatch(/@media print\{\.brief/);
  });
});
