/**
 * Commitments (SPEC §13, issue 12): staff answer the Working Group's published review, the
 * Working Group adds its note and may change nothing else, anyone reads them once the review is
 * published and nobody before; every change is kept with its day and role, never who.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.js';
import { L, makeApp, type TestApp } from '../helpers.js';
import { createTheme, numbered, publishReview, queue, reviewable, setStatus, SLUG } from '../review/fixture.js';

const i18n = createI18n();
const DAY = new Date('2027-03-02T10:00:00Z');

const heard = L('Reports take too long.', 'Los informes llevan demasiado tiempo.', 'Les rapports prennent trop de temps.');
const action = L('One short report a year.', 'Un informe breve al año.', 'Un rapport court par an.');
const reason = L('The board requires quarterly figures.', 'La junta exige cifras trimestrales.', 'Le conseil exige des chiffres trimestriels.');
const note = L('We will check in June.', 'Lo comprobaremos en junio.', 'Nous vérifierons en juin.');

async function reviewed(publish = true): Promise<{ t: TestApp; themeId: number }> {
  const t = await makeApp({}, { now: () => DAY });
  await reviewable(t, numbered(10));
  const theme = await createTheme(t, SLUG, L('Reporting', 'Informes', 'Rapports'));
  if (publish) {
    await setStatus(t, (await queue(t)).slice(0, 8), 'published');
    await publishReview(t);
  }
  return { t, themeId: theme.id };
}

const api = (t: TestApp, method: 'GET' | 'POST' | 'PATCH', url: string, role?: 'staff' | 'wg' | 'admin', payload?: unknown) =>
  t.app.inject({ method, url, ...(role ? { headers: t.as(role) } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('before the review is published', () => {
  it('nobody reads commitments (404) and staff cannot write one (409, translated)', async () => {
    const { t, themeId } = await reviewed(false);
    for (const role of [undefined, 'staff', 'wg'] as const) expect((await api(t, 'GET', `/api/surveys/${SLUG}/commitments`, role)).statusCode).toBe(404);
    const res = await api(t, 'POST', `/api/surveys/${SLUG}/commitments?lang=fr`, 'staff', { themeId, heard, action });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'review_not_published', message: i18n.getFixedT('fr')('errors:review_not_published') });
    expect(t.db.sqlite.prepare('select count(*) from commitments').pluck().get()).toBe(0);
  });
});

describe('once the review is published', () => {
  it('staff write a commitment; anyone reads it, with its history (day and role only)', async () => {
    const { t, themeId } = await reviewed();
    const res = await api(t, 'POST', `/api/surveys/${SLUG}/commitments`, 'staff', { themeId, heard, action, due: '2027-06' });
    expect(res.statusCode).toBe(201);
    const { id } = res.json() as { id: number };
    const list = await api(t, 'GET', `/api/surveys/${SLUG}/commitments`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      { id, themeId, heard, action, status: 'planned', reason: null, due: '2027-06', wgNote: null, history: [{ date: '2027-03-02', by: 'staff', changes: ['created'] }] },
    ]);
    // No token label, no time of day, anywhere.
    expect(list.body).not.toMatch(/staff-0|T\d\d:/);
  });

  it('keeps every change, dated, and lets the Working Group change only its note', async () => {
    const { t, themeId } = await reviewed();
    const { id } = (await api(t, 'POST', `/api/surveys/${SLUG}/commitments`, 'staff', { themeId: null, heard, action })).json() as { id: number };
    let res = await api(t, 'PATCH', `/api/commitments/${id}`, 'staff', { status: 'in_progress' });
    expect(res.statusCode).toBe(200);
    res = await api(t, 'PATCH', `/api/commitments/${id}`, 'wg', { wgNote: note });
    expect(res.statusCode).toBe(200);
    for (const body of [{ status: 'done' }, { wgNote: note, heard }]) {
      const refused = await api(t, 'PATCH', `/api/commitments/${id}`, 'wg', body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(403);
    }
    // Staff do not write the Working Group's note.
    expect((await api(t, 'PATCH', `/api/commitments/${id}`, 'staff', { wgNote: null })).statusCode).toBe(403);
    const [c] = (await api(t, 'GET', `/api/surveys/${SLUG}/commitments`)).json() as { status: string; wgNote: unknown; history: unknown[] }[];
    expect(c).toMatchObject({ status: 'in_progress', wgNote: note });
    expect(c!.history).toEqual([
      { date: '2027-03-02', by: 'staff', changes: ['created'] },
      { date: '2027-03-02', by: 'staff', changes: ['status'] },
      { date: '2027-03-02', by: 'wg', changes: ['wgNote'] },
    ]);
    expect(themeId).toBeGreaterThan(0);
  });

  it('needs a reason in three languages for not_doing, refuses another survey\'s theme, and answers 404 for no commitment', async () => {
    const { t } = await reviewed();
    let res = await api(t, 'POST', `/api/surveys/${SLUG}/commitments?lang=es`, 'staff', { themeId: null, heard, action, status: 'not_doing' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '$.reason', code: 'reason_required', message: i18n.getFixedT('es')('problems:reason_required') }]);
    res = await api(t, 'POST', `/api/surveys/${SLUG}/commitments`, 'staff', { themeId: null, heard, action, status: 'not_doing', reason: { en: 'Only English' } });
    expect(res.statusCode).toBe(400);
    res = await api(t, 'POST', `/api/surveys/${SLUG}/commitments`, 'staff', { themeId: null, heard, action, status: 'not_doing', reason });
    expect(res.statusCode).toBe(201);
    const { id } = res.json() as { id: number };
    // Clearing the reason of a commitment that is not being done is refused too.
    res = await api(t, 'PATCH', `/api/commitments/${id}`, 'staff', { reason: null });
    expect(res.statusCode).toBe(400);
    // A theme of another survey.
    await reviewable(t, numbered(10), { slug: 'other-round' });
    const foreign = await createTheme(t, 'other-round', L('Other', 'Otro', 'Autre'));
    res = await api(t, 'POST', `/api/surveys/${SLUG}/commitments`, 'staff', { themeId: foreign.id, heard, action });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: '$.themeId', code: 'theme_not_in_survey' });
    expect((await api(t, 'PATCH', '/api/commitments/999', 'staff', { status: 'done' })).statusCode).toBe(404);
  });

  it('lets neither a visitor nor the Working Group write a commitment', async () => {
    const { t } = await reviewed();
    expect((await api(t, 'POST', `/api/surveys/${SLUG}/commitments`, undefined, { themeId: null, heard, action })).statusCode).toBe(401);
    expect((await api(t, 'POST', `/api/surveys/${SLUG}/commitments`, 'wg', { themeId: null, heard, action })).statusCode).toBe(403);
    expect((await api(t, 'PATCH', '/api/commitments/1', undefined, { status: 'done' })).statusCode).toBe(401);
    expect(t.db.sqlite.prepare('select count(*) from commitments').pluck().get()).toBe(0);
  });
});
