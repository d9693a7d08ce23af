/**
 * French typography at render time (issue 13, item 4): in French text, a narrow no-break space
 * (U+202F) before ? ! and ;, a no-break space (U+00A0) before : and inside « » — so that
 * punctuation never wraps alone onto the next line of a phone. (Candor's own French strings use the
 * typographic apostrophe; a survey's texts keep the apostrophes their authors typed.)
 * Applied to every French page as it is rendered, survey texts included; never inside what a
 * reader typed or can copy (textarea, input values and every attribute, code, pre), nor inside an
 * element in another language.
 */

const SPACES = '[ \\u00a0\\u202f]';
const BEFORE_HIGH = new RegExp(`${SPACES}+([?!;])`, 'g');
const BEFORE_COLON = new RegExp(`${SPACES}+:`, 'g');
const AFTER_OPENING = new RegExp(`«${SPACES}*`, 'g');
const BEFORE_CLOSING = new RegExp(`${SPACES}*»`, 'g');
/** One run of French text: the spaces French typography asks for. */
export function typesetFrench(text: string): string {
  return text
    .replace(BEFORE_HIGH, '\u202f$1')
    .replace(BEFORE_COLON, '\u00a0:')
    .replace(AFTER_OPENING, '«\u00a0')
    .replace(BEFORE_CLOSING, '\u00a0»');
}

/** Elements whose text is kept exactly: what a reader typed, or may copy. */
const VERBATIM = new Set(['textarea', 'code', 'pre', 'script', 'style', 'kbd', 'samp']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TOKEN = /<!--[\s\S]*?-->|<![^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>|[^<]+|</g;
const LANG = /\slang="([^"]*)"/;

/**
 * Typesets the text of a rendered page (Preact's well-formed output) between its tags. Attributes
 * are never touched; the text of a verbatim element or of an element in another language is kept.
 */
export function typesetFrenchHtml(html: string): string {
  /** For each open element: whether its text is kept as it is. */
  const open: { name: string; keep: boolean }[] = [];
  let kept = 0;
  return html.replace(TOKEN, (token: string, close: string | undefined, rawName: string | undefined, attrs: string | undefined) => {
    if (rawName === undefined) {
      // Text (or a comment, a doctype, a lone "<").
      return token.startsWith('<') || kept > 0 ? token : typesetFrench(token);
    }
    const name = rawName.toLowerCase();
    if (close) {
      const at = open.map((e) => e.name).lastIndexOf(name);
      if (at >= 0) for (const e of open.splice(at)) if (e.keep) kept--;
      return token;
    }
    if (VOID.has(name) || (attrs ?? '').trimEnd().endsWith('/')) return token;
    const lang = LANG.exec(attrs ?? '')?.[1];
    const keep = VERBATIM.has(name) || (lang !== undefined && !lang.toLowerCase().startsWith('fr'));
    open.push({ name, keep });
    if (keep) kept++;
    return token;
  });
}
