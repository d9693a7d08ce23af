/**
 * The Working Group's review (§8): the queue opens only once a survey is closed, released and has
 * at least minComments comments; comments are shown detached from every grouping answer, in an
 * order unrelated to arrival; publishing makes a snapshot that staff, the brief and partners read.
 */
import { CandorError, conflict, notFound } from '../errors.js';
import type { Locale } from '../i18n/index.js';
import { audit } from '../releases/audit/audit.js';
import { isMarker, type ReleaseJson } from '../releases/content.js';
import type { ReleaseRepository } from '../releases/repository.js';
import type { Scrubber } from '../responses/scrub.js';
import type { LocalizedText, Question } from '../surveys/definition.js';
import type { SurveyRecord, SurveyRepository } from '../surveys/repository.js';
import type { CommentRow, CommentStatus, ReviewRepository, Theme, Translations } from './repository.js';
import { suggestThemes } from './suggest.js';

/** What the queue shows of a comment — and nothing else (§8). */
export interface QueueItem {
  id: string;
  questionId: string;
  text: string;
  status: CommentStatus;
  themes: number[];
  suggestedThemes: number[];
  translations: Translations;
  shareWithPartners: boolean;
}

export interface PublishedComment {
  /** The question it answers, or null: "other comments" (§8: too few published under it to name it). */
  questionId: string | null;
  text: string;
  translations: Translations;
  themes: number[];
  shareWithPartners: boolean;
}

/** A published review, as stored and served. */
export interface PublishedReview {
  survey: string;
  publishedAt: string;
  themes: {
    id: number;
    label: LocalizedText;
    count: number;
    /** The questions whose released figures the brief shows beside it; absent in reviews published before. */
    questions?: string[];
  }[];
  comments: PublishedComment[];
}

export interface CommentPatch {
  status?: CommentStatus;
  text?: string;
  themes?: number[];
  translations?: Translations;
  shareWithPartners?: boolean;
}

/** What the queue's bulk form does to the comments it names (§8, README "The review queue"). */
export type BulkAction = CommentStatus | 'accept_suggested';

export interface ThemeInput {
  label: LocalizedText;
  keywords?: Partial<Record<Locale, string[]>>;
  /** The questions it concerns (not free-text ones); none: the questions its keywords match. */
  questions?: string[];
}

const normaliseKeywords = (k: ThemeInput['keywords']): Theme['keywords'] => ({
  en: [...new Set((k?.en ?? []).map((s) => s.trim()).filter(Boolean))],
  es: [...new Set((k?.es ?? []).map((s) => s.trim()).filter(Boolean))],
  fr: [...new Set((k?.fr ?? []).map((s) => s.trim()).filter(Boolean))],
});

export function createReviewService(deps: {
  surveys: SurveyRepository;
  releases: ReleaseRepository;
  reviews: ReviewRepository;
  scrub: Scrubber;
  now?: () => Date;
}) {
  const { surveys, releases, reviews, scrub } = deps;
  const now = deps.now ?? (() => new Date());

  const survey = (slug: string): SurveyRecord => {
    const s = surveys.findBySlug(slug);
    if (!s) throw notFound('survey_not_found');
    return s;
  };

  /**
   * Whether the Working Group may read this survey's comments yet: closed, with a final release
   * that published its respondents (rule 5: fewer than k respondents publish no comments, however
   * many comments they wrote), and at least minComments comments.
   */
  const reviewOpen = (s: SurveyRecord): boolean => {
    if (s.status !== 'closed' || reviews.countComments(s.id) < s.definition.minComments) return false;
    const latest = releases.latest(s.id);
    return latest?.final === true && !isMarker(latest.content.respondents);
  };

  // README choice 13: not ready yet is a 409 with a reason, never an empty list.
  const requireOpen = (s: SurveyRecord) => {
    if (!reviewOpen(s)) throw conflict('review_not_ready', { min: s.definition.minComments });
  };

  const toQueueItem = (c: CommentRow, themes: Theme[]): QueueItem => ({
    id: c.id,
    questionId: c.questionId,
    text: c.text,
    status: c.status,
    themes: c.themes,
    suggestedThemes: suggestThemes(c.text, themes).filter((id) => !c.themes.includes(id)),
    translations: c.translations,
    shareWithPartners: c.shareWithPartners,
  });

  /**
   * Questions with figures to show beside a theme: neither free text (no figures) nor a grouping
   * question — a theme is never set beside groups, as its counts are never broken down by them (§8).
   */
  const figureQuestions = (s: SurveyRecord) => s.definition.questions.filter(themeable);

  /** The list given, checked against the survey, in the survey's order; none given or an empty list: null. */
  const chosenQuestions = (s: SurveyRecord, ids: string[] | undefined): string[] | null => {
    if (ids === undefined || ids.length === 0) return null;
    for (const [i, id] of ids.entries()) {
      const q = s.definition.questions.find((x) => x.id === id);
      if (!q) throw new CandorError('invalid_request', [{ path: `$.questions[${i}]`, code: 'unknown_question', params: { id } }]);
      if (q.type === 'text') throw new CandorError('invalid_request', [{ path: `$.questions[${i}]`, code: 'question_without_figures', params: { id } }]);
      if (!themeable(q)) throw new CandorError('invalid_request', [{ path: `$.questions[${i}]`, code: 'theme_beside_groups', params: { id } }]);
    }
    return figureQuestions(s).filter((q) => ids.includes(q.id)).map((q) => q.id);
  };

  const questionsOf = (s: SurveyRecord, theme: Theme): string[] =>
    theme.questions ??
    figureQuestions(s)
      .filter((q) => Object.values(q.prompt).some((prompt) => suggestThemes(prompt, [theme]).includes(theme.id)))
      .map((q) => q.id);

  const cleanTranslations = (t: Translations): Translations => {
    const out: Translations = {};
    for (const [locale, text] of Object.entries(t) as [Locale, string | undefined][]) {
      const value = text?.trim();
      if (value) out[locale] = scrub(value);
    }
    return out;
  };

  return {
    reviewOpen: (slug: string) => reviewOpen(survey(slug)),

    queue(slug: string): { survey: SurveyRecord; items: QueueItem[]; themes: Theme[] } {
      const s = survey(slug);
      requireOpen(s);
      const themes = reviews.listThemes(s.id);
      return { survey: s, items: reviews.listComments(s.id).map((c) => toQueueItem(c, themes)), themes };
    },

    /** `inSurvey`: the slug the caller addressed (pages do); a comment of another survey is not found. */
    updateComment(id: string, patch: CommentPatch, inSurvey?: string): QueueItem {
      const comment = reviews.findComment(id);
      if (!comment) throw notFound('comment_not_found');
      const s = surveys.findById(comment.surveyId);
      if (!s || (inSurvey !== undefined && s.slug !== inSurvey)) throw notFound('comment_not_found');
      requireOpen(s);
      const themes = reviews.listThemes(s.id);
      if (patch.themes && patch.themes.some((t) => !themes.some((th) => th.id === t))) {
        throw new CandorError('invalid_request', [{ path: '$.themes', code: 'unknown_theme' }]);
      }
      const text = patch.text === undefined ? undefined : scrub(patch.text.trim());
      if (text === '') throw new CandorError('invalid_request', [{ path: '$.text', code: 'empty' }]);
      const update = {
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(text !== undefined ? { text } : {}),
        ...(patch.themes !== undefined ? { themes: patch.themes } : {}),
        ...(patch.translations !== undefined ? { translations: cleanTranslations({ ...comment.translations, ...patch.translations }) } : {}),
        ...(patch.shareWithPartners !== undefined ? { shareWithPartners: patch.shareWithPartners } : {}),
      };
      reviews.updateComment(comment, update);
      const updated = reviews.findComment(id)!;
      return toQueueItem(updated, themes);
    },

    /**
     * One decision for many comments: a status, or their suggested themes confirmed (added to the
     * themes already confirmed). All of them change, or — if one is not this survey's — none.
     * Returns how many changed.
     */
    bulkUpdate(slug: string, ids: readonly string[], action: BulkAction): number {
      const s = survey(slug);
      requireOpen(s);
      const themes = reviews.listThemes(s.id);
      const wanted = new Set(ids);
      const comments = reviews.listComments(s.id).filter((c) => wanted.has(c.id));
      if (wanted.size === 0) throw new CandorError('invalid_request', [{ path: '$.ids', code: 'none_chosen' }]);
      if (comments.length !== wanted.size) throw notFound('comment_not_found');
      let changed = 0;
      reviews.inTransaction(() => {
        for (const c of comments) {
          if (action === 'accept_suggested') {
            const suggested = suggestThemes(c.text, themes).filter((id) => !c.themes.includes(id));
            if (suggested.length === 0) continue;
            reviews.updateComment(c, { themes: [...c.themes, ...suggested] });
          } else {
            if (c.status === action) continue;
            reviews.updateComment(c, { status: action });
          }
          changed++;
        }
      });
      return changed;
    },

    themes(slug: string): Theme[] {
      return reviews.listThemes(survey(slug).id);
    },

    createTheme(slug: string, input: ThemeInput): Theme {
      const s = survey(slug);
      return reviews.insertTheme(s.id, { label: input.label, keywords: normaliseKeywords(input.keywords), questions: chosenQuestions(s, input.questions) });
    },

    updateTheme(id: number, input: Partial<ThemeInput>, inSurvey?: string): Theme {
      const theme = reviews.findTheme(id);
      const s = theme ? surveys.findById(theme.surveyId) : undefined;
      if (!theme || !s || (inSurvey !== undefined && s.slug !== inSurvey)) throw notFound('theme_not_found');
      const next = {
        label: input.label ?? theme.label,
        keywords: input.keywords ? normaliseKeywords(input.keywords) : theme.keywords,
        questions: input.questions !== undefined ? chosenQuestions(s, input.questions) : theme.questions,
      };
      reviews.updateTheme(id, next);
      return { id, ...next };
    },

    /** The questions a theme concerns: those chosen, else those whose wording its keywords match. */
    themeQuestions(slug: string, theme: Theme): string[] {
      return questionsOf(survey(slug), theme);
    },

    /**
     * Publishes the review: the published comments (at least minComments of them, or none),
     * their themes and the themes' counts — overall only, never by group (§8). A comment carries
     * its question only where the final release shows that question's comment count and at least
     * minComments of its comments are published; the others are "other comments" (questionId
     * null), so the review never shows a count the results hide. The audit of rule 8 then runs
     * over the final release and the review's per-question counts; a question it flags is pooled.
     */
    async publish(slug: string): Promise<PublishedReview> {
      const s = survey(slug);
      requireOpen(s);
      const published = reviews.listComments(s.id, 'published');
      const min = s.definition.minComments;
      // README choice 14: a review publishes either no comments or at least minComments of them.
      if (published.length > 0 && published.length < min) throw conflict('too_few_published', { min, count: published.length });
      const release = releases.latest(s.id)!.content;
      const named = namedQuestions(release, published, min);
      for (;;) {
        const byQuestion = Object.fromEntries([...named].map((q) => [q, published.filter((c) => c.questionId === q).length]));
        const pooled = published.filter((c) => !named.has(c.questionId)).length;
        const report = await audit(release, { mode: 'decide', review: { byQuestion, pooled }, only: 'comments' });
        const flagged = report.proofs.find((p) => p.remedy.kind === 'hide_comments' && p.question !== null && named.has(p.question));
        if (!flagged) break;
        named.delete(flagged.question!);
      }
      const themes = reviews.listThemes(s.id);
      const review: PublishedReview = {
        survey: s.slug,
        publishedAt: now().toISOString().slice(0, 10),
        themes: themes.map((t) => ({ id: t.id, label: t.label, count: published.filter((c) => c.themes.includes(t.id)).length, questions: questionsOf(s, t) })),
        comments: published.map((c) => ({
          questionId: named.has(c.questionId) ? c.questionId : null,
          text: c.text,
          translations: c.translations,
          themes: c.themes,
          shareWithPartners: c.shareWithPartners,
        })),
      };
      reviews.insertReview(s.id, review.publishedAt, JSON.stringify(review));
      return review;
    },

    /** The latest published review, or undefined. */
    published(slug: string): { survey: SurveyRecord; review: PublishedReview | undefined } {
      const s = survey(slug);
      const json = reviews.latestReview(s.id);
      return { survey: s, review: json ? (JSON.parse(json) as PublishedReview) : undefined };
    },
  };
}
export type ReviewService = ReturnType<typeof createReviewService>;

/** Whether a theme may name this question: it has figures, and it does not sort respondents into groups. */
export const themeable = (q: Question): boolean => q.type !== 'text' && !(q.type === 'single_choice' && q.grouping === true);

/** §8: the questions whose comments may be shown under them — counted in the release, and at least `min` published. */
export function namedQuestions(release: ReleaseJson, published: readonly { questionId: string }[], min: number): Set<string> {
  const named = new Set<string>();
  for (const q of release.questions) {
    if (q.type !== 'text' || isMarker(q.comments)) continue;
    if (published.filter((c) => c.questionId === q.id).length >= min) named.add(q.id);
  }
  return named;
}
