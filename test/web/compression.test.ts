/**
 * Slow connections (issue 13, item 10): pages, the stylesheet, JSON and CSV are sent compressed —
 * brotli when the browser takes it, else gzip — and decompress to exactly what an uncompressed
 * reply holds; tiny replies are left alone. The weights are printed, for the record.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { closeSurvey, inviteCodes, makeApp, openSurvey, sampleAnswers, sampleSurvey, submit, type TestApp } from '../helpers.js';

const SLUG = 'learning-lab-2026';

async function released(): Promise<TestApp> {
  const t = await makeApp();
  await openSurvey(t, sampleSurvey({ access: 'invite' }));
  const codes = await inviteCodes(t, SLUG, 20);
  const regions = ['africa', 'americas', 'africa', 'americas', 'asia'];
  for (let i = 0; i < 20; i++) {
    expect((await submit(t, SLUG, { answers: sampleAnswers({ region: regions[i % 5], speak_freely: 1 + (i % 5), usefulness: i % 11 }), inviteCode: codes[i] })).statusCode).toBe(201);
  }
  await closeSurvey(t, SLUG);
  return t;
}

const PATHS = {
  'partner form': '/s/other-round?lang=fr',
  'results page': `/s/${SLUG}/results?lang=es`,
  stylesheet: '/assets/candor.css',
  'results JSON': `/api/surveys/${SLUG}/results`,
  'results CSV': `/api/surveys/${SLUG}/results.csv?lang=fr`,
  'home page': '/?lang=en',
};

describe('compression', () => {
  it('sends every text reply of some size with brotli, or gzip, and the same content', async () => {
    const t = await released();
    await openSurvey(t, sampleSurvey({ slug: 'other-round' }));
    const weights: string[] = [];
    for (const [what, url] of Object.entries(PATHS)) {
      const plain = await t.app.inject({ url });
      expect(plain.statusCode, what).toBe(200);
      expect(plain.headers['content-encoding'], what).toBeUndefined();
      const br = await t.app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(br.headers['content-encoding'], what).toBe('br');
      expect(String(br.headers.vary), what).toMatch(/accept-encoding/i);
      expect(brotliDecompressSync(br.rawPayload).toString('utf8'), what).toBe(plain.body);
      const gz = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers['content-encoding'], what).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).toString('utf8'), what).toBe(plain.body);
      expect(br.rawPayload.length, what).toBeLessThan(plain.rawPayload.length / 2);
      weights.push(`${what}: ${plain.rawPayload.length} B → brotli ${br.rawPayload.length} B, gzip ${gz.rawPayload.length} B`);
    }
    console.log(`[compression]\n  ${weights.join('\n  ')}`);
  });

  it('leaves a tiny reply alone, and answers a refusal compressed in the same language', async () => {
    const t = await makeApp();
    const health = await t.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'br, gzip' } });
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(health.json()).toEqual({ status: 'ok' });
    const missing = await t.app.inject({ url: '/s/no-such-survey?lang=fr', headers: { 'accept-encoding': 'gzip' } });
    expect(missing.statusCode).toBe(404);
    const body = missing.headers['content-encoding'] === 'gzip' ? gunzipSync(missing.rawPayload).toString('utf8') : missing.body;
    expect(body).toContain('lang="fr"');
  });
});
