/**
 * The commitments' pages (§13) through the real app: staff write and change commitments in the
 * browser, the Working Group writes its note and nothing else, a refused form keeps what was
 * typed; and partners find the commitments where they look — the results page, the brief, and
 * "Since the last round" on the next round's form — in their language, with the Working Group's note.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES } from '../../src/i18n/index.js';
import { attr, elementById, tags, text } from '../html.js';
import { L, makeApp, openSurvey, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { createTheme, numbered, publishReview, queue, reviewable, setStatus, SLUG } from '../review/fixture.js';
import { Browser, signIn } from '../staff/session.js';

const i18n = createI18n();
const tr = (locale: string, key: string, params: Record<string, unknown> = {}) => i18n.getFixedT(locale)(key, params);
const DAY = new Date('2027-03-02T10:00:00Z');

const heard = L('Reports take too long.', 'Los informes llevan demasiado tiempo.', 'Les rapports prennent trop de temps.');
const action = L('One short report a year.', 'Un informe breve al año.', 'Un rapport court par an.');
const reason = L('The board requires quarterly figures.', 'La junta exige cifras trimestrales.', 'Le conseil exige des chiffres trimestriels.');
const note = L('We will check in June.', 'Lo comprobaremos en junio.', 'Nous vérifierons en juin.');
const REPORTING = L('Reporting', 'Informes', 'Rapports');

async function reviewed(publish = true): Promise<{ t: TestApp; themeId: number }> {
  const t = await makeApp({}, { now: () => DAY });
  await reviewable(t, numbered(10));
  const theme = await createTheme(t, SLUG, REPORTING);
  if (publish) {
    await setStatus(t, (await queue(t)).slice(0, 8), 'published', { themes: [theme.id] });
    await publishReview(t);
  }
  return { t, themeId: theme.id };
}

/** The add form's fields for a commitment. */
const fields = (over: Record<string, string> = {}): Record<string, string> => ({
  themeId: '',
  ...Object.fromEntries(LOCALES.flatMap((l) => [[`heard_${l}`, heard[l]], [`action_${l}`, action[l]], [`reason_${l}`, '']])),
  status: 'planned',
  due: '',
  ...over,
});

const count = (t: TestApp) => t.db.sqlite.prepare('select count(*) from commitments').pluck().get() as number;

async function added(t: TestApp, staff: Browser, over: Record<string, string> = {}): Promise<number> {
  await staff.get(`/staff/surveys/${SLUG}/commitments?lang=en`);
  const res = await staff.post(`/staff/surveys/${SLUG}/commitments?lang=en`, fields(over));
  expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
  const id = Number(/#commitment-(\d+)$/.exec(String(res.headers.location))![1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

describe('staff pages', () => {
  it('say the review is not published yet, and offer no form', async () => {
    const { t } = await reviewed(false);
    const staff = await signIn(t, 'staff');
    for (const lang of LOCALES) {
      const page = await staff.get(`/staff/surveys/${SLUG}/commitments?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      expect(text(page.body)).toContain(tr(lang, 'commitments:not_published'));
      expect(tags(page.body, 'form').filter((f) => attr(f, 'action')?.includes('/commitments'))).toEqual([]);
    }
  });

  it('add a commitment in three languages; it shows with its status, due month and history', async () => {
    const { t, themeId } = await reviewed();
    const staff = await signIn(t, 'staff');
    const id = await added(t, staff, { themeId: String(themeId), due: '2027-06' });
    for (const lang of LOCALES) {
      const page = await staff.get(`/staff/surveys/${SLUG}/commitments?lang=${lang}&done=created`);
      const item = elementById(page.body, `commitment-${id}`)!;
      expect(text(item)).toContain(REPORTING[lang]);
      expect(text(item)).toContain(heard[lang]);
      expect(text(item)).toContain(action[lang]);
      expect(text(item)).toContain(tr(lang, 'commitments:status.planned'));
      expect(text(item)).toContain(new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date('2027-06-01T00:00:00Z')));
      const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(DAY);
      expect(text(page.body)).toContain(tr(lang, 'commitments:history_created', { date, by: tr(lang, 'commitments:by.staff') }));
      expect(text(page.body)).toContain(tr(lang, 'commitments:done.created'));
      expect(text(page.body)).toContain(tr(lang, 'commitments:theme_answered', { theme: REPORTING[lang] }));
    }
    expect(count(t)).toBe(1);
  });

  it('show a refused form again as typed, each message beside its field, and store nothing', async () => {
    const { t } = await reviewed();
    const staff = await signIn(t, 'staff');
    await staff.get(`/staff/surveys/${SLUG}/commitments?lang=fr`);
    const res = await staff.post(`/staff/surveys/${SLUG}/commitments?lang=fr`, fields({ heard_es: '', status: 'not_doing', due: 'June' }));
    expect(res.statusCode).toBe(400);
    expect(count(t)).toBe(0);
    const textarea = (name: string) => tags(res.body, 'textarea').find((x) => attr(x, 'name') === name)!;
    expect(attr(textarea('heard_es'), 'aria-invalid')).toBe('true');
    expect(attr(textarea('heard_en'), 'aria-invalid')).toBeUndefined();
    // What was typed is still there.
    expect(res.body).toContain(heard.fr);
    expect(res.body).toContain(action.es);
    // The reason is asked for, and the month refused, in French.
    expect(text(elementById(res.body, 'new-reason-error') ?? '')).toBe(tr('fr', 'problems:reason_required'));
    expect(attr(tags(res.body, 'input').find((x) => attr(x, 'name') === 'due')!, 'aria-invalid')).toBe('true');
    expect(attr(tags(res.body, 'input').find((x) => attr(x, 'name') === 'due')!, 'value')).toBe('June');
    expect(text(res.body)).toContain(tr('fr', 'errors:invalid_request'));
  });

  it('change a commitment: not doing, with its reason; every change kept in the history', async () => {
    const { t } = await reviewed();
    const staff = await signIn(t, 'staff');
    const id = await added(t, staff);
    const edit = await staff.get(`/staff/commitments/${id}?lang=es`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain(action.es);
    // Not doing without a reason is refused, beside the reason.
    const refused = await staff.post(`/staff/commitments/${id}?lang=es`, fields({ status: 'not_doing' }));
    expect(refused.statusCode).toBe(400);
    expect(text(elementById(refused.body, 'edit-reason-error') ?? '')).toBe(tr('es', 'problems:reason_required'));
    const saved = await staff.post(`/staff/commitments/${id}?lang=es`, fields({ status: 'not_doing', ...Object.fromEntries(LOCALES.map((l) => [`reason_${l}`, reason[l]])) }));
    expect(saved.statusCode).toBe(303);
    expect(String(saved.headers.location)).toBe(`/staff/surveys/${SLUG}/commitments?lang=es&done=saved#commitment-${id}`);
    const list = (await t.app.inject({ url: `/api/surveys/${SLUG}/commitments` })).json() as { status: string; reason: unknown; history: { by: string; changes: string[] }[] }[];
    expect(list[0]!.status).toBe('not_doing');
    expect(list[0]!.reason).toEqual(reason);
    expect(list[0]!.history).toEqual([
      { date: '2027-03-02', by: 'staff', changes: ['created'] },
      { date: '2027-03-02', by: 'staff', changes: ['status', 'reason'] },
    ]);
    const page = await staff.get(`/staff/surveys/${SLUG}/commitments?lang=es`);
    expect(text(page.body)).toContain(reason.es);
    expect(text(page.body)).toContain(tr('es', 'commitments:status.not_doing'));
  });
});

describe('the Working Group page', () => {
  it('adds the note beside staff\'s text, and changes nothing else', async () => {
    const { t } = await reviewed();
    const staff = await signIn(t, 'staff');
    const id = await added(t, staff);
    const wg = await signIn(t, 'wg', { lang: 'fr' });
    const page = await wg.get(`/wg/${SLUG}/commitments?lang=fr`);
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain(action.fr);
    // The form holds the note's fields only.
    const names = tags(page.body, 'textarea').map((x) => attr(x, 'name'));
    expect(names).toEqual(['wgNote_en', 'wgNote_es', 'wgNote_fr']);
    // A note in one language only is refused in place.
    const partial = await wg.post(`/wg/${SLUG}/commitments/${id}/note?lang=fr`, { wgNote_en: note.en, wgNote_es: '', wgNote_fr: '' });
    expect(partial.statusCode).toBe(400);
    expect(partial.body).toContain(note.en);
    // Fields of staff's, sent with the note, are not read.
    const res = await wg.post(`/wg/${SLUG}/commitments/${id}/note?lang=fr`, { ...Object.fromEntries(LOCALES.map((l) => [`wgNote_${l}`, note[l]])), status: 'done', heard_en: 'Changed' });
    expect(res.statusCode).toBe(303);
    const [stored] = (await t.app.inject({ url: `/api/surveys/${SLUG}/commitments` })).json() as { status: string; heard: unknown; wgNote: unknown; history: { by: string; changes: string[] }[] }[];
    expect(stored).toMatchObject({ status: 'planned', heard, wgNote: note });
    expect(stored!.history.at(-1)).toEqual({ date: '2027-03-02', by: 'wg', changes: ['wgNote'] });
    const after = await wg.follow(res);
    expect(text(after.body)).toContain(tr('fr', 'commitments:done.note'));
    expect(text(after.body)).toContain(tr('fr', 'commitments:history_changed', { date: '2 mars 2027', fields: tr('fr', 'commitments:field.wgNote'), by: tr('fr', 'commitments:by.wg') }));
    // A commitment of another survey is not this survey's.
    const foreign = await wg.post(`/wg/other-survey/commitments/${id}/note?lang=fr`, Object.fromEntries(LOCALES.map((l) => [`wgNote_${l}`, note[l]])));
    expect(foreign.statusCode).toBe(404);
  });
});

describe('who may use the pages', () => {
  const STAFF_PAGES = [`/staff/surveys/${SLUG}/commitments`, '/staff/commitments/1'];
  const WG_PAGES = [`/wg/${SLUG}/commitments`];

  it('sends a visitor without a session to /login, refuses the other role (403), and takes no form without its CSRF token', async () => {
    const { t } = await reviewed();
    const staff = await signIn(t, 'staff');
    const id = await added(t, staff);
    expect(id).toBe(1);
    for (const url of [...STAFF_PAGES, ...WG_PAGES]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/login\?/);
    }
    const wg = await signIn(t, 'wg');
    for (const url of STAFF_PAGES) expect((await wg.get(url)).statusCode, url).toBe(403);
    for (const url of WG_PAGES) expect((await staff.get(url)).statusCode, url).toBe(403);
    const before = JSON.stringify(t.db.sqlite.prepare('select * from commitments').all());
    // Forms: the other role, no session, no CSRF token.
    expect((await wg.post(`/staff/surveys/${SLUG}/commitments`, fields())).statusCode).toBe(403);
    expect((await wg.post(`/staff/commitments/${id}`, fields({ status: 'done' }))).statusCode).toBe(403);
    expect((await staff.post(`/wg/${SLUG}/commitments/${id}/note`, Object.fromEntries(LOCALES.map((l) => [`wgNote_${l}`, note[l]])))).statusCode).toBe(403);
    expect((await new Browser(t.app).post(`/staff/commitments/${id}`, fields({ status: 'done' }), { csrf: 'x' })).statusCode).toBe(303);
    expect((await staff.post(`/staff/commitments/${id}`, fields({ status: 'done' }), { csrf: null })).statusCode).toBe(403);
    expect((await wg.post(`/wg/${SLUG}/commitments/${id}/note`, Object.fromEntries(LOCALES.map((l) => [`wgNote_${l}`, note[l]])), { csrf: 'forged' })).statusCode).toBe(403);
    expect(JSON.stringify(t.db.sqlite.prepare('select * from commitments').all())).toBe(before);
  });
});

describe('where partners look', () => {
  async function withCommitment() {
    const { t, themeId } = await reviewed();
    const staff = await signIn(t, 'staff');
    const id = await added(t, staff, { themeId: String(themeId), status: 'in_progress' });
    await t.app.inject({ method: 'PATCH', url: `/api/commitments/${id}`, headers: t.as('wg'), payload: { wgNote: note } });
    return { t, id };
  }

  it('the results page: "What you told us, what we will do", in the reader\'s language, with status and the Working Group\'s note', async () => {
    const { t: before } = await reviewed(false);
    expect((await before.app.inject({ url: `/s/${SLUG}/results?lang=en` })).body).not.toContain('commitments-title');
    const { t } = await withCommitment();
    for (const lang of LOCALES) {
      const page = (await t.app.inject({ url: `/s/${SLUG}/results?lang=${lang}` })).body;
      const section = elementById(page, 'commitments-title') ? page.slice(page.indexOf('<section class="commitments"')) : '';
      expect(text(section)).toContain(tr(lang, 'commitments:section_title'));
      for (const s of [REPORTING[lang], heard[lang], action[lang], note[lang], tr(lang, 'commitments:status.in_progress'), tr(lang, 'commitments:wg_note')]) expect(text(section)).toContain(s);
      for (const other of LOCALES.filter((l) => l !== lang)) expect(section).not.toContain(action[other]);
    }
  });

  it('the brief: each theme with what will be done about it', async () => {
    const { t } = await withCommitment();
    const wg = await signIn(t, 'wg');
    for (const lang of LOCALES) {
      const brief = (await wg.get(`/wg/${SLUG}/brief?lang=${lang}`)).body;
      const theme = brief.slice(brief.indexOf('id="theme-'));
      const under = theme.slice(0, theme.indexOf('</section>'));
      expect(text(under)).toContain(tr(lang, 'commitments:action'));
      expect(text(under)).toContain(action[lang]);
      expect(text(under)).toContain(note[lang]);
    }
  });

  it('the next round\'s form: "Since the last round", each commitment with its status', async () => {
    const { t } = await withCommitment();
    const next = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/duplicate`, headers: t.as('staff'), payload: { slug: 'learning-lab-2027' } });
    expect(next.statusCode).toBe(201);
    // Previewed as a draft, and answered once open.
    const staff = await signIn(t, 'staff');
    expect(text((await staff.get('/staff/surveys/learning-lab-2027/preview?lang=en')).body)).toContain(tr('en', 'commitments:since_title'));
    expect((await t.app.inject({ method: 'PATCH', url: '/api/surveys/learning-lab-2027', headers: t.as('staff'), payload: { status: 'open' } })).statusCode).toBe(200);
    for (const lang of LOCALES) {
      const form = (await t.app.inject({ url: `/s/learning-lab-2027?lang=${lang}` })).body;
      const since = form.slice(form.indexOf('<section class="since"'), form.indexOf('</section>', form.indexOf('<section class="since"')));
      expect(text(since)).toContain(tr(lang, 'commitments:since_title'));
      for (const s of [REPORTING[lang], action[lang], tr(lang, 'commitments:status.in_progress'), note[lang]]) expect(text(since)).toContain(s);
      expect(since).toContain(`href="/s/${SLUG}/results?lang=${lang}"`);
      // Before the questions.
      expect(form.indexOf('<section class="since"')).toBeLessThan(form.indexOf('<form'));
    }
    // Answering the next round still stores the answers only.
    expect((await submit(t, 'learning-lab-2027', { answers: { speak_freely: 4 } })).statusCode).toBe(201);
    // A survey of another series has nothing to show.
    await openSurvey(t, sampleSurvey({ slug: 'convening-2027' }));
    const other = (await t.app.inject({ url: '/s/convening-2027?lang=en' })).body;
    expect(other).toContain('<form');
    expect(other).not.toContain('class="since"');
  });
});
