/** Readers of the results page's HTML by class and by question, for its charts and tables (beside test/html.ts). */
import { attr } from '../html.js';

const tag = (name: string) => new RegExp(`<(/?)${name}(?=[\\s>])(?:"[^"]*"|[^">])*>`, 'gi');

/** The whole element (outer HTML) of this name whose opening tag starts at `start`. */
function outerAt(html: string, name: string, start: number): string {
  const re = tag(name);
  re.lastIndex = start;
  let depth = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  throw new Error(`unclosed <${name}> at ${start}`);
}

/** Every `<name class="… cls …">` element, whole, nested ones included. */
export function byClass(html: string, name: string, cls: string): string[] {
  return [...html.matchAll(tag(name))].filter((m) => !m[1] && (attr(m[0], 'class') ?? '').split(' ').includes(cls)).map((m) => outerAt(html, name, m.index));
}

/** A question's <section>, whole. */
export function section(html: string, id: string): string {
  const start = html.indexOf(`<section aria-labelledby="q-${id}">`);
  if (start < 0) throw new Error(`no section for ${id}`);
  return outerAt(html, 'section', start);
}
