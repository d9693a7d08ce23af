/**
 * Anonymity built into storage (§2): random ids, a storage order unrelated to arrival, no time,
 * address, agent, cookie or language next to a response, and no log line from a submission.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { ANSWER_TABLES, L, makeApp, openSurvey, postForm, sampleAnswers, sampleSurvey, submit, tableRows, tempDir, type TestApp } from '../helpers.js';
import { spearman } from '../stats.js';

const SLUG = 'learning-lab-2026';


describe('spearman (the yardstick itself)', () => {
  it('is 1 for the same order, -1 for the reverse, and near 0 for a shuffle', () => {
    const a = Array.from({ length: 200 }, (_, i) => i);
    expect(spearman(a, a)).toBe(1);
    expect(spearman(a, [...a].reverse())).toBe(-1);
    const shuffled = a.map((x) => [Math.sin(x * 12.9898) * 43758.5453 % 1, x] as const).sort((p, q) => p[0] - q[0]).map(([, x]) => x);
    expect(Math.abs(spearman(a, shuffled))).toBeLessThan(0.3);
  });
});

/** A survey whose answers say which submission a response was: seq = 20·hi + lo. */
const orderSurvey = (): SurveyDefinition =>
  sampleSurvey({
    questions: [
      sampleSurvey().questions[0]!,
      { id: 'hi', type: 'rating', min: 0, max: 10, prompt: L('Hi', 'Hi', 'Hi') },
      { id: 'lo', type: 'rating', min: 0, max: 19, prompt: L('Lo', 'Lo', 'Lo') },
      { id: 'note', type: 'text', prompt: L('Note', 'Nota', 'Note') },
    ],
  });
const N = 200;
/**
 * Under no association, Spearman's rho for n = 200 is close to normal with standard deviation
 * 1/sqrt(n - 1) ≈ 0.071; 4 standard deviations (≈ 0.28) is crossed by chance about once in 16,000
 * runs, while any order that follows arrival gives a rho near 1.
 */
const BOUND = 4 / Math.sqrt(N - 1);

/** A fixed shuffle of 0..n-1 (a seeded LCG), so labels carry no hint of the submission order. */
function shuffled(n: number, seed = 20261127): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  let state = seed;
  for (let i = n - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Submits N responses in a known order. The k-th submission carries the label perm[k] in its
 * answers (label = 20·hi + lo) and its comment, so that sorting by answer values (an index) says
 * nothing about k; only an order that follows arrival would.
 */
async function submitInOrder(t: TestApp): Promise<{ arrivalOf: (label: number) => number }> {
  await openSurvey(t, orderSurvey());
  const perm = shuffled(N);
  const regions = ['africa', 'americas', 'asia'];
  for (let k = 0; k < N; k++) {
    const label = perm[k]!;
    const res = await submit(t, SLUG, { answers: { region: regions[k % 3], hi: Math.floor(label / 20), lo: label % 20, note: `comment number ${label}` } });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
  const arrival = new Map(perm.map((label, k) => [label, k]));
  return { arrivalOf: (label) => arrival.get(label)! };
}

describe('storage order', () => {
  it('does not follow submission order: 200 responses read back by a plain table scan have a rank correlation near zero', async () => {
    const t = await makeApp();
    const { arrivalOf } = await submitInOrder(t);

    // When each response arrived, from the label in its answers.
    const parts = new Map<string, { hi?: number; lo?: number }>();
    for (const row of tableRows(t, 'answers')) {
      const p = parts.get(row.response_id as string) ?? {};
      if (row.question_id === 'hi') p.hi = Number(row.value);
      if (row.question_id === 'lo') p.lo = Number(row.value);
      parts.set(row.response_id as string, p);
    }
    const arrivalOfResponse = new Map([...parts].map(([id, p]) => [id, arrivalOf(p.hi! * 20 + p.lo!)]));
    expect(new Set(arrivalOfResponse.values()).size).toBe(N);

    /** Rank correlation between where each response is read and when it arrived. */
    const rho = (arrivals: number[]) => {
      expect(arrivals).toHaveLength(N);
      expect(new Set(arrivals).size).toBe(N);
      return spearman(arrivals.map((_, i) => i), arrivals);
    };
    /** The order in which responses first appear in a scan of answer rows. */
    const firstSeen = (rows: Record<string, unknown>[]) => [...new Set(rows.map((r) => r.response_id as string))].map((id) => arrivalOfResponse.get(id)!);

    const measures = {
      // select * from responses: the plain scan of the table.
      responses: rho(t.db.sqlite.prepare('select * from responses').all().map((r) => arrivalOfResponse.get((r as { id: string }).id)!)),
      // select * from answers, as SQLite chooses to read it.
      answers: rho(firstSeen(t.db.sqlite.prepare('select * from answers').all() as Record<string, unknown>[])),
      // the answers table's own b-tree (its primary key), in the order its pages hold the rows.
      answersTable: rho(firstSeen(t.db.sqlite.prepare('select * from answers indexed by sqlite_autoindex_answers_1').all() as Record<string, unknown>[])),
      // select * from comments, identified by their text.
      comments: rho(t.db.sqlite.prepare('select * from comments').all().map((r) => arrivalOf(Number(/comment number (\d+)/.exec((r as { text: string }).text)![1])))),
      // the ids themselves, sorted.
      ids: rho([...arrivalOfResponse].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k)),
    };
    for (const [name, value] of Object.entries(measures)) {
      expect(Math.abs(value), `${name}: rho = ${value.toFixed(3)}`).toBeLessThan(BOUND);
    }
  });

  it('leaves no page of the file holding its rows in the order they were written once the job has run', async () => {
    const t = await makeApp();
    await submitInOrder(t);
    const texts = t.db.sqlite.prepare('select text from comments').pluck().all() as string[];
    const pageSize = t.db.sqlite.pragma('page_size', { simple: true }) as number;
    /**
     * Reads a database file byte by byte, as someone holding it could: where each comment sits
     * (page, and place within the page) and how many copies of it the file holds. Within a live
     * page a row written later lands nearer the page's start, whatever its key.
     */
    const layout = (path: string) => {
      const file = readFileSync(path).toString('latin1');
      const places: string[] = [];
      const copies: number[] = [];
      for (const text of texts) {
        const at: number[] = [];
        for (let i = file.indexOf(text); i >= 0; i = file.indexOf(text, i + 1)) {
          // "comment number 1" also starts "comment number 17": only whole texts count.
          if (!/\d/.test(file[i + text.length] ?? '')) at.push(i);
        }
        places.push(`${Math.floor(at[0]! / pageSize)}:${at[0]! % pageSize}`);
        copies.push(at.length);
      }
      return { places, copies };
    };
    /** The layout SQLite gives the same rows when it builds a file from scratch, in key order. */
    const rebuilt = () => {
      const copy = join(tempDir(), 'rebuilt.db');
      t.db.sqlite.prepare('VACUUM INTO ?').run(copy);
      return layout(copy);
    };

    t.db.checkpoint();
    // Live, the file keeps traces of the order rows were written in: its layout is not the one
    // the same rows get when built from scratch. This is what the job must erase.
    expect(layout(t.config.databasePath).places).not.toEqual(rebuilt().places);

    await t.app.releases.run();
    // The run empties the log without waiting; make sure every page is in the file before reading it.
    expect(t.db.checkpoint(2000)).toBe(true);
    const after = layout(t.config.databasePath);
    expect(after.places).toEqual(rebuilt().places);
    expect(after.copies.every((n) => n === 1)).toBe(true);
    // A run with nothing new written leaves the file as it is.
    const bytes = readFileSync(t.config.databasePath);
    await t.app.releases.run();
    expect(readFileSync(t.config.databasePath).equals(bytes)).toBe(true);
  });

  it('keeps the answer tables WITHOUT ROWID (an implicit rowid would count submissions)', async () => {
    const t = await makeApp();
    const list = t.db.sqlite.prepare('pragma table_list').all() as { name: string; wr: number }[];
    for (const table of ANSWER_TABLES) {
      expect(list.find((r) => r.name === table)?.wr, table).toBe(1);
      expect(() => t.db.sqlite.prepare(`select rowid from ${table}`).all(), table).toThrow(/rowid/);
    }
    // No AUTOINCREMENT counter and no trigger that could copy a response elsewhere.
    expect(t.db.sqlite.prepare("select name from sqlite_schema where type = 'trigger'").all()).toEqual([]);
    expect(t.db.sqlite.prepare("select name from sqlite_schema where name = 'sqlite_sequence'").all()).toEqual([]);
  });

  it('gives responses random ids: 128 bits, unrelated to one another, and none shared with a comment', async () => {
    const t = await makeApp();
    await openSurvey(t);
    for (let i = 0; i < 50; i++) await submit(t, SLUG, { answers: sampleAnswers() });
    const ids = t.db.sqlite.prepare('select id from responses').pluck().all() as string[];
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(Number.isFinite(Number(id))).toBe(false);
    }
    // Random ids share no long prefix: sequential or time-based ones would.
    const sorted = [...ids].sort();
    const common = (a: string, b: string) => [...a].findIndex((ch, i) => ch !== b[i]);
    const longest = Math.max(...sorted.slice(1).map((id, i) => common(id, sorted[i]!)));
    expect(longest).toBeLessThan(6);
    // Comments get ids of their own: nothing ties them to their response.
    const commentIds = t.db.sqlite.prepare('select id from comments').pluck().all() as string[];
    expect(commentIds).toHaveLength(50);
    expect(commentIds.filter((id) => ids.includes(id))).toEqual([]);
  });
});

const FORBIDDEN_WORDS = new Set([
  'time', 'timestamp', 'date', 'day', 'at', 'on', 'created', 'updated', 'submitted', 'received', 'seq', 'sequence', 'order', 'position', 'rowid',
  'ip', 'addr', 'address', 'remote', 'client', 'host', 'port', 'agent', 'ua', 'browser', 'referer', 'referrer', 'cookie', 'session',
  'locale', 'lang', 'language', 'code', 'invite', 'token', 'user',
]);

describe('the schema', () => {
  it('has no column that stores a time, order, address, agent, cookie, language or code next to a response', async () => {
    const t = await makeApp();
    const tables = t.db.sqlite.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").pluck().all() as string[];
    const next = tables.filter((table) => {
      const columns = t.db.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[];
      return (ANSWER_TABLES as readonly string[]).includes(table) || columns.some((c) => /response/.test(c.name));
    });
    expect(next.sort()).toEqual([...ANSWER_TABLES].sort());
    for (const table of next) {
      const columns = t.db.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string; type: string; dflt_value: string | null }[];
      for (const c of columns) {
        const words = c.name.toLowerCase().split(/[_\W]+/);
        expect(words.filter((w) => FORBIDDEN_WORDS.has(w)), `${table}.${c.name}`).toEqual([]);
        expect(c.dflt_value ?? '', `${table}.${c.name}`).not.toMatch(/now|current_|date|time|random/i);
      }
    }
    expect((t.db.sqlite.prepare('pragma table_info(responses)').all() as { name: string }[]).map((c) => c.name).sort()).toEqual(['id', 'survey_id']);
    expect((t.db.sqlite.prepare('pragma table_info(comments)').all() as { name: string }[]).map((c) => c.name)).not.toContain('response_id');
  });
});

describe('what a response leaves behind', () => {
  it('does not store the language a partner answered in', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const answers = sampleAnswers({ region: 'asia', suggestions: 'Más tiempo.' });
    const snapshot = () => ({
      responses: tableRows(t, 'responses').map(({ id: _i, ...rest }) => JSON.stringify(rest)),
      answers: tableRows(t, 'answers').map(({ response_id: _r, ...rest }) => JSON.stringify(rest)).sort(),
      comments: tableRows(t, 'comments').map(({ id: _i, ...rest }) => JSON.stringify(rest)).sort(),
    });

    expect((await submit(t, SLUG, { locale: 'en', answers })).statusCode).toBe(201);
    const english = snapshot();
    t.db.sqlite.exec('delete from answers; delete from comments; delete from responses;');
    expect((await submit(t, SLUG, { locale: 'fr', answers }, { 'accept-language': 'fr' })).statusCode).toBe(201);
    const french = snapshot();
    t.db.sqlite.exec('delete from answers; delete from comments; delete from responses;');
    const form = await postForm(t, `/s/${SLUG}?lang=es`, { region: 'asia', speak_freely: '4', activities: ['calls', 'visits'], usefulness: '8', suggestions: 'Más tiempo.' });
    expect(form.statusCode).toBe(303);
    const spanish = snapshot();

    // The same answers leave exactly the same rows, whatever the language.
    expect(french).toEqual(english);
    expect(spanish).toEqual(english);
    for (const table of ANSWER_TABLES) {
      for (const row of tableRows(t, table)) {
        for (const value of Object.values(row)) expect(String(value), `${table}`).not.toMatch(/^(en|es|fr)$|"(en|es|fr)"/);
      }
    }
  });

  it('stores no client address, agent, referrer or cookie anywhere in the database files', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const headers = { 'user-agent': 'PartnerBrowser/7.3 (Test)', referer: 'https://partner-org.example/newsletter', cookie: 'tracking=abc123def', 'x-forwarded-for': '203.0.113.77' };
    for (let i = 0; i < 5; i++) expect((await submit(t, SLUG, { answers: sampleAnswers() }, headers)).statusCode).toBe(201);
    await postForm(t, `/s/${SLUG}`, { speak_freely: '3' }, headers);
    const folder = dirname(t.config.databasePath);
    const bytes = readdirSync(folder).map((f) => readFileSync(join(folder, f)).toString('latin1')).join('\n');
    for (const secret of ['127.0.0.1', '203.0.113.77', 'PartnerBrowser', 'partner-org.example', 'abc123def']) expect(bytes).not.toContain(secret);
  });
});

describe('logs', () => {
  const clientHeaders = {
    'user-agent': 'PartnerBrowser/7.3 (Test)',
    referer: 'https://partner-org.example/newsletter',
    'x-forwarded-for': '203.0.113.77',
  };
  const SECRETS = ['127.0.0.1', '203.0.113.77', 'remoteAddress', 'remotePort', 'PartnerBrowser', 'user-agent', 'partner-org.example', 'referer', 'referrer'];

  it('records nothing at all while partners submit, whatever the outcome', async () => {
    const t = await makeApp({ logLevel: 'trace', rateLimitPerMinute: 8 });
    await openSurvey(t);
    await openSurvey(t, sampleSurvey({ slug: 'by-invitation', access: 'invite' }));
    const before = t.logs.length;
    const outcomes = [
      await submit(t, SLUG, { locale: 'fr', answers: sampleAnswers({ suggestions: 'Texte secret de la réponse' }) }, clientHeaders),
      await submit(t, SLUG, { answers: { speak_freely: 9 } }, clientHeaders),
      await submit(t, 'no-such-survey', { answers: sampleAnswers() }, clientHeaders),
      await submit(t, 'by-invitation', { answers: sampleAnswers(), inviteCode: 'INVITE-SECRET-42' }, clientHeaders),
      await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/responses?code=INVITE-SECRET-43`, headers: { ...clientHeaders, 'content-type': 'application/json' }, payload: '{oops' }),
      await postForm(t, `/s/${SLUG}?lang=es`, { speak_freely: '4', suggestions: 'Otro texto secreto' }, clientHeaders),
      await postForm(t, '/s/by-invitation?lang=es', { speak_freely: '4', inviteCode: 'INVITE-SECRET-44' }, clientHeaders),
      await postForm(t, `/s/${SLUG}`, { speak_freely: '0' }, clientHeaders),
    ];
    expect(outcomes.map((r) => r.statusCode)).toEqual([201, 400, 404, 403, 400, 303, 403, 400]);
    // Past the limit too.
    let limited = 0;
    for (let i = 0; i < 10; i++) if ((await submit(t, SLUG, { answers: sampleAnswers() }, clientHeaders)).statusCode === 429) limited++;
    expect(limited).toBeGreaterThan(0);
    expect(t.logs.slice(before)).toEqual([]);
  });

  it('records nothing when the browser lands on the thank-you page right after a submission', async () => {
    const t = await makeApp({ logLevel: 'trace' });
    await openSurvey(t);
    const before = t.logs.length;
    const res = await postForm(t, `/s/${SLUG}?lang=fr`, { speak_freely: '4' }, clientHeaders);
    expect(res.statusCode).toBe(303);
    // Its log line would date the submission it follows, and name the partner's language.
    const thanks = await t.app.inject({ method: 'GET', url: res.headers.location as string, headers: clientHeaders });
    expect(thanks.statusCode).toBe(200);
    expect(t.logs.slice(before)).toEqual([]);
  });

  it('logs other requests without the client address, port, agent or referrer, and with the query string redacted', async () => {
    const t = await makeApp({ logLevel: 'trace' });
    await openSurvey(t, sampleSurvey({ access: 'invite' }));
    const before = t.logs.length;
    expect((await t.app.inject({ method: 'GET', url: '/healthz?code=INVITE-SECRET-45', headers: clientHeaders })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/s/${SLUG}?lang=fr&code=INVITE-SECRET-46`, headers: clientHeaders })).statusCode).toBe(200);
    const lines = t.logs.slice(before);
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('');
    expect(all).toContain('/healthz?[redacted]');
    expect(all).toContain(`/s/${SLUG}?[redacted]`);
    for (const secret of [...SECRETS, 'INVITE-SECRET', 'lang=fr']) expect(all, secret).not.toContain(secret);
    // Request ids are random, not a counter whose gaps would show submissions.
    for (const line of lines) {
      const entry = JSON.parse(line) as { reqId?: string };
      if (entry.reqId !== undefined) expect(entry.reqId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs server errors without the request body', async () => {
    const t = await makeApp({ logLevel: 'trace' });
    await openSurvey(t);
    const before = t.logs.length;
    // Break the table under the app: the submission fails with a 500 that must not echo the answers.
    t.db.sqlite.exec('drop table comments');
    const res = await submit(t, SLUG, { answers: sampleAnswers({ suggestions: 'Texto que no debe aparecer' }) }, clientHeaders);
    expect(res.statusCode).toBe(500);
    expect(res.json().message).not.toMatch(/comments|sqlite/i);
    const all = t.logs.slice(before).join('');
    for (const secret of [...SECRETS, 'Texto que no debe aparecer', 'americas']) expect(all, secret).not.toContain(secret);
  });
});
