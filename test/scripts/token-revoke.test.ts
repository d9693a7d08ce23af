/**
 * Access housekeeping (§9, issue 5): `npm run token:list` shows labels, roles and creation dates
 * (never a token or a hash); `npm run token:revoke -- LABEL` revokes, and the running Candor
 * refuses the token at once — 401 on the API, and a still-valid session cookie is sent back to
 * /login instead of seeing the staff pages.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/access/tokens.js';
import { makeApp, openSurvey, sampleSurvey, type TestApp } from '../helpers.js';
import { npmRun, tsx } from '../retention/run.js';
import { signIn } from '../staff/session.js';

const env = (t: TestApp) => ({ DATABASE_PATH: t.config.databasePath });
const today = () => new Date().toISOString().slice(0, 10);

describe('npm run token:list', () => {
  it('shows every label, role and creation date, and marks revoked tokens, without any secret', async () => {
    const t = await makeApp();
    const tokens = {
      staff: t.app.tokens.create('staff', 'Amina, programme staff'),
      wg: t.app.tokens.create('wg', 'Working Group — Lomé'),
      admin: t.app.tokens.create('admin', 'ops'),
    };
    t.app.tokens.revoke('ops');
    const r = await npmRun('token:list', [], env(t));
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([`Amina, programme staff\tstaff\t${today()}`, `Working Group — Lomé\twg\t${today()}`, `ops\tadmin\t${today()}\trevoked`]);
    for (const token of Object.values(tokens)) {
      expect(r.stdout).not.toContain(token);
      expect(r.stdout).not.toContain(hashToken(token));
    }
  });
});

describe('npm run token:revoke -- LABEL', () => {
  it('refuses the token at once on the running API: 401', async () => {
    const t = await makeApp();
    const token = t.app.tokens.create('staff', 'Amina');
    const other = t.app.tokens.create('staff', 'Bruno');
    const get = (tok: string) => t.app.inject({ method: 'GET', url: '/api/surveys', headers: { authorization: `Bearer ${tok}` } });
    expect((await get(token)).statusCode).toBe(200);

    const r = await npmRun('token:revoke', ['Amina'], env(t));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Revoked "Amina"');

    // The same app, no restart: refused at once, and translated.
    const refused = await t.app.inject({ method: 'GET', url: '/api/surveys?lang=es', headers: { authorization: `Bearer ${token}` } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect((refused.json() as { error: string }).error).toBe('unauthorized');
    // Everything else the token could do is refused too.
    await openSurvey(t, sampleSurvey({ slug: 'inv', access: 'invite' }));
    const invites = await t.app.inject({ method: 'POST', url: '/api/surveys/inv/invites', headers: { authorization: `Bearer ${token}` }, payload: { count: 2 } });
    expect(invites.statusCode).toBe(401);
    // Other tokens are untouched.
    expect((await get(other)).statusCode).toBe(200);
    // And the list says so.
    const list = await tsx(['scripts/token.ts', 'list'], env(t));
    expect(list.stdout).toContain(`Amina\tstaff\t${today()}\trevoked`);
    expect(list.stdout).toMatch(/^Bruno\tstaff\t\d{4}-\d{2}-\d{2}$/m);
  });

  it('ends the signed-in sessions of the token at once: the still-valid cookie is sent to /login', async () => {
    const t = await makeApp();
    const token = t.app.tokens.create('staff', 'Chloé');
    const b = await signIn(t, 'staff', { token, lang: 'fr' });
    expect((await b.get('/staff?lang=fr')).statusCode).toBe(200);
    const csrf = b.csrf;
    const session = b.cookies.get('candor_session');

    const r = await tsx(['scripts/token.ts', 'revoke', 'Chloé'], env(t));
    expect(r.code, r.stderr).toBe(0);

    // The cookie itself is unchanged and still within its 12 hours: only the token behind it is gone.
    expect(b.cookies.get('candor_session')).toBe(session);
    for (const path of ['/staff', '/staff/surveys/new', '/wg']) {
      const res = await b.get(`${path}?lang=fr`);
      expect(res.statusCode, path).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/login\?lang=fr&next=/);
    }
    // Forms too, even with the page's CSRF token.
    const create = await b.postMultipart('/staff/surveys?lang=fr', { definition: JSON.stringify(sampleSurvey({ slug: 'too-late' })) }, [], { csrf: csrf ?? null });
    expect(create.statusCode).toBe(303);
    expect(String(create.headers.location)).toMatch(/^\/login\?/);
    expect(t.db.sqlite.prepare('select count(*) from surveys').pluck().get()).toBe(0);
    // The login page treats the cookie as no session, and the token cannot sign in again.
    const login = await b.get('/login?lang=fr');
    expect(login.statusCode).toBe(200);
    const again = await b.post('/login?lang=fr', { token });
    expect(again.statusCode).toBe(401);
  });

  it('says so, with a non-zero exit, for an unknown label or none', async () => {
    const t = await makeApp();
    t.app.tokens.create('wg', 'Dina');
    const unknown = await npmRun('token:revoke', ['Nobody'], env(t));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No token is labelled "Nobody"');
    const none = await tsx(['scripts/token.ts', 'revoke'], env(t));
    expect(none.code).toBe(2);
    const list = await tsx(['scripts/token.ts', 'list'], env(t));
    expect(list.stdout).toBe(`Dina\twg\t${today()}\n`);
  });
});
