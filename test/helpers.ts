/** Test helpers: a fresh app on a fresh SQLite file (real migrations) per test, closed when it ends. */
import { typesetFrench } from '../src/web/typography.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { buildApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/client.js';
import type { Role } from '../src/access/tokens.js';
import type { SurveyDefinition } from '../src/surveys/definition.js';

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'candor-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    host: '127.0.0.1',
    port: 0,
    databasePath: join(tempDir(), 'candor.db'),
    minGroupSize: 5,
    minDiversity: 1,
    aggregateIntervalSeconds: 0,
    rateLimitPerMinute: 10_000,
    scrubTerms: [],
    logLevel: 'silent',
    trustProxy: false,
    publicUrl: 'http://candor.test',
    sessionSecret: 'a-test-secret-that-is-long-enough-for-cookies-0123456789',
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  logs: string[];
  token(role: Role): string;
  /** Headers for a request with a token of this role. */
  as(role: Role): { authorization: string };
}

export interface MakeAppOptions {
  /** The release job's clock (buildApp's `now`): lets a test move past a survey's closesAt. */
  now?: () => Date;
  /** Make releases in the job thread, as the server does (default: in the test's own thread, which starts faster). */
  jobThread?: boolean;
  /** Store responses in the test's own thread (false) rather than the writer thread, which takes most of a second to start. */
  writerThread?: boolean;
}

export async function makeApp(overrides: Partial<Config> = {}, options: MakeAppOptions = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const db = openDatabase(config.databasePath);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const app = await buildApp(config, { db, logStream, jobThread: options.jobThread === true, ...(options.writerThread === false ? { writerThread: false } : {}), ...(options.now ? { now: options.now } : {}) });
  onTestFinished(() => app.close());
  const tokens = new Map<Role, string>();
  const token = (role: Role) => {
    let t = tokens.get(role);
    if (!t) {
      t = app.tokens.create(role, `${role}-${tokens.size}`);
      tokens.set(role, t);
    }
    return t;
  };
  return { app, db, config, logs, token, as: (role) => ({ authorization: `Bearer ${token(role)}` }) };
}

export const L = (en: string, es: string, fr: string) => ({ en, es, fr });

/** A small survey with every question type and one grouping question. */
export function sampleSurvey(overrides: Partial<SurveyDefinition> = {}): SurveyDefinition {
  return {
    slug: 'learning-lab-2026',
    title: L('Learning lab 2026', 'Laboratorio de aprendizaje 2026', "Laboratoire d'apprentissage 2026"),
    description: L('How is the programme working for you?', '¿Cómo le está funcionando el programa?', 'Comment le programme fonctionne-t-il pour vous ?'),
    questions: [
      {
        id: 'region',
        type: 'single_choice',
        grouping: true,
        prompt: L('Where do you work?', '¿Dónde trabaja?', 'Où travaillez-vous ?'),
        options: [
          { value: 'africa', label: L('Africa', 'África', 'Afrique') },
          { value: 'americas', label: L('Americas', 'Américas', 'Amériques') },
          { value: 'asia', label: L('Asia', 'Asia', 'Asie') },
        ],
      },
      { id: 'speak_freely', type: 'likert', required: true, prompt: L('I can speak freely.', 'Puedo hablar libremente.', 'Je peux parler librement.') },
      {
        id: 'activities',
        type: 'multi_choice',
        prompt: L('Which activities helped?', '¿Qué actividades le ayudaron?', 'Quelles activités vous ont aidé ?'),
        options: [
          { value: 'calls', label: L('Calls', 'Llamadas', 'Appels') },
          { value: 'mentoring', label: L('Mentoring', 'Mentoría', 'Mentorat') },
          { value: 'visits', label: L('Visits', 'Visitas', 'Visites') },
        ],
      },
      { id: 'usefulness', type: 'rating', min: 0, max: 10, prompt: L('How useful?', '¿Qué tan útil?', 'Quelle utilité ?') },
      { id: 'suggestions', type: 'text', maxLength: 2000, prompt: L('What should change?', '¿Qué debería cambiar?', 'Que faudrait-il changer ?') },
    ],
    ...overrides,
  };
}

/** A complete, valid set of answers to sampleSurvey(). */
export function sampleAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { region: 'americas', speak_freely: 4, activities: ['calls', 'visits'], usefulness: 8, suggestions: 'More time for peer exchange.', ...overrides };
}

/** Creates a survey (a draft) through the API, as staff. */
export async function createSurvey(t: TestApp, definition: SurveyDefinition = sampleSurvey()): Promise<void> {
  const created = await t.app.inject({ method: 'POST', url: '/api/surveys', headers: t.as('staff'), payload: definition });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.statusCode} ${created.body}`);
}

/** Creates and opens a survey through the API, as staff. */
export async function openSurvey(t: TestApp, definition: SurveyDefinition = sampleSurvey()): Promise<void> {
  await createSurvey(t, definition);
  const opened = await t.app.inject({ method: 'PATCH', url: `/api/surveys/${definition.slug}`, headers: t.as('staff'), payload: { status: 'open' } });
  if (opened.statusCode !== 200) throw new Error(`open failed: ${opened.statusCode} ${opened.body}`);
}

/**
 * Closes a survey through the API, as staff, and waits for its final release: closing answers at
 * once and the release follows in the background. The job takes its calls one at a time, so this
 * second call resolves after the background one (answering already_final once it is stored).
 */
export async function closeSurvey(t: TestApp, slug: string) {
  const closed = await t.app.inject({ method: 'PATCH', url: `/api/surveys/${slug}`, headers: t.as('staff'), payload: { status: 'closed' } });
  if (closed.statusCode !== 200) throw new Error(`close failed: ${closed.statusCode} ${closed.body}`);
  return t.app.releases.release({ slug });
}

/** Generates invitation codes for an invite-only survey through the API, as staff. */
export async function inviteCodes(t: TestApp, slug: string, count: number): Promise<string[]> {
  const res = await t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/invites`, headers: t.as('staff'), payload: { count } });
  if (res.statusCode !== 201) throw new Error(`invites failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { codes: string[] }).codes;
}

export async function submit(t: TestApp, slug: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/surveys/${slug}/responses`, payload: body, headers });
}

/** Form fields as a browser sends them: a repeated name for each checked box; undefined ones are left out. */
export type FormFields = Record<string, string | string[] | undefined>;

export function formBody(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return params.toString();
}

/** POSTs the partner form (application/x-www-form-urlencoded). */
export async function postForm(t: TestApp, url: string, fields: FormFields, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url,
    payload: formBody(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** The tables that hold partners' answers. */
export const ANSWER_TABLES = ['responses', 'answers', 'comments'] as const;

/** How many rows each answer table holds. */
export function tableCounts(t: TestApp): Record<(typeof ANSWER_TABLES)[number], number> {
  const count = (table: string) => t.db.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
  return { responses: count('responses'), answers: count('answers'), comments: count('comments') };
}

/** Every row of a table, in storage order (a plain scan of the table itself, no index). */
export function tableRows(t: TestApp, table: string): Record<string, unknown>[] {
  return t.db.sqlite.prepare(`select * from ${table} not indexed`).all() as Record<string, unknown>[];
}

/** A survey's text as a page in that language shows it: French pages are typeset (web/typography.ts). */
export function shown(text: string, locale: string): string {
  return locale === 'fr' ? typesetFrench(text) : text;
}
