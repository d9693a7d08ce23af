/** Surveys with comments, closed and released, ready for the Working Group's review (§8). */
import { expect } from 'vitest';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { closeSurvey, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';

export const SLUG = 'learning-lab-2026';
export const REGIONS = ['africa', 'americas', 'asia'] as const;
/** Every way a grouping answer could be written on a page or in JSON, in the three languages. */
export const GROUPING_WORDS = ['africa', 'americas', 'asia', 'África', 'Américas', 'Afrique', 'Amériques', 'Asie', 'Where do you work', 'Dónde trabaja', 'Où travaillez-vous'];

export interface QueueItem {
  id: string;
  questionId: string;
  text: string;
  status: 'pending' | 'published' | 'hidden';
  themes: number[];
  suggestedThemes: number[];
  translations: Record<string, string>;
  shareWithPartners: boolean;
}

export interface Review {
  survey: string;
  publishedAt: string;
  themes: { id: number; label: Record<string, string>; count: number }[];
  /** questionId null: "other comments" (§8). */
  comments: { questionId: string | null; text: string; translations: Record<string, string>; themes: number[]; shareWithPartners: boolean }[];
}

/** Opens the survey, submits one response per text (regions in turn; null: no comment), and answers nothing. */
export async function submitComments(t: TestApp, slug: string, texts: (string | null)[]): Promise<void> {
  for (const [i, text] of texts.entries()) {
    const answers = sampleAnswers({ region: REGIONS[i % REGIONS.length], speak_freely: 1 + (i % 5), usefulness: i % 11 });
    if (text === null) delete answers.suggestions;
    else answers.suggestions = text;
    const res = await submit(t, slug, { locale: 'en', answers });
    expect(res.statusCode, res.body).toBe(201);
  }
}

/** Closes the survey and waits for its final release (made in the background). */
export async function close(t: TestApp, slug: string): Promise<void> {
  await closeSurvey(t, slug);
}

/** A survey that the Working Group can review: opened, answered with these comments, closed (final release). */
export async function reviewable(t: TestApp, texts: (string | null)[], definition: Partial<SurveyDefinition> = {}): Promise<string> {
  const def = sampleSurvey(definition);
  await openSurvey(t, def);
  await submitComments(t, def.slug, texts);
  await close(t, def.slug);
  return def.slug;
}

/** Comment texts "Comment 0 …", "Comment 1 …": each carries its index. */
export const numbered = (n: number, what = 'about the programme') => Array.from({ length: n }, (_, i) => `Comment ${i} ${what}.`);

export async function queue(t: TestApp, slug: string = SLUG): Promise<QueueItem[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${slug}/comments`, headers: t.as('wg') });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as QueueItem[];
}

export async function patchComment(t: TestApp, id: string, body: Record<string, unknown>): Promise<QueueItem> {
  const res = await t.app.inject({ method: 'PATCH', url: `/api/comments/${id}`, headers: t.as('wg'), payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as QueueItem;
}

export async function createTheme(
  t: TestApp,
  slug: string,
  label: { en: string; es: string; fr: string },
  keywords: Partial<Record<'en' | 'es' | 'fr', string[]>> = {},
): Promise<{ id: number }> {
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/themes`, headers: t.as('wg'), payload: { label, keywords } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number };
}

export async function publishReview(t: TestApp, slug: string = SLUG): Promise<Review> {
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/review/publish`, headers: t.as('wg') });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Review;
}

export async function publishedReview(t: TestApp, slug: string = SLUG, role: 'staff' | 'wg' | 'admin' = 'staff'): Promise<Review> {
  const res = await t.app.inject({ method: 'GET', url: `/api/surveys/${slug}/review`, headers: t.as(role) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Review;
}

/** Marks the comments whose text matches as published (or another status). */
export async function setStatus(t: TestApp, items: QueueItem[], status: QueueItem['status'], extra: Record<string, unknown> = {}) {
  for (const item of items) await patchComment(t, item.id, { status, ...extra });
}

/** The stored text of a comment, read straight from the database. */
export function storedText(t: TestApp, id: string): string | undefined {
  return (t.db.sqlite.prepare('select text from comments where id = ?').get(id) as { text: string } | undefined)?.text;
}

/** Every text column of the comments table. */
export function storedTexts(t: TestApp): string[] {
  return (t.db.sqlite.prepare('select text from comments').all() as { text: string }[]).map((r) => r.text);
}
