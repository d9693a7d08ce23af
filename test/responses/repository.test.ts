import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { hashCode } from '../../src/invites/codes.js';
import { createInviteRepository } from '../../src/invites/repository.js';
import { createResponseRepository } from '../../src/responses/repository.js';
import { createSurveyRepository } from '../../src/surveys/repository.js';
import { makeApp, openSurvey, sampleSurvey, tableCounts, type TestApp } from '../helpers.js';
import { until } from '../wait.js';
import { CandorError, type ErrorCode } from '../../src/errors.js';
import { statusOf } from '../../src/web/errors.js';

/** A refusal with this code, answered over HTTP with this status. */
function expectRefusal(err: unknown, code: ErrorCode, status: number) {
  expect(err).toBeInstanceOf(CandorError);
  expect(err).toMatchObject({ code });
  expect(statusOf(err as CandorError)).toBe(status);
}

const SLUG = 'learning-lab-2026';
const response = (value = '3') => ({ answers: [{ questionId: 'speak_freely', value }], texts: [], cohort: '' });

for (const engine of ['writer thread', 'calling thread'] as const) {
  describe(`group commit (${engine})`, () => {
    const repository = (t: TestApp) => createResponseRepository(t.db, engine === 'writer thread' ? { thread: { databasePath: t.config.databasePath } } : {});

    it('answers each response only once it is committed, and commits those that arrive together at once', async () => {
      const t = await makeApp();
      await openSurvey(t);
      const survey = createSurveyRepository(t.db).findBySlug(SLUG)!;
      const repo = repository(t);
      const reader = new Database(t.config.databasePath, { readonly: true });
      const committed = reader.prepare('select count(*) from responses').pluck();
      // Each store() resolves only when its response is visible to any other connection.
      const seenWhenAnswered: number[] = [];
      await Promise.all(Array.from({ length: 30 }, () => repo.store(survey.id, response(), []).then(() => seenWhenAnswered.push(committed.get() as number))));
      expect(seenWhenAnswered.every((n) => n >= 1)).toBe(true);
      expect(committed.get()).toBe(30);
      // Thirty arrivals in one turn of the event loop: far fewer commits than responses. Each
      // commit is seen by the reader as one jump, so the count went up in few distinct steps.
      expect(new Set(seenWhenAnswered).size).toBeLessThan(30);
      await repo.close();
      reader.close();
    });

    it('spends a code in the same savepoint as its response: once only, and a refused one undoes only its own response', async () => {
      const t = await makeApp();
      await openSurvey(t, sampleSurvey({ access: 'invite' }));
      const survey = createSurveyRepository(t.db).findBySlug(SLUG)!;
      const [code] = createInviteRepository(t.db).generate(survey.id, 1);
      const repo = repository(t);
      const outcomes = await Promise.allSettled([
        repo.store(survey.id, response('4'), [{ questionId: 'suggestions', text: 'first' }], hashCode(survey.id, code!)),
        repo.store(survey.id, response('4'), [{ questionId: 'suggestions', text: 'second' }], hashCode(survey.id, code!)),
        repo.store(survey.id, response('4'), [{ questionId: 'suggestions', text: 'third' }], hashCode(survey.id, 'NOT-A-CODE')),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
      expectRefusal((outcomes[1] as PromiseRejectedResult).reason, 'invite_code_used', 409);
      expectRefusal((outcomes[2] as PromiseRejectedResult).reason, 'invite_code_invalid', 403);
      expect(tableCounts(t)).toEqual({ responses: 1, answers: 1, comments: 1 });
      expect(t.db.sqlite.prepare('select text from comments').pluck().all()).toEqual(['first']);
      await repo.close();
    });

    it('refuses, under the write lock, a response whose survey closed after it was validated: no final release can miss an acknowledged response', async () => {
      const t = await makeApp();
      await openSurvey(t);
      const survey = createSurveyRepository(t.db).findBySlug(SLUG)!;
      const repo = repository(t);
      // Validated while open; the survey closes (and is released) before the write.
      const late = repo.store(survey.id, response(), []);
      t.db.sqlite.prepare("update surveys set status = 'closed' where id = ?").run(survey.id);
      expectRefusal(await late.then(() => undefined, (err: unknown) => err), 'survey_not_open', 404);
      // Likewise once its closesAt has passed, even before the job marks it closed.
      t.db.sqlite.prepare("update surveys set status = 'open', closes_at = '2020-01-01T00:00:00Z' where id = ?").run(survey.id);
      expectRefusal(await repo.store(survey.id, response(), []).then(() => undefined, (err: unknown) => err), 'survey_not_open', 404);
      expect(tableCounts(t).responses).toBe(0);
      await repo.close();
    });

    it('rolls the code back when its response cannot be stored, and says so', async () => {
      const t = await makeApp();
      await openSurvey(t, sampleSurvey({ access: 'invite' }));
      const survey = createSurveyRepository(t.db).findBySlug(SLUG)!;
      const [code] = createInviteRepository(t.db).generate(survey.id, 1);
      // A trigger that refuses the answers after the code was spent, in the same savepoint.
      t.db.sqlite.exec("create trigger refuse before insert on answers begin select raise(abort, 'refused by the test'); end");
      const repo = repository(t);
      await expect(repo.store(survey.id, response(), [], hashCode(survey.id, code!))).rejects.toThrow(/refused by the test/);
      expect(t.db.sqlite.prepare('select count(*) from invites where spent = 1').pluck().get()).toBe(0);
      expect(tableCounts(t)).toEqual({ responses: 0, answers: 0, comments: 0 });
      await repo.close();
    });
  });
}

describe('the writer thread', () => {
  it('writes everything it accepted before it stops', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const survey = createSurveyRepository(t.db).findBySlug(SLUG)!;
    const repo = createResponseRepository(t.db, { thread: { databasePath: t.config.databasePath } });
    const stored = Array.from({ length: 50 }, () => repo.store(survey.id, response(), []));
    await repo.close();
    await Promise.all(stored);
    const check = openDatabase(t.config.databasePath, { migrate: false });
    expect(check.sqlite.prepare('select count(*) from responses').pluck().get()).toBe(50);
    check.close();
  });
});

describe('closing the app', () => {
  it('answers and keeps every response already received: requests in flight finish, the writer thread drains, then the database closes', async () => {
    const t = await makeApp();
    await openSurvey(t);
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const post = () =>
      fetch(`${base}/api/surveys/${SLUG}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ answers: { speak_freely: 4 } }) }).then(
        (r) => r.status,
        () => 0,
      );
    expect(await post()).toBe(201); // the writer thread is up
    // The test's connection holds the write lock: the responses accepted from now on wait in the
    // writer thread for their commit, in flight for as long as the test needs, however fast the machine.
    t.db.sqlite.exec('begin immediate');
    let received = 0;
    let closing: Promise<void> | undefined;
    /** Responses answered 201 after the close began: they were in flight, and were kept. */
    let keptInFlight = 0;
    t.app.server.on('request', (_req, res) => {
      res.once('finish', () => closing && res.statusCode === 201 && keptInFlight++);
      // Close (as on SIGTERM) while those are being handled: once ten have arrived, the first of them waiting for their commit.
      if (++received === 10) closing = t.app.close();
    });
    const replies = Array.from({ length: 40 }, post);
    // Once the server has stopped listening it is closing: let the writer commit what it holds.
    await until('ten requests received, and the server closing', () => closing && !t.app.server.listening);
    t.db.sqlite.exec('commit');
    // close() must not hang on keep-alive sockets.
    await closing;
    const statuses = [201, ...(await Promise.all(replies))];
    const check = openDatabase(t.config.databasePath, { migrate: false });
    const stored = check.sqlite.prepare('select count(*) from responses').pluck().get();
    check.close();
    // Every 201 a partner received is in the file; nothing was acknowledged and then lost.
    const acknowledged = statuses.filter((s) => s === 201).length;
    expect(acknowledged).toBeGreaterThan(0);
    expect(stored).toBe(acknowledged);
    // Requests really were in flight when the app closed: answered (and stored) after it began.
    expect(keptInFlight).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 201 && s !== 0 && s !== 503)).toEqual([]);
  });
});
