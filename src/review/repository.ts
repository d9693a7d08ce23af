/** Data access for the Working Group's review: comments, themes, their links, published reviews. */
import type { Db } from '../db/client.js';
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
  /** The questions it concerns, chosen by the Working Group; null: none chosen (keywords decide). */
  questions: string[] | null;
}

interface CommentDbRow {
  surveyId: number;
  id: string;
  questionId: string;
  text: string;
  status: CommentStatus;
  shareWithPartners: number;
  translations: string;
}

interface ThemeDbRow {
  id: number;
  surveyId: number;
  label: string;
  keywords: string;
  questions: string | null;
}

export function createReviewRepository(db: Db) {
  const { sqlite } = db;

  const commentColumns = 'survey_id as surveyId, id, question_id as questionId, text, status, share_with_partners as shareWithPartners, translations';
  const countOf = sqlite.prepare<[number], number>('select count(*) from comments where survey_id = ?').pluck();
  // README choice 11: by random id, not by a hash of the text (stable under redaction).
  const commentsOf = sqlite.prepare<[number], CommentDbRow>(`select ${commentColumns} from comments where survey_id = ? order by id`);
  const commentsWithStatus = sqlite.prepare<[number, CommentStatus], CommentDbRow>(
    `select ${commentColumns} from comments where survey_id = ? and status = ? order by id`,
  );
  const commentById = sqlite.prepare<[string], CommentDbRow>(`select ${commentColumns} from comments where id = ?`);
  // Only the fields given change: a null parameter keeps the column as it is (none is nullable).
  const patchComment = sqlite.prepare<[CommentStatus | null, string | null, string | null, number | null, number, string]>(
    `update comments set status = coalesce(?, status), text = coalesce(?, text), translations = coalesce(?, translations),
       share_with_partners = coalesce(?, share_with_partners)
     where survey_id = ? and id = ?`,
  );
  // The comments' ids are passed as one JSON array, so that one statement serves any number of them.
  const linksOf = sqlite.prepare<[number, string], { commentId: string; themeId: number }>(
    `select comment_id as commentId, theme_id as themeId from comment_themes
     where survey_id = ? and comment_id in (select value from json_each(?)) order by theme_id`,
  );
  const unlinkAll = sqlite.prepare<[number, string]>('delete from comment_themes where survey_id = ? and comment_id = ?');
  const link = sqlite.prepare<[number, string, number]>('insert into comment_themes (survey_id, comment_id, theme_id) values (?, ?, ?)');

  const themeColumns = 'id, survey_id as surveyId, label, keywords, questions';
  const themesOf = sqlite.prepare<[number], ThemeDbRow>(`select ${themeColumns} from themes where survey_id = ? order by id`);
  const themeById = sqlite.prepare<[number], ThemeDbRow>(`select ${themeColumns} from themes where id = ?`);
  const insertThemeRow = sqlite.prepare<[number, string, string, string | null], ThemeDbRow>(
    `insert into themes (survey_id, label, keywords, questions) values (?, ?, ?, ?) returning ${themeColumns}`,
  );
  const updateThemeRow = sqlite.prepare<[string, string, string | null, number]>('update themes set label = ?, keywords = ?, questions = ? where id = ?');

  const insertReviewRow = sqlite.prepare<[number, string, string]>('insert into reviews (survey_id, published_on, content) values (?, ?, ?)');
  const latestReviewOf = sqlite.prepare<[number], string>('select content from reviews where survey_id = ? order by id desc limit 1').pluck();

  const themeIdsOf = (surveyId: number, commentIds: string[]): Map<string, number[]> => {
    const map = new Map<string, number[]>();
    if (commentIds.length === 0) return map;
    for (const r of linksOf.iterate(surveyId, JSON.stringify(commentIds))) map.set(r.commentId, [...(map.get(r.commentId) ?? []), r.themeId]);
    return map;
  };

  const toComment = (row: CommentDbRow, themeIds: number[]): CommentRow => ({
    surveyId: row.surveyId,
    id: row.id,
    questionId: row.questionId,
    text: row.text,
    status: row.status,
    shareWithPartners: row.shareWithPartners === 1,
    translations: JSON.parse(row.translations) as Translations,
    themes: themeIds,
  });

  const toTheme = (row: ThemeDbRow): Theme => ({
    id: row.id,
    label: JSON.parse(row.label) as LocalizedText,
    keywords: JSON.parse(row.keywords) as Theme['keywords'],
    questions: row.questions === null ? null : (JSON.parse(row.questions) as string[]),
  });

  return {
    countComments(surveyId: number): number {
      return countOf.get(surveyId) ?? 0;
    },

    /**
     * A survey's comments ordered by their random id: stable from one read to the next, and
     * unrelated to the order in which they arrived (§8).
     */
    listComments(surveyId: number, status?: CommentStatus): CommentRow[] {
      const rows = status ? commentsWithStatus.all(surveyId, status) : commentsOf.all(surveyId);
      const links = themeIdsOf(surveyId, rows.map((r) => r.id));
      return rows.map((r) => toComment(r, links.get(r.id) ?? []));
    },

    findComment(id: string): CommentRow | undefined {
      const row = commentById.get(id);
      return row ? toComment(row, themeIdsOf(row.surveyId, [row.id]).get(row.id) ?? []) : undefined;
    },

    updateComment: sqlite.transaction(
      (comment: CommentRow, patch: { status?: CommentStatus; text?: string; translations?: Translations; shareWithPartners?: boolean; themes?: number[] }) => {
        const { status, text, translations, shareWithPartners } = patch;
        if (status !== undefined || text !== undefined || translations !== undefined || shareWithPartners !== undefined) {
          patchComment.run(
            status ?? null,
            text ?? null,
            translations === undefined ? null : JSON.stringify(translations),
            shareWithPartners === undefined ? null : shareWithPartners ? 1 : 0,
            comment.surveyId,
            comment.id,
          );
        }
        if (patch.themes !== undefined) {
          unlinkAll.run(comment.surveyId, comment.id);
          for (const themeId of new Set(patch.themes)) link.run(comment.surveyId, comment.id, themeId);
        }
      },
    ),

    /** Runs `fn` in one transaction: every change in it is stored, or none. */
    inTransaction<T>(fn: () => T): T {
      return sqlite.transaction(fn)();
    },

    listThemes(surveyId: number): Theme[] {
      return themesOf.all(surveyId).map(toTheme);
    },

    findTheme(id: number): (Theme & { surveyId: number }) | undefined {
      const row = themeById.get(id);
      return row ? { ...toTheme(row), surveyId: row.surveyId } : undefined;
    },

    insertTheme(surveyId: number, theme: Omit<Theme, 'id'>): Theme {
      return toTheme(insertThemeRow.get(surveyId, JSON.stringify(theme.label), JSON.stringify(theme.keywords), theme.questions === null ? null : JSON.stringify(theme.questions))!);
    },

    updateTheme(id: number, theme: Omit<Theme, 'id'>): void {
      updateThemeRow.run(JSON.stringify(theme.label), JSON.stringify(theme.keywords), theme.questions === null ? null : JSON.stringify(theme.questions), id);
    },

    insertReview(surveyId: number, publishedOn: string, content: string): void {
      insertReviewRow.run(surveyId, publishedOn, content);
    },

    latestReview(surveyId: number): string | undefined {
      return latestReviewOf.get(surveyId);
    },
  };
}
export type ReviewRepository = ReturnType<typeof createReviewRepository>;
