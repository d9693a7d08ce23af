/** Small, strict readers of the HTML Candor renders (no DOM library: preact's output is regular). */

/** The attributes of a tag: quoted values may hold ">" (preact escapes only '"' and '&' there). */
const ATTRS = '(?:"[^"]*"|[^">])*';

/** Every opening tag of this element name, e.g. tags(html, 'input'). */
export function tags(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<${name}(?=[\\s>/])${ATTRS}>`, 'gi'))].map((m) => m[0]);
}

/** The value of an attribute in an opening tag, entities decoded; undefined when absent. */
export function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s>/])`, 'i').exec(tag);
  if (!m) return undefined;
  return decode(m[1] ?? '');
}

/** The opening tag of the element with this id. */
export function byId(html: string, id: string): string | undefined {
  return [...html.matchAll(new RegExp(`<[a-z][a-z0-9]*(?=[\\s>/])${ATTRS}>`, 'gi'))].map((m) => m[0]).find((tag) => attr(tag, 'id') === id);
}

/** The whole element (outer HTML) that starts at the tag with this id, for non-void elements. */
export function elementById(html: string, id: string): string | undefined {
  const open = byId(html, id);
  if (!open) return undefined;
  const start = html.indexOf(open);
  const name = /^<([a-z0-9]+)/i.exec(open)![1]!;
  let depth = 0;
  const re = new RegExp(`<(/?)${name}(?=[\\s>/])${ATTRS}>`, 'gi');
  re.lastIndex = start;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  return undefined;
}

/** The inner HTML of every element of this name. */
export function elements(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<${name}(?=[\\s>])[^>]*>([\\s\\S]*?)</${name}>`, 'gi'))].map((m) => m[1]!);
}

export function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/**
 * Visible text: tags removed, entities decoded, runs of ordinary white space collapsed. No-break
 * spaces (French typography) are kept: they are part of the text.
 */
export function text(html: string): string {
  return decode(html.replace(new RegExp(`<[/!]?[a-z]*${ATTRS}>`, 'gi'), ' ')).replace(/[ \t\n\r\f]+/g, ' ').trim();
}
