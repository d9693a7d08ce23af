/**
 * The one rate limit of §4: every submitting route and sign-in share one budget per address; no
 * `x-ratelimit-*` header tells anyone how many others submitted; a client that dropped its
 * connection (no address left) is counted, never an error line.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.js';
import { addressKey } from '../../src/web/rate-limit.js';
import { Client } from '../access/client.js';
import { makeApp, openSurvey, postForm, sampleAnswers, sampleSurvey, submit, tableCounts, tempDir } from '../helpers.js';

const i18n = createI18n();
const SLUG = sampleSurvey().slug;
const rateHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((h) => h.startsWith('x-ratelimit') || h.startsWith('ratelimit'));

describe('the address key', () => {
  it('is a keyed hash of the address, the same for the same address, never the address itself', () => {
    const key = addressKey(Buffer.alloc(32, 7));
    expect(key({ ip: '203.0.113.7' })).toBe(key({ ip: '203.0.113.7' }));
    expect(key({ ip: '203.0.113.7' })).not.toBe(key({ ip: '203.0.113.8' }));
    expect(key({ ip: '203.0.113.7' })).not.toContain('203');
    expect(addressKey(Buffer.alloc(32, 8))({ ip: '203.0.113.7' })).not.toBe(key({ ip: '203.0.113.7' }));
  });

  it('answers for a request whose client has gone (no address), rather than throwing', () => {
    const key = addressKey(Buffer.alloc(32, 7));
    expect(() => key({ ip: undefined as unknown as string })).not.toThrow();
    expect(key({ ip: undefined as unknown as string })).toMatch(/^[\w-]{22}$/);
  });
});

describe('one budget per address', () => {
  it('is shared by JSON submissions, form submissions and sign-in', async () => {
    const t = await makeApp({ rateLimitPerMinute: 4 });
    await openSurvey(t);
    const browser = new Client(t);
    const csrf = await browser.csrf('/login?lang=fr');
    expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(201);
    expect((await postForm(t, `/s/${SLUG}`, { speak_freely: '4' })).statusCode).toBe(303);
    expect((await browser.post('/login?lang=fr', { _csrf: csrf, token: 'not-a-token' })).statusCode).toBe(401);
    expect((await submit(t, SLUG, { answers: sampleAnswers() })).statusCode).toBe(201);
    // The budget of 4 is spent, whichever route is tried next.
    const form = await postForm(t, `/s/${SLUG}?lang=es`, { speak_freely: '4' });
    expect(form.statusCode).toBe(429);
    const json = await submit(t, SLUG, { answers: sampleAnswers() });
    expect(json.statusCode).toBe(429);
    expect(json.json().error).toBe('rate_limited');
    const login = await browser.post('/login?lang=fr', { _csrf: csrf, token: t.token('staff') });
    expect(login.statusCode).toBe(429);
    const seconds = Number(/(\d+)/.exec(String(login.headers['retry-after']))?.[1]);
    expect(login.body).toContain(i18n.getFixedT('fr')('errors:rate_limited_login', { seconds }).replaceAll("'", '&#x27;').slice(0, 30));
    expect(browser.signedIn()).toBe(false);
    expect(tableCounts(t).responses).toBe(3);
  });

  it('sends no x-ratelimit headers to partners, only Retry-After once the limit is reached', async () => {
    const t = await makeApp({ rateLimitPerMinute: 2 });
    await openSurvey(t);
    const created = await submit(t, SLUG, { answers: sampleAnswers() });
    expect(created.statusCode).toBe(201);
    expect(rateHeaders(created.headers)).toEqual([]);
    const posted = await postForm(t, `/s/${SLUG}`, { speak_freely: '4' });
    expect(posted.statusCode).toBe(303);
    expect(rateHeaders(posted.headers)).toEqual([]);
    const limited = await submit(t, SLUG, { answers: sampleAnswers() });
    expect(limited.statusCode).toBe(429);
    expect(rateHeaders(limited.headers)).toEqual([]);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('a request without a client address', () => {
  // A client that dropped its connection before the limiter ran has no address left; a request
  // through a Unix socket (a proxy on the same host) never has one. Both must be answered, and
  // counted, without an error line (which would date a submission).
  it('is answered and counted, and nothing is logged', async () => {
    const t = await makeApp({ logLevel: 'trace', rateLimitPerMinute: 2 });
    await openSurvey(t);
    const socketPath = join(tempDir(), 'candor.sock');
    await t.app.listen({ path: socketPath });
    const before = t.logs.length;
    const body = JSON.stringify({ answers: sampleAnswers() });
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = request({ socketPath, method: 'POST', path: `/api/surveys/${SLUG}/responses`, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect([await post(), await post(), await post()]).toEqual([201, 201, 429]);
    expect(t.logs.slice(before)).toEqual([]);
    expect(tableCounts(t).responses).toBe(2);
  });
});
