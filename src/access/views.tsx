/** The pages and page parts of signed-in people (§9): the sign-in page, the navigation and layout of signed-in pages. */
import type { ComponentChildren } from 'preact';
import { href, Layout, type PageContext } from '../web/layout.js';
import { hasRole } from './plugin.js';
import type { Principal } from './tokens.js';

/** Navigation for signed-in pages, with a sign-out button (a form, so it carries a CSRF token). */
export function SignedInNav({ ctx, principal, csrfToken }: { ctx: PageContext; principal: Principal; csrfToken: string }) {
  const { t } = ctx;
  return (
    <nav class="site-nav" aria-label={t('access:nav_label')}>
      <ul>
        {hasRole(principal, ['staff']) ? (
          <li>
            <a href={href(ctx, '/staff')}>{t('access:nav_staff')}</a>
          </li>
        ) : null}
        {hasRole(principal, ['wg']) ? (
          <li>
            <a href={href(ctx, '/wg')}>{t('access:nav_wg')}</a>
          </li>
        ) : null}
        <li>
          <form method="post" action={href(ctx, '/logout')} class="inline">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <button type="submit" class="link">
              {t('access:sign_out', { label: principal.label })}
            </button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

/** The layout of signed-in pages. */
export function SignedInLayout({
  ctx,
  principal,
  csrfToken,
  title,
  children,
  charts = false,
}: {
  ctx: PageContext;
  principal: Principal;
  csrfToken: string;
  title: string;
  children: ComponentChildren;
  /** Draws charts or tables of figures (the brief): their stylesheet too. */
  charts?: boolean;
}) {
  return (
    <Layout ctx={ctx} title={title} nav={<SignedInNav ctx={ctx} principal={principal} csrfToken={csrfToken} />} signedIn charts={charts}>
      {children}
    </Layout>
  );
}

/** The sign-in page: a token typed once, with the error of a failed attempt. */
export function LoginPage({ ctx, csrfToken, next, error }: { ctx: PageContext; csrfToken: string; next?: string | undefined; error?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={error ? `${t('form:error_prefix')} ${t('access:login_title')}` : t('access:login_title')}>
      <h1>{t('access:login_title')}</h1>
      <p>{t('access:login_intro')}</p>
      {error ? (
        <div class="error-summary" role="alert" aria-labelledby="login-error-title">
          <h2 id="login-error-title">{t('access:login_failed_title')}</h2>
          <p>
            <a href="#token">{error}</a>
          </p>
        </div>
      ) : null}
      <form method="post" action={href(ctx, '/login')}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <div class={error ? 'q invalid' : 'q'}>
          <label for="token">{t('access:token_label')}</label>
          <p class="hint" id="token-hint">
            {t('access:token_hint')}
          </p>
          <input type="password" id="token" name="token" autoComplete="current-password" aria-describedby="token-hint" aria-invalid={error ? 'true' : undefined} />
        </div>
        <button type="submit">{t('access:sign_in')}</button>
      </form>
    </Layout>
  );
}
