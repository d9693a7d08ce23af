/**
 * Browser-test support: a real listening Candor on a temporary SQLite file, Debian's Chromium
 * through playwright-core, and axe-core (WCAG 2.1 AA). One server and one browser per test file:
 * call `useCandor()` at the top of a file; it registers its own beforeAll/afterAll.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { SurveyDefinition } from '../../src/surveys/definition.js';
import { sampleSurvey } from '../helpers.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless Chromium that reaches nothing but 127.0.0.1. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

const L = (en: string, es: string, fr: string) => ({ en, es, fr });

/**
 * The sample survey of the unit tests, plus a rating too wide for radio buttons (a number field),
 * so that an out-of-range value can be typed in the browser.
 */
export function e2eSurvey(slug: string): SurveyDefinition {
  const base = sampleSurvey({ slug });
  return {
    ...base,
    questions: [
      ...base.questions,
      {
        id: 'hours',
        type: 'rating',
        min: 0,
        max: 40,
        prompt: L(
          'How many hours a month do you spend on programme activities?',
          '¿Cuántas horas al mes dedica a las actividades del programa?',
          "Combien d'heures par mois consacrez-vous aux activités du programme ?",
        ),
      },
    ],
  };
}

export interface Candor {
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  browser: Browser;
  staffToken: string;
  /** Creates and opens a survey through the JSON API, as staff; answers its slug. */
  openSurvey(definition: SurveyDefinition): Promise<string>;
  /** The live response count of a survey, as staff see it through `GET /api/surveys`. */
  responseCount(slug: string): Promise<number>;
  /** Rows in the `responses` table for this survey, read straight from the database. */
  storedResponses(slug: string): number;
  /** A fresh browser context (closed with the file) with its pages' console errors collected. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Console errors and CSP violations seen by pages of contexts made with newContext(). */
  consoleErrors: string[];
}

/** A port nothing listens on now (the system's choice for a moment). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Candor and Chromium before the file's tests and stops both after them. After each test,
 * a CSP violation, a page error or a missing asset seen by any page fails it.
 */
export function useCandor(): Candor {
  const state = { consoleErrors: [] as string[] } as Candor;
  let dir = '';
  const contexts: BrowserContext[] = [];

  afterEach(() => {
    expect(state.consoleErrors.splice(0)).toEqual([]);
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-e2e-'));
    // A free port, known before the app is built: PUBLIC_URL (the links and addresses pages
    // show) defaults to http://HOST:PORT.
    const port = await freePort();
    // Through the real configuration parser, so that new settings get their defaults.
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'candor.db'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      AGGREGATE_INTERVAL_SECONDS: '0',
      RATE_LIMIT_PER_MINUTE: '10000',
      SESSION_SECRET: 'an-e2e-secret-that-is-long-enough-for-cookies-0123456789',
    });
    const app = await buildApp(config);
    await app.listen({ port, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
    state.app = app;
    state.baseUrl = `http://127.0.0.1:${address.port}`;
    state.staffToken = app.tokens.create('staff', 'e2e');

    // launch() gives every browser a fresh temporary profile (--user-data-dir) and deletes it on close.
    state.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await state.browser?.close();
    await state.app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${state.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${state.staffToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as unknown };
  };

  state.openSurvey = async (definition) => {
    const created = await api('POST', '/api/surveys', definition);
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
    const opened = await api('PATCH', `/api/surveys/${definition.slug}`, { status: 'open' });
    if (opened.status !== 200) throw new Error(`open failed: ${opened.status} ${opened.text}`);
    return definition.slug;
  };

  state.responseCount = async (slug) => {
    const list = await api('GET', '/api/surveys');
    if (list.status !== 200) throw new Error(`list failed: ${list.status} ${list.text}`);
    const item = (list.json() as { slug: string; responses: number }[]).find((s) => s.slug === slug);
    if (!item) throw new Error(`survey ${slug} not listed`);
    return item.responses;
  };

  state.storedResponses = (slug) => {
    const row = state.app.db.sqlite
      .prepare('select count(*) as n from responses r join surveys s on s.id = r.survey_id where s.slug = ?')
      .get(slug) as { n: number };
    return row.n;
  };

  state.newContext = async (options = {}) => {
    const context = await state.browser.newContext({ baseURL: state.baseUrl, ...options });
    contexts.push(context);
    context.on('page', (page) => watchConsole(page, state.consoleErrors));
    return context;
  };

  return state;
}

/**
 * Collects what a page should never show: console errors (CSP violations among them), uncaught
 * errors, and failed or error-status subresources. A page's own 4xx status is deliberate (the
 * form with its errors answers 400). Chromium's own request for /favicon.ico is watched too: Candor
 * serves its icon there.
 */
function watchConsole(page: Page, sink: string[]) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Reported with its URL by the 'response' listener below, or deliberate.
    if (msg.text().startsWith('Failed to load resource')) return;
    sink.push(`${page.url()}: console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => sink.push(`${page.url()}: page error: ${err.message}`));
  page.on('response', (res) => {
    const request = res.request();
    if (res.status() >= 400 && request.resourceType() !== 'document') {
      sink.push(`${page.url()}: ${request.resourceType()} ${res.url()} answered ${res.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // The icon is fetched after the page has loaded: leaving the page at once cancels it. A
    // cancelled icon is no failure (a 404 still is, above).
    if (request.failure()?.errorText === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/assets/favicon.svg') return;
    sink.push(`${page.url()}: ${request.resourceType()} ${request.url()} failed: ${request.failure()?.errorText ?? '?'}`);
  });
}

// ---------------------------------------------------------------------------------------------
// axe-core

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** WCAG 2.2 AA: 2.1 AA and what 2.2 adds (target size among it). */
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** Rules outside WCAG that Candor's pages keep too. */
export const BEST_PRACTICES = ['landmark-unique', 'landmark-one-main', 'page-has-heading-one', 'heading-order'];

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Runs axe on the page as it is (injected through the DevTools protocol, which the page's strict
 * CSP does not apply to) and answers its violations, each printed with its targets.
 */
/** Checks a page with axe and fails with the list of violations, if any. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page, label);
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`), label).toEqual([]);
}

export async function axeViolations(page: Page, label: string, { quiet = false } = {}): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof globalThis.axe');
  if (loaded !== 'object') await page.evaluate(AXE_SOURCE);
  const run = async (runOnly: { type: 'tag' | 'rule'; values: string[] }) =>
    (await page.evaluate(
      `globalThis.axe.run(document, ${JSON.stringify({ runOnly, resultTypes: ['violations'] })}).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) })))`,
    )) as AxeViolation[];
  // WCAG 2.2 AA, and the best practices a screen-reader user meets first: every landmark named for itself.
  const violations = [...(await run({ type: 'tag', values: WCAG_AA })), ...(await run({ type: 'rule', values: BEST_PRACTICES }))];
  if (violations.length > 0 && !quiet) console.error(formatViolations(label, violations));
  return violations;
}

export function formatViolations(label: string, violations: AxeViolation[]): string {
  const lines = [`axe: ${violations.length} violation(s) on ${label}`];
  for (const v of violations) {
    lines.push(`- ${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) {
      lines.push(`    target: ${JSON.stringify(n.target)}`);
      lines.push(`    html:   ${n.html.slice(0, 200)}`);
      if (n.failureSummary) lines.push(`    ${n.failureSummary.replaceAll('\n', '\n    ')}`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Keyboard helpers

/** A short description of the focused element: tag, type, id or name, value; "" when nothing is focused. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    const parts = [el.tagName.toLowerCase()];
    if (el.getAttribute('type')) parts.push('[type=' + el.getAttribute('type') + ']');
    if (el.id) parts.push('#' + el.id);
    else if (el.getAttribute('href')) parts.push('[href=' + el.getAttribute('href') + ']');
    return parts.join('');
  })()`);
}

/** Whether the element matching `selector` has focus. */
export async function hasFocus(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(`document.activeElement !== null && document.activeElement === document.querySelector(${JSON.stringify(selector)})`);
}

/** Whether the focused element shows a focus indicator (an outline or a box shadow). */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const s = getComputedStyle(el);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  })()`);
}

/**
 * Presses Tab until the element matching `selector` has focus, checking that every stop shows a
 * visible focus indicator, wrapping from the page's end to its start as a browser does; answers
 * the stops passed through. Fails after `max` presses.
 */
export async function tabTo(page: Page, selector: string, max = 40): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await focused(page);
    stops.push(here);
    // Past the last field, focus leaves the page for a moment before Tab wraps to its start.
    if (here === '') continue;
    if (!(await focusIsVisible(page))) throw new Error(`no visible focus indicator on ${here}`);
    if (await hasFocus(page, selector)) return stops;
  }
  throw new Error(`${selector} not reached after ${max} presses of Tab; stops: ${stops.join(' → ')}`);
}
