/** How a published comment reads: in the reader's language when a translation exists, with the original beside it. */
import type { Locale, Translate } from '../i18n/index.js';
import type { PublishedComment, PublishedReview } from './service.js';

export function CommentText({ comment, locale, t }: { comment: Pick<PublishedComment, 'text' | 'translations'>; locale: Locale; t: Translate }) {
  const translated = comment.translations[locale];
  if (translated && translated !== comment.text) {
    return (
      <blockquote class="comment">
        <p>{translated}</p>
        <p class="original">
          <span class="label">{t('review:original')}</span> {comment.text}
        </p>
      </blockquote>
    );
  }
  return (
    <blockquote class="comment">
      <p>{comment.text}</p>
    </blockquote>
  );
}

/** The themes of a published review with their counts (overall only), for the results page. */
export function ThemeCounts({ review, locale, t }: { review: PublishedReview; locale: Locale; t: Translate }) {
  if (review.themes.length === 0) return null;
  const fmt = new Intl.NumberFormat(locale);
  return (
    <section aria-labelledby="wg-themes">
      <h2 id="wg-themes">{t('review:themes_heading')}</h2>
      <p>{t('review:themes_intro')}</p>
      <table>
        <caption class="visually-hidden">{t('review:themes_heading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('review:theme')}</th>
            <th scope="col" class="num">
              {t('review:comment_count')}
            </th>
          </tr>
        </thead>
        <tbody>
          {[...review.themes]
            .sort((a, b) => b.count - a.count || a.id - b.id)
            .map((theme) => (
              <tr key={theme.id}>
                <th scope="row">{theme.label[locale]}</th>
                <td class="num">{fmt.format(theme.count)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
