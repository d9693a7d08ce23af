/**
 * After 50 coded submissions, nothing in the database relates codes to responses (§2, §5): no
 * value shared between the invites table and the answer tables, no time or order column, and the
 * storage order of spent codes says nothing about the order the responses came in, nor about where
 * those responses are stored. Staff see how many codes are spent, never which.
 */
import { describe, expect, it } from 'vitest';
import { hashCode } from '../../src/invites/codes.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { ANSWER_TABLES, L, makeApp, openSurvey, sampleSurvey, submit, tableRows, type TestApp } from '../helpers.js';
import { signIn } from '../staff/session.js';
import { databaseBytes, spearman, spellings } from './support.js';

const SLUG = 'coded-round';
const N = 50;
const ISSUED = 60;
/**
 * For 50 independent orders, |ρ|·√49 is close to a standard normal: |ρ| > 0.55 happens about once
 * in 10,000 runs by chance, while any order kept by the storage gives |ρ| near 1.
 */
const NEAR_ZERO = 0.55;

/** The sample survey plus a 1–50 rating that tells, in the test only, which submission a response was. */
function survey(): SurveyDefinition {
  const base = sampleSurvey({ slug: SLUG, access: 'invite' });
  return { ...base, questions: [...base.questions, { id: 'seq', type: 'rating', min: 1, max: N, prompt: L('Number', 'Número', 'Numéro') }] };
}

interface Round {
  t: TestApp;
  surveyId: number;
  /** In the order they were made, which is also the order they were spent in. */
  codes: string[];
}

async function codedRound(): Promise<Round> {
  const t = await makeApp();
  await openSurvey(t, survey());
  const made = await t.app.inject({ method: 'POST', url: `/api/surveys/${SLUG}/invites`, headers: t.as('staff'), payload: { count: ISSUED } });
  const codes = (made.json() as { codes: string[] }).codes;
  // Submission i (1-based) uses the i-th code made: staff hand codes out in the order they are listed.
  for (let i = 1; i <= N; i++) {
    const res = await submit(t, SLUG, {
      answers: { region: ['africa', 'americas', 'asia'][i % 3], speak_freely: 1 + (i % 5), activities: ['calls'], usefulness: i % 11, suggestions: `Comment number ${i}.`, seq: i },
      inviteCode: codes[i - 1],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const surveyId = t.db.sqlite.prepare('select id from surveys where slug = ?').pluck().get(SLUG) as number;
  return { t, surveyId, codes };
}

/** Every value of every row of these tables, as strings. */
const valuesOf = (t: TestApp, tables: readonly string[]) => tables.flatMap((table) => tableRows(t, table).flatMap((row) => Object.values(row).map(String)));

describe('after 50 coded submissions', () => {
  it('the invites table holds the survey, a hash and a spent flag: no time, no order, no rowid', async () => {
    const { t } = await codedRound();
    const columns = t.db.sqlite.prepare("select name, type, dflt_value from pragma_table_info('invites')").all() as { name: string; type: string; dflt_value: string | null }[];
    expect(columns.map((c) => c.name).sort()).toEqual(['code_hash', 'spent', 'survey_id']);
    for (const c of columns) expect(`${c.dflt_value}`).not.toMatch(/time|date|now|random/i);
    const sql = t.db.sqlite.prepare("select sql from sqlite_master where type = 'table' and name = 'invites'").pluck().get() as string;
    expect(sql).toMatch(/WITHOUT ROWID/i);
    expect(() => t.db.sqlite.prepare('select rowid from invites').all()).toThrow(/no such column/);
    // No trigger or other table keeps a trace of spending.
    const triggers = t.db.sqlite.prepare("select name from sqlite_master where type = 'trigger'").pluck().all();
    expect(triggers).toEqual([]);
    const rows = tableRows(t, 'invites');
    expect(rows).toHaveLength(ISSUED);
    expect(new Set(rows.map((r) => r.spent))).toEqual(new Set([0, 1]));
    expect(rows.filter((r) => r.spent === 1)).toHaveLength(N);
  });

  it('shares no value with the responses, answers and comments, and no table but invites holds a code hash', async () => {
    const { t, surveyId, codes } = await codedRound();
    const invites = tableRows(t, 'invites');
    const hashes = invites.map((r) => String(r.code_hash));
    expect(new Set(hashes)).toEqual(new Set(codes.map((c) => hashCode(surveyId, c))));

    const answerValues = valuesOf(t, ANSWER_TABLES);
    expect(answerValues.length).toBeGreaterThan(N * 5);
    // Neither side holds the other's values, whole or in part (16 characters of a hash are 64 bits).
    for (const h of hashes) {
      for (const v of answerValues) {
        expect(v === h || v.includes(h.slice(0, 16)) || v.includes(h.slice(-16)), `a code hash in ${v}`).toBe(false);
      }
    }
    const ids = [...tableRows(t, 'responses').map((r) => String(r.id)), ...tableRows(t, 'comments').map((r) => String(r.id))];
    for (const row of invites) for (const v of Object.values(row).map(String)) for (const id of ids) expect(v.includes(id)).toBe(false);
    // What invites and the answer tables have in common is only the survey id and a 0/1 flag.
    const inviteValues = new Set(invites.flatMap((r) => Object.values(r).map(String)));
    const shared = [...new Set(answerValues)].filter((v) => inviteValues.has(v)).sort();
    expect(shared.every((v) => v === String(surveyId) || v === '0' || v === '1'), shared.join(', ')).toBe(true);

    // No other table anywhere holds a hash or a code.
    const others = (t.db.sqlite.prepare("select name from sqlite_master where type = 'table' and name not in ('invites') and name not like 'sqlite_%'").pluck().all() as string[]).filter(
      (name) => name !== '__drizzle_migrations',
    );
    const everything = valuesOf(t, others).join('\n');
    for (const h of hashes) expect(everything.includes(h.slice(0, 16))).toBe(false);
    for (const c of codes) for (const s of spellings(c)) expect(everything.includes(s)).toBe(false);
  });

  it('keeps no code in the database files, live or checkpointed', async () => {
    const { t, codes } = await codedRound();
    for (const when of ['live', 'checkpointed']) {
      if (when === 'checkpointed') t.db.checkpoint();
      const bytes = databaseBytes(t.config.databasePath);
      for (const c of codes) for (const s of spellings(c)) expect(bytes.includes(s), `${when}: ${s}`).toBe(false);
    }
  });

  it('the storage order of spent codes tells nothing about the order of responses, nor where they are stored', async () => {
    const { t, surveyId, codes } = await codedRound();
    const spentOrderOfHash = new Map(codes.slice(0, N).map((c, i) => [hashCode(surveyId, c), i + 1]));

    // A plain scan of invites, in storage order: where each spent code sits.
    const scan = tableRows(t, 'invites').filter((r) => r.spent === 1);
    expect(scan).toHaveLength(N);
    const scanPosition = new Map(scan.map((r, i) => [String(r.code_hash), i + 1]));
    const spendOrder = scan.map((r) => spentOrderOfHash.get(String(r.code_hash))!);
    expect(new Set(spendOrder).size).toBe(N);
    const rhoSpend = spearman(spendOrder, scan.map((_, i) => i + 1));
    expect(Math.abs(rhoSpend), `ρ(order spent, invites scan) = ${rhoSpend}`).toBeLessThan(NEAR_ZERO);
    // Why: the rows are kept in the order of their hash (the key), which is random.
    const byHash = [...scan].map((r) => String(r.code_hash)).sort();
    expect(scan.map((r) => String(r.code_hash))).toEqual(byHash);

    // Where each response is stored (a plain scan of responses), and which submission it was.
    const seqOf = new Map(
      (t.db.sqlite.prepare("select response_id, value from answers where question_id = 'seq'").all() as { response_id: string; value: string }[]).map((r) => [r.response_id, Number(r.value)]),
    );
    const responseScan = tableRows(t, 'responses').map((r) => seqOf.get(String(r.id))!);
    expect(new Set(responseScan).size).toBe(N);
    const responsePosition = new Map(responseScan.map((seq, i) => [seq, i + 1]));
    const rhoResponses = spearman(responseScan, responseScan.map((_, i) => i + 1));
    expect(Math.abs(rhoResponses), `ρ(order submitted, responses scan) = ${rhoResponses}`).toBeLessThan(NEAR_ZERO);

    // Code i's place among the invites against response i's place among the responses.
    const seqs = Array.from({ length: N }, (_, i) => i + 1);
    const codePlaces = seqs.map((i) => scanPosition.get(hashCode(surveyId, codes[i - 1]!))!);
    const responsePlaces = seqs.map((i) => responsePosition.get(i)!);
    const rhoBoth = spearman(codePlaces, responsePlaces);
    expect(Math.abs(rhoBoth), `ρ(invites scan, responses scan) = ${rhoBoth}`).toBeLessThan(NEAR_ZERO);
  });

  it('the same measure does catch a table that keeps order (the check is live)', async () => {
    const { t, surveyId, codes } = await codedRound();
    t.db.sqlite.exec('create table leaky_invites (code_hash text not null, spent integer not null default 0)');
    const insert = t.db.sqlite.prepare('insert into leaky_invites (code_hash) values (?)');
    for (const c of codes) insert.run(hashCode(surveyId, c));
    const scan = t.db.sqlite.prepare('select code_hash from leaky_invites not indexed').pluck().all() as string[];
    const order = scan.map((h) => codes.findIndex((c) => hashCode(surveyId, c) === h) + 1);
    expect(spearman(order, order.map((_, i) => i + 1))).toBeGreaterThan(0.99);
  });

  it('staff learn how many codes are spent, never which', async () => {
    const { t, surveyId, codes } = await codedRound();
    const list = await t.app.inject({ method: 'GET', url: '/api/surveys', headers: t.as('staff') });
    const item = (list.json() as Record<string, unknown>[]).find((s) => s.slug === SLUG)!;
    expect(item).toMatchObject({ responses: N, codesSpent: N, codesIssued: ISSUED });
    expect(Object.keys(item).sort()).toEqual(['access', 'closesAt', 'codesIssued', 'codesSpent', 'purged', 'responses', 'slug', 'status', 'title']);

    // Close and release, so that every staff-visible page has something to show.
    await t.app.inject({ method: 'PATCH', url: `/api/surveys/${SLUG}`, headers: t.as('staff'), payload: { status: 'closed' } });
    const b = await signIn(t, 'staff', { lang: 'fr' });
    const seen: string[] = [list.body];
    for (const url of [`/api/surveys/${SLUG}`, `/api/surveys/${SLUG}/results`, `/api/surveys/${SLUG}/results.csv?lang=fr`, '/docs/json']) {
      seen.push((await t.app.inject({ method: 'GET', url, headers: t.as('admin') })).body);
    }
    for (const url of ['/staff?lang=fr', `/staff/surveys/${SLUG}?lang=fr`, `/staff/surveys/${SLUG}/invites?lang=fr`, `/s/${SLUG}/results?lang=fr`, `/wg/${SLUG}/brief?lang=fr`]) {
      seen.push((await b.get(url)).body);
    }
    const surveyPage = seen[seen.length - 4]!;
    expect(surveyPage).toContain('50 sur 60');
    const all = seen.join('\n');
    for (const c of codes) for (const s of spellings(c)) expect(all.includes(s)).toBe(false);
    for (const c of codes) expect(all.includes(hashCode(surveyId, c).slice(0, 16))).toBe(false);
  });
});
