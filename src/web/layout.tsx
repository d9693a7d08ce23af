/** The page shell shared by every page: <html lang>, language links, skip link, one stylesheet. */
import type { ComponentChildren } from 'preact';
import { LOCALES, type Locale, type Translate } from '../i18n/index.js';

export const CSS_PATH = '/assets/candor.css';
export const FAVICON_PATH = '/assets/favicon.svg';
/** The signed-in pages' own rules (the builder, the cards, the queue): partners never load them. */
export const STAFF_CSS_PATH = '/assets/staff.css';
/** Charts and tables of cells: only the pages that draw them load it, so the partner form stays light. */
export const CHARTS_CSS_PATH = '/assets/charts.css';

export interface PageContext {
  locale: Locale;
  t: Translate;
  /** Path of the current page, without query. */
  path: string;
  /** Query parameters to keep on language links (an invitation code, for instance). */
  query?: Record<string, string>;
}

/** The URL of the current page in another language. */
function languageHref(ctx: PageContext, locale: Locale): string {
  const params = new URLSearchParams({ ...(ctx.query ?? {}), lang: locale });
  return `${ctx.path}?${params.toString()}`;
}

/** A link to another Candor page, keeping the reader's language. */
export function href(ctx: PageContext, path: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...extra, lang: ctx.locale });
  return `${path}?${params.toString()}`;
}

function LanguageLinks({ ctx }: { ctx: PageContext }) {
  return (
    <nav class="langs" aria-label={ctx.t('common:language_nav')}>
      <ul>
        {LOCALES.map((locale) => (
          <li key={locale}>
            {locale === ctx.locale ? (
              <a href={languageHref(ctx, locale)} lang={locale} hrefLang={locale} aria-current="true">
                {ctx.t(`common:language_name.${locale}`, { lng: locale })}
              </a>
            ) : (
              <a href={languageHref(ctx, locale)} lang={locale} hrefLang={locale}>
                {ctx.t(`common:language_name.${locale}`, { lng: locale })}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout({
  ctx,
  title,
  children,
  nav,
  signedIn = false,
  charts = false,
}: {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  /** Extra navigation (signed-in pages). */
  nav?: ComponentChildren;
  /** A signed-in page: its own stylesheet too. */
  signedIn?: boolean;
  /** A page with charts and tables of figures (results, brief): their stylesheet too. */
  charts?: boolean;
}) {
  const { t, locale } = ctx;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · Candor`}</title>
        <link rel="stylesheet" href={CSS_PATH} />
        {signedIn ? <link rel="stylesheet" href={STAFF_CSS_PATH} /> : null}
        {charts ? <link rel="stylesheet" href={CHARTS_CSS_PATH} /> : null}
        <link rel="icon" href={FAVICON_PATH} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('common:skip_to_content')}
        </a>
        <header class="site">
          <div class="wrap">
            <a class="brand" href={href(ctx, '/')}>
              Candor
            </a>
            {nav}
            <LanguageLinks ctx={ctx} />
          </div>
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer class="site">
          <div class="wrap">
            <p>{t('common:footer')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** A page that only says something: errors, confirmations. */
export function MessagePage({ ctx, title, message, children }: { ctx: PageContext; title: string; message: string; children?: ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{message}</p>
      {children}
    </Layout>
  );
}

/** A confirmation (role=status) or an error (role=alert) at the top of a signed-in page, with its problems listed. */
/**
 * A notice, or a refusal with its problems. A problem's path is shown only where the reader wrote
 * the document it points into (a survey definition); on other forms the message says it all.
 */
export function Notice({ message, error, problems }: { message?: string | undefined; error?: string | undefined; problems?: { path?: string; message: string }[] | undefined }) {
  if (error) {
    return (
      <div class="error-summary" role="alert" aria-labelledby="problem-title" tabIndex={-1}>
        <h2 id="problem-title">{error}</h2>
        {problems && problems.length > 0 ? (
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {p.path ? <code>{p.path}</code> : null} {p.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  return message ? (
    <div class="notice" role="status">
      <p>{message}</p>
    </div>
  ) : null;
}
