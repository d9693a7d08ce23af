/**
 * Every page names its icon, and the icon is served, at its address and at /favicon.ico, which
 * browsers ask for on their own (issue 13, item 9: a 404 on every page before).
 */
import { expect, it } from 'vitest';
import { attr, tags } from '../html.js';
import { makeApp } from '../helpers.js';

it('serves the icon every page links to, and /favicon.ico', async () => {
  const t = await makeApp();
  for (const url of ['/?lang=fr', '/login?lang=es', '/s/no-such-survey']) {
    const page = await t.app.inject({ url });
    const icon = tags(page.body, 'link').find((l) => attr(l, 'rel') === 'icon');
    expect(icon && attr(icon, 'href'), url).toBe('/assets/favicon.svg');
  }
  for (const url of ['/assets/favicon.svg', '/favicon.ico']) {
    const res = await t.app.inject({ url });
    expect(res.statusCode, url).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.body).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(res.headers['set-cookie']).toBeUndefined();
  }
});
