/** Data access for the Working Group's review: comments, themes, their links, published reviews. */
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { comments, commentThemes, reviews, themes } from '../db/schema.js';
import type { Locale } from '../i18n/index.js';
import type { LocalizedText } from '../surveys/definition.js';

export type CommentStatus = 'pending' | 'published' | 'hidden';
export type Translations = Partial<Record<Locale, string>>;

export interface CommentRow {
  surveyId: number;
  id: string;
  questionId: string;
  text: string;
  status: CommentStatus;
  shareWithPartners: boolean;
  translations: Translations;
  themes: number[];
}

export interface Theme {
  id: number;
  label: LocalizedText;
  keywords: Record<Locale, string[]>;
}

export function createReviewRepository(db: Db) {
  const { orm } = db;

  const themeIdsOf = (surveyId: number, commentIds: string[]): Map<string, number[]> => {
    const map = new Map<string, number[]>();
    if (commentIds.length === 0) return map;
    const rows = orm
      .select({ commentId: commentThemes.commentId, themeId: commentThemes.themeId })
      .from(commentThemes)
      .where(and(eq(commentThemes.surveyId, surveyId), inArray(commentThemes.commentId, commentIds)))
      .orderBy(asc(commentThemes.themeId))
      .all();
    for (const r of rows) map.set(r.commentId, [...(map.get(r.commentId) ?? []), r.themeId]);
    return map;
  };

  const toComment = (row: typeof comments.$inferSelect, themeIds: number[]): CommentRow => ({
    surveyId: row.surveyId,
    id: row.id,
    questionId: row.questionId,
    text: row.text,
    status: row.status,
    shareWithPartners: row.shareWithPartners,
    translations: JSON.parse(row.translations) as Translations,
    themes: themeIds,
  });

  const toTheme = (row: typeof themes.$inferSelect): Theme => ({
    id: row.id,
    label: JSON.parse(row.label) as LocalizedText,
    keywords: JSON.parse(row.keywords) as Theme['keywords'],
  });

  return {
    countComments(surveyId: number): number {
      return orm.select({ n: count() }).from(comments).where(eq(comments.surveyId, surveyId)).get()?.n ?? 0;
    },

    /**
     * A survey's comments ordered by their random id: stable from one read to the next, and
     * unrelated to the order in which they arrived (§8).
     */
    listComments(surveyId: number, status?: CommentStatus): CommentRow[] {
      const where = status ? and(eq(comments.surveyId, surveyId), eq(comments.status, status)) : eq(comments.surveyId, surveyId);
      // README choice 11: by random id, not by a hash of the text (stable under redaction).
      const rows = orm.select().from(comments).where(where).orderBy(asc(comments.id)).all();
      const links = themeIdsOf(surveyId, rows.map((r) => r.id));
      return rows.map((r) => toComment(r, links.get(r.id) ?? []));
    },

    findComment(id: string): CommentRow | undefined {
      const row = orm.select().from(comments).where(eq(comments.id, id)).get();
      return row ? toComment(row, themeIdsOf(row.surveyId, [row.id]).get(row.id) ?? []) : undefined;
    },

    updateComment: db.sqlite.transaction(
      (comment: CommentRow, patch: { status?: CommentStatus; text?: string; translations?: Translations; shareWithPartners?: boolean; themes?: number[] }) => {
        const set: Partial<typeof comments.$inferInsert> = {};
        if (patch.status !== undefined) set.status = patch.status;
        if (patch.text !== undefined) set.text = patch.text;
        if (patch.translations !== undefined) set.translations = JSON.stringify(patch.translations);
        if (patch.shareWithPartners !== undefined) set.shareWithPartners = patch.shareWithPartners;
        if (Object.keys(set).length > 0) {
          orm.update(comments).set(set).where(and(eq(comments.surveyId, comment.surveyId), eq(comments.id, comment.id))).run();
        }
        if (patch.themes !== undefined) {
          orm.delete(commentThemes).where(and(eq(commentThemes.surveyId, comment.surveyId), eq(commentThemes.commentId, comment.id))).run();
          for (const themeId of new Set(patch.themes)) {
            orm.insert(commentThemes).values({ surveyId: comment.surveyId, commentId: comment.id, themeId }).run();
          }
        }
      },
    ),

    listThemes(surveyId: number): Theme[] {
      return orm.select().from(themes).where(eq(themes.surveyId, surveyId)).orderBy(asc(themes.id)).all().map(toTheme);
    },

    findTheme(id: number): (Theme & { surveyId: number }) | undefined {
      const row = orm.select().from(themes).where(eq(themes.id, id)).get();
      return row ? { ...toTheme(row), surveyId: row.surveyId } : undefined;
    },

    insertTheme(surveyId: number, theme: Omit<Theme, 'id'>): Theme {
      const row = orm
        .insert(themes)
        .values({ surveyId, label: JSON.stringify(theme.label), keywords: JSON.stringify(theme.keywords) })
        .returning()
        .get();
      return toTheme(row);
    },

    updateTheme(id: number, theme: Omit<Theme, 'id'>): void {
      orm.update(themes).set({ label: JSON.stringify(theme.label), keywords: JSON.stringify(theme.keywords) }).where(eq(themes.id, id)).run();
    },

    insertReview(surveyId: number, publishedOn: string, content: string): void {
      orm.insert(reviews).values({ surveyId, publishedOn, content }).run();
    },

    latestReview(surveyId: number): string | undefined {
      return orm.select({ content: reviews.content }).from(reviews).where(eq(reviews.surveyId, surveyId)).orderBy(desc(reviews.id)).limit(1).get()?.content;
    },
  };
}
export type ReviewRepository = ReturnType<typeof createReviewRepository>;
