/** Renders a Preact element tree to an HTML document. JSX escapes every text and attribute. */
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { typesetFrenchHtml } from './typography.js';

export function renderPage(page: VNode): string {
  const html = renderToString(page);
  // A French page is typeset as French (typography.ts): texts from the definition included.
  return `<!doctype html>${html.startsWith('<html lang="fr"') ? typesetFrenchHtml(html) : html}`;
}
