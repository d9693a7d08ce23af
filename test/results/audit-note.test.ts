/**
 * What the results page says of issue 9, in the reader's language: a final release that passed
 * the exact audit (§6 rule 8) says so in plain words, with how many figures are not shown and the
 * command that repeats the audit on this very results address; an interim release shows the
 * respondent count only and says why; a survey open to anyone is not broken down by group and
 * says why; comments the Working Group shares without their question ("questionId": null, §8)
 * come under "Other comments", after the questions — and in the meeting brief too.
 */
import { describe, expect, it } from 'vitest';
import { createI18n, LOCALES, type Locale } from '../../src/i18n/index.js';
import type { ReleaseJson } from '../../src/releases/content.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { closeSurvey, L, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';
import { text } from '../html.js';
import { signIn } from '../staff/session.js';

const i18n = createI18n();
/** A translation as text() reads a page: French no-break spaces fold into plain ones. */
const tr = (l: Locale, key: string, options: Record<string, unknown> = {}) => i18n.getFixedT(l)(key, options);

async function invites(t: TestApp, slug: string, count: number): Promise<string[]> {
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/invites`, headers: t.as('staff'), payload: { count } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { codes: string[] }).codes;
}

/** A survey answered `n` times (with codes when invite-only), closed and finally released. */
async function finalRound(t: TestApp, def: SurveyDefinition, n: number, answers: (i: number) => Record<string, unknown> = () => ({})): Promise<ReleaseJson> {
  await openSurvey(t, def);
  const codes = def.access === 'invite' ? await invites(t, def.slug, n) : [];
  const regions = ['africa', 'americas', 'africa', 'americas', 'asia'];
  for (let i = 0; i < n; i++) {
    const body = { answers: sampleAnswers({ region: regions[i % regions.length], speak_freely: 1 + ((i * 3) % 5), usefulness: i % 11, ...answers(i) }), ...(codes[i] ? { inviteCode: codes[i] } : {}) };
    const res = await submit(t, def.slug, body);
    expect(res.statusCode, res.body).toBe(201);
  }
  await closeSurvey(t, def.slug);
  const json = (await t.app.inject({ url: `/api/surveys/${def.slug}/results` })).json() as ReleaseJson;
  expect(json.final).toBe(true);
  return json;
}

const resultsPage = async (t: TestApp, slug: string, locale: Locale, headers: Record<string, string> = {}) => {
  const res = await t.app.inject({ url: `/s/${slug}/results?lang=${locale}`, headers });
  expect(res.statusCode).toBe(200);
  return res.body;
};

const section = (html: string, labelledBy: string) => new RegExp(`<section[^>]*aria-labelledby="${labelledBy}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1];

describe('a final release that passed the audit', () => {
  it('says the figures were checked, how many are not shown, and how anyone can check again, in every language', async () => {
    const t = await makeApp();
    const release = await finalRound(t, sampleSurvey({ slug: 'checked', access: 'invite' }), 24);
    expect(release.audit).toMatchObject({ passed: true });
    const hidden = release.audit!.hiddenFigures;
    for (const locale of LOCALES) {
      // A forged Host header changes nothing: the address is PUBLIC_URL's.
      const html = await resultsPage(t, 'checked', locale, { host: 'evil.example.net' });
      const note = section(html, 'audit-title');
      expect(note, locale).toBeDefined();
      const said = text(note!);
      expect(said).toContain(tr(locale, 'results:audit_title'));
      expect(said).toContain(tr(locale, 'results:audit_checked'));
      expect(said).toContain(tr(locale, 'results:audit_hidden', { count: hidden, formatted: new Intl.NumberFormat(locale).format(hidden) }));
      expect(said).toContain(tr(locale, 'results:audit_repeat'));
      // The command, as text to copy, on this survey's public results address.
      expect(note).toContain(`<pre class="command"><code>npm run audit -- ${t.config.publicUrl}/api/surveys/checked/results</code></pre>`);
      expect(html).not.toContain('evil.example.net');
      // Before the figures, after how to read them.
      expect(html.indexOf('id="how-to-read"')).toBeLessThan(html.indexOf('id="audit-title"'));
      expect(html.indexOf('id="audit-title"')).toBeLessThan(html.indexOf('aria-labelledby="q-'));
    }
  });

  it('is silent about an audit the release does not carry', async () => {
    const t = await makeApp();
    await finalRound(t, sampleSurvey({ slug: 'older', access: 'invite' }), 12);
    // A release stored before the audit existed.
    const row = t.db.sqlite.prepare('select id, content from releases').get() as { id: number; content: string };
    const { audit: _audit, ...without } = JSON.parse(row.content) as ReleaseJson;
    t.db.sqlite.prepare('update releases set content = ? where id = ?').run(JSON.stringify(without), row.id);
    const html = await resultsPage(t, 'older', 'en');
    expect(html).not.toContain('id="audit-title"');
    expect(html).not.toContain('npm run audit');
  });
});

describe('an interim release', () => {
  it('shows the number of respondents only, and says why, in every language', async () => {
    const t = await makeApp();
    await openSurvey(t, sampleSurvey({ slug: 'counting', interimReleases: true }));
    for (let i = 0; i < 6; i++) expect((await submit(t, 'counting', { answers: sampleAnswers({ speak_freely: 1 + (i % 5) }) })).statusCode).toBe(201);
    const made = await t.app.inject({ method: 'POST', url: '/api/surveys/counting/release', headers: t.as('staff') });
    expect(made.statusCode, made.body).toBe(200);
    const json = (await t.app.inject({ url: '/api/surveys/counting/results' })).json() as ReleaseJson;
    expect(json).toMatchObject({ final: false, respondents: { n: 6 }, questions: [] });
    expect(json).not.toHaveProperty('audit');
    for (const locale of LOCALES) {
      const html = await resultsPage(t, 'counting', locale);
      const said = text(html);
      const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${json.releasedAt}T00:00:00Z`));
      expect(said).toContain(tr(locale, 'results:interim', { date }));
      expect(said).toContain(`${tr(locale, 'results:respondents_label')} 6`);
      expect(said).toContain(tr(locale, 'results:explain_interim', { k: 5 }));
      // No figure, so no word about hidden figures, breakdowns or the audit.
      expect(said).not.toContain(tr(locale, 'results:explain_marker', { marker: tr(locale, 'results:marker'), k: 5 }));
      expect(said).not.toContain(tr(locale, 'results:explain_breakdowns'));
      expect(html).not.toContain('aria-labelledby="q-');
      expect(html).not.toContain('id="audit-title"');
    }
  });
});

describe('breakdowns', () => {
  it('of a survey open to anyone are not shown, and the page says why', async () => {
    const t = await makeApp();
    const release = await finalRound(t, sampleSurvey({ slug: 'for-everyone' }), 20);
    // The JSON keeps its shape: every group of every breakdown withheld (rule 4).
    const speak = release.questions.find((q) => q.id === 'speak_freely')!;
    expect(speak.type !== 'text' && Object.values(speak.breakdowns).flat().every((g) => 'suppressed' in g)).toBe(true);
    for (const locale of LOCALES) {
      const html = await resultsPage(t, 'for-everyone', locale);
      expect(text(html)).toContain(tr(locale, 'results:explain_open'));
      expect(text(html)).not.toContain(tr(locale, 'results:explain_breakdowns'));
      expect(html).not.toContain('id="bd-');
    }
  });

  it('of an invite-only survey are shown, with the usual word about them', async () => {
    const t = await makeApp();
    await finalRound(t, sampleSurvey({ slug: 'invited', access: 'invite' }), 24);
    for (const locale of LOCALES) {
      const html = await resultsPage(t, 'invited', locale);
      expect(text(html)).toContain(tr(locale, 'results:explain_breakdowns'));
      expect(text(html)).not.toContain(tr(locale, 'results:explain_open'));
      expect(html).toContain('id="bd-speak_freely-region"');
    }
  });
});

describe('comments shared without their question', () => {
  it('appear under "Other comments" after the questions, and in the meeting brief', async () => {
    const t = await makeApp();
    const base = sampleSurvey({ slug: 'two-questions', minGroupSize: 3, minComments: 3 });
    const def: SurveyDefinition = {
      ...base,
      questions: [...base.questions, { id: 'keep', type: 'text', maxLength: 2000, prompt: L('What should we keep?', '¿Qué deberíamos mantener?', 'Que faudrait-il garder ?') }],
    };
    const suggestions = ['Shorter reports, please.', 'More calls between partners.', 'Visits announced earlier.', 'Translations on time.'];
    const keep = ['Keep the mentoring.', 'Keep the small grants.'];
    await finalRound(t, def, 6, (i) => ({ suggestions: suggestions[i] ?? null, keep: keep[i] ?? null }));

    const queue = (await t.app.inject({ url: '/api/surveys/two-questions/comments', headers: t.as('wg') })).json() as { id: string }[];
    expect(queue).toHaveLength(6);
    for (const c of queue) {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/comments/${c.id}`, headers: t.as('wg'), payload: { status: 'published', shareWithPartners: true } });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await t.app.inject({ method: 'POST', url: '/api/surveys/two-questions/review/publish', headers: t.as('wg') })).statusCode).toBe(200);
    const review = (await t.app.inject({ url: '/api/surveys/two-questions/review', headers: t.as('staff') })).json() as { comments: { questionId: string | null; text: string }[] };
    // Two comments are too few to name their question (minComments = 3).
    for (const text of keep) expect(review.comments.find((c) => c.text === text)?.questionId).toBeNull();
    const pooled = review.comments.filter((c) => c.questionId === null).map((c) => c.text);
    const named = review.comments.filter((c) => c.questionId !== null);
    expect(named.map((c) => c.questionId)).toEqual(['suggestions', 'suggestions', 'suggestions', 'suggestions']);

    for (const locale of LOCALES) {
      const html = await resultsPage(t, 'two-questions', locale);
      const others = section(html, 'other-comments');
      expect(others, locale).toBeDefined();
      expect(text(others!)).toContain(tr(locale, 'review:other_comments'));
      expect(text(others!)).toContain(tr(locale, 'review:other_comments_intro'));
      for (const comment of pooled) expect(text(others!)).toContain(comment);
      for (const comment of named) expect(text(others!)).not.toContain(comment.text);
      // Under its question: the named ones only.
      const keepSection = text(section(html, 'q-keep')!);
      for (const comment of pooled) expect(keepSection).not.toContain(comment);
      for (const comment of named) expect(text(section(html, `q-${comment.questionId}`)!)).toContain(comment.text);
      // After every question.
      expect(html.lastIndexOf('aria-labelledby="q-')).toBeLessThan(html.indexOf('aria-labelledby="other-comments"'));
    }

    // The brief lists comments by theme, whatever their question: the pooled ones are there too.
    const wg = await signIn(t, 'wg');
    const brief = text((await wg.get('/wg/two-questions/brief?lang=en')).body);
    for (const comment of [...pooled, ...named.map((c) => c.text)]) expect(brief).toContain(comment);
  });
});

describe('what no longer exists', () => {
  it('has no "stale figures" strings left in any language', () => {
    for (const locale of LOCALES) {
      for (const key of ['results:stale_short', 'results:stale_note']) expect(i18n.exists(key, { lng: locale }), `${locale} ${key}`).toBe(false);
    }
  });
});
