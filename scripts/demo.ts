/**
 * npm run demo — Candor on a temporary database: a trilingual survey already answered, closed,
 * released (with some figures suppressed, to show how that looks) and reviewed, with what the funder
 * will do about it; its next round, released too and compared with it; the round after, open, which
 * tells partners what happened since; a second survey open for answers; and tokens for staff and
 * the Working Group. Everything is deleted on exit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { SurveyRecord } from '../src/surveys/repository.js';
import { fail, parseCommandLine, progress } from './cli.js';
import { seededRandom } from './seeded-random.js';

const HELP = `
Start Candor on a temporary database filled with a sample round, and print where to look.

Usage:
  npm run demo [-- --port <n>] [--responses <n>]

Options:
  --port <n>        port to listen on (default: PORT, else 3000)
  --responses <n>   synthetic responses to the released survey (default 40)
  -h, --help        show this help

The database lives in a temporary folder and is deleted when you stop the demo (Ctrl+C).
`;

const { values } = parseCommandLine(HELP, { port: { type: 'string' }, responses: { type: 'string' } });
const count = Number(values.responses ?? 40);
if (!Number.isInteger(count) || count < 0 || count > 100_000) fail('--responses must be a whole number from 0 to 100000', 2);

const dir = mkdtempSync(join(tmpdir(), 'candor-demo-'));
let config;
try {
  config = loadConfig({
    ...process.env,
    DATABASE_PATH: join(dir, 'candor.db'),
    ...(values.port ? { PORT: values.port } : {}),
    // The demo submits its synthetic responses through the real service, from one address.
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '600',
    // Request lines would bury the summary below; LOG_LEVEL=info shows them.
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
} catch (err) {
  rmSync(dir, { recursive: true, force: true });
  fail((err as Error).message);
}

const sample = (name: string) => JSON.parse(readFileSync(new URL(`./samples/${name}`, import.meta.url), 'utf8')) as unknown;


/** What partners wrote: some with an e-mail, a link or a phone number, which the scrubber replaces. */
const TO_CHANGE = [
  'Please give us more time between the call for proposals and the deadline: our teams are small.',
  'Más tiempo entre la convocatoria y el plazo de entrega, por favor: somos un equipo pequeño.',
  "Le rythme des activités est trop soutenu pour une petite organisation comme la nôtre.",
  'Reports in English only are a burden for us. Could we report in Spanish or French?',
  'Los documentos llegan casi siempre en inglés y la traducción llega tarde.',
  "Nous aimerions pouvoir rédiger nos rapports en français sans devoir les faire traduire nous-mêmes.",
  'We would like to decide the agenda of the convenings together with the programme team.',
  'Queremos participar en la definición de las prioridades del programa, no solo en su evaluación.',
  "Il faudrait associer les partenaires au choix des thèmes des webinaires.",
  'The calls are often at impossible hours for West Africa; please rotate the time slots.',
  'Plus de visites de terrain entre organisations de la même région, voir www.example.org/visites.',
  'Contact me at amina.diallo@example.org if you want details about our experience.',
];
const FOR_THE_WORKING_GROUP = [
  'The peer exchanges were the most useful part of the year. More of them, and in smaller groups.',
  'Los intercambios entre pares fueron lo mejor del año. Nos gustaría que hubiera más.',
  "Les échanges entre partenaires ont été très riches : merci au groupe de travail.",
  'Llámenme al +52 55 1234 5678 si quieren conversar sobre esto.',
];

function syntheticAnswers(survey: SurveyRecord, rnd: () => number, index: number): Record<string, unknown> {
  const pick = <T,>(items: readonly T[], weights?: readonly number[]): T => {
    const w = weights ?? items.map(() => 1);
    let r = rnd() * w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i++) if ((r -= w[i]!) < 0) return items[i]!;
    return items[items.length - 1]!;
  };
  const answers: Record<string, unknown> = {};
  for (const q of survey.definition.questions) {
    if (!q.required && rnd() < 0.08) continue; // some partners skip some questions
    switch (q.type) {
      case 'single_choice':
        answers[q.id] = pick([...q.options.map((o) => o.value), ...(q.grouping ? ['prefer_not_to_say'] : [])], q.grouping ? [6, 5, 1.2, 0.8].slice(0, q.options.length + 1) : undefined);
        break;
      case 'multi_choice':
        answers[q.id] = q.options.map((o) => o.value).filter(() => rnd() < 0.45);
        break;
      case 'likert':
        answers[q.id] = pick([1, 2, 3, 4, 5], q.id === 'speak_freely' ? [2, 4, 5, 5, 2] : [1, 2, 4, 6, 4]);
        break;
      case 'rating':
        answers[q.id] = Math.min(q.max, Math.max(q.min, Math.round(q.min + (q.max - q.min) * (0.55 + 0.35 * (rnd() - 0.4)))));
        break;
      case 'text': {
        const pool = q.id === 'what_to_change' ? TO_CHANGE : FOR_THE_WORKING_GROUP;
        if (index < pool.length) answers[q.id] = pool[index];
        break;
      }
    }
  }
  return answers;
}

const app = await buildApp(config);

/**
 * The Working Group's part, through the same API its pages use: four themes, each naming the
 * questions whose figures the brief sets beside it, every comment
 * decided (one hidden, one redacted), a few translated and shared with partners, then published.
 */
async function reviewAsWorkingGroup(slug: string, token: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body) as unknown;
  };
  const themes = [
    { label: { en: 'Time and pace', es: 'Tiempos y ritmo', fr: 'Temps et rythme' }, keywords: { en: ['deadline', 'time', 'hours'], es: ['plazo', 'tiempo'], fr: ['rythme', 'délai'] }, questions: ['own_pace'] },
    { label: { en: 'Language', es: 'Idioma', fr: 'Langue' }, keywords: { en: ['English', 'Spanish', 'French'], es: ['inglés', 'traducción'], fr: ['français', 'traduire'] }, questions: ['language_respected'] },
    { label: { en: 'Partners set the agenda', es: 'Las organizaciones socias definen la agenda', fr: 'Les partenaires fixent les priorités' }, keywords: { en: ['agenda', 'decide'], es: ['prioridades', 'definición'], fr: ['associer', 'choix'] }, questions: ['speak_freely', 'responsive'] },
    { label: { en: 'Learning from peers', es: 'Aprender entre pares', fr: 'Apprendre entre pairs' }, keywords: { en: ['peer', 'exchanges'], es: ['intercambios', 'pares'], fr: ['échanges', 'visites'] }, questions: ['activities'] },
  ];
  for (const theme of themes) await call('POST', `/api/surveys/${slug}/themes`, theme);
  const queue = (await call('GET', `/api/surveys/${slug}/comments`)) as { id: string; text: string; suggestedThemes: number[] }[];
  for (const comment of queue) {
    const patch: Record<string, unknown> = { status: 'published', themes: comment.suggestedThemes };
    if (comment.text.includes('[phone]')) patch.status = 'hidden';
    if (comment.text.includes('[email]')) patch.text = 'Contact me if you want details about our experience.';
    if (comment.text.startsWith('Reports in English')) {
      patch.translations = { es: 'Los informes solo en inglés son una carga para nosotros. ¿Podríamos informar en español o en francés?', fr: "Les rapports uniquement en anglais sont une charge pour nous. Pourrions-nous les rédiger en espagnol ou en français ?" };
      patch.shareWithPartners = true;
    }
    if (comment.text.startsWith('Los intercambios')) {
      patch.translations = { en: 'Peer exchanges were the best part of the year. We would like more of them.', fr: "Les échanges entre pairs ont été le meilleur moment de l'année. Nous aimerions en avoir davantage." };
      patch.shareWithPartners = true;
    }
    await call('PATCH', `/api/comments/${comment.id}`, patch);
  }
  await call('POST', `/api/surveys/${slug}/review/publish`);
}
/** Staff answer the published review theme by theme (§13); the Working Group adds a note to one. */
async function answerTheReview(slug: string, staffToken: string, wgToken: string): Promise<void> {
  const call = async (token: string, method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body) as unknown;
  };
  const review = (await call(staffToken, 'GET', `/api/surveys/${slug}/review`)) as { themes: { id: number; label: { en: string } }[] };
  const theme = (en: string) => review.themes.find((x) => x.label.en === en)?.id ?? null;
  const language = (await call(staffToken, 'POST', `/api/surveys/${slug}/commitments`, {
    themeId: theme('Language'),
    heard: { en: 'Reporting only in English is a burden, and translations arrive late.', es: 'Informar solo en inglés es una carga, y las traducciones llegan tarde.', fr: 'Rendre compte uniquement en anglais est une charge, et les traductions arrivent tard.' },
    action: { en: 'From July, partners report in the language of their choice; the programme translates.', es: 'A partir de julio, las organizaciones socias informan en el idioma que prefieran; el programa traduce.', fr: 'À partir de juillet, les partenaires rendent compte dans la langue de leur choix\u00a0; le programme traduit.' },
    status: 'in_progress',
    due: '2027-07',
  })) as { id: number };
  await call(staffToken, 'POST', `/api/surveys/${slug}/commitments`, {
    themeId: theme('Time and pace'),
    heard: { en: 'The time between a call for proposals and its deadline is too short for small teams.', es: 'El tiempo entre una convocatoria y su plazo es demasiado corto para los equipos pequeños.', fr: 'Le délai entre un appel à propositions et sa date limite est trop court pour les petites équipes.' },
    action: { en: 'Every call now stays open for at least eight weeks.', es: 'Cada convocatoria queda ahora abierta al menos ocho semanas.', fr: 'Chaque appel reste désormais ouvert au moins huit semaines.' },
    status: 'done',
  });
  await call(staffToken, 'POST', `/api/surveys/${slug}/commitments`, {
    themeId: theme('Partners set the agenda'),
    heard: { en: 'Partners want to set the convenings\u2019 agenda with the programme team.', es: 'Las organizaciones socias quieren definir la agenda de los encuentros con el equipo del programa.', fr: 'Les partenaires veulent fixer l’ordre du jour des rencontres avec l’équipe du programme.' },
    action: { en: 'Partners will not set the whole agenda this year.', es: 'Este año las organizaciones socias no definirán toda la agenda.', fr: 'Les partenaires ne fixeront pas tout l’ordre du jour cette année.' },
    status: 'not_doing',
    reason: { en: 'The 2027 convening was fixed by the board before the survey; the Working Group will choose two of its sessions.', es: 'El encuentro de 2027 lo fijó la junta antes de la encuesta; el Grupo de Trabajo elegirá dos de sus sesiones.', fr: 'La rencontre de 2027 a été fixée par le conseil avant l’enquête\u00a0; le Groupe de travail en choisira deux séances.' },
  });
  await call(wgToken, 'PATCH', `/api/commitments/${language.id}`, {
    wgNote: { en: 'We will check in September that reports in Spanish and French are really accepted.', es: 'Comprobaremos en septiembre que los informes en español y en francés se aceptan de verdad.', fr: 'Nous vérifierons en septembre que les rapports en espagnol et en français sont vraiment acceptés.' },
  });
}

/** The next round of a survey (the same questions and series), opened. */
async function nextRound(from: string, slug: string, year: string, staffToken: string): Promise<SurveyRecord> {
  const source = app.surveys.get(from).definition.title;
  const title = { en: source.en.replace(/20\d\d/, year), es: source.es.replace(/20\d\d/, year), fr: source.fr.replace(/20\d\d/, year) };
  const res = await app.inject({ method: 'POST', url: `/api/surveys/${from}/duplicate`, headers: { authorization: `Bearer ${staffToken}` }, payload: { slug, title } });
  if (res.statusCode !== 201) throw new Error(`next round: ${res.statusCode} ${res.body}`);
  return app.surveys.update(slug, { status: 'open' });
}

try {
  const staffToken = app.tokens.create('staff', 'Demo staff');
  const wgToken = app.tokens.create('wg', 'Demo Working Group');

  progress(`Creating the sample round with ${count} synthetic responses…`);
  let round = app.surveys.create(sample('learning-programme-2026.json'));
  round = app.surveys.update(round.slug, { status: 'open' });
  // Invite-only (only such surveys have breakdowns, §6 rule 4): one code per synthetic partner,
  // plus a few never used, as a real round would have.
  const codes = await app.inject({ method: 'POST', url: `/api/surveys/${round.slug}/invites`, headers: { authorization: `Bearer ${staffToken}` }, payload: { count: count + 3 } });
  if (codes.statusCode !== 201) throw new Error(`invitation codes: ${codes.statusCode} ${codes.body}`);
  const inviteCodes = (JSON.parse(codes.body) as { codes: string[] }).codes;
  const rnd = seededRandom(2026);
  for (let i = 0; i < count; i++) await app.responses.submit(round, { answers: syntheticAnswers(round, rnd, i), inviteCode: inviteCodes[i]! }, 'json');
  // Closing answers at once and the final release follows (§6): wait for it, audit included.
  app.surveys.update(round.slug, { status: 'closed' });
  progress('Making the final release (rules 1–7, then the exact audit)…');
  await app.releases.release({ slug: round.slug });
  await reviewAsWorkingGroup(round.slug, wgToken);

  progress('Answering the review: what the funder will do…');
  await answerTheReview(round.slug, staffToken, wgToken);

  // The next round: the same questions, answered and released, compared with the first.
  progress(`Making the next round with ${count} synthetic responses, compared with the first…`);
  const next = await nextRound(round.slug, 'learning-programme-2027', '2027', staffToken);
  const nextCodes = (JSON.parse((await app.inject({ method: 'POST', url: `/api/surveys/${next.slug}/invites`, headers: { authorization: `Bearer ${staffToken}` }, payload: { count } })).body) as { codes: string[] }).codes;
  for (let i = 0; i < count; i++) await app.responses.submit(next, { answers: syntheticAnswers(next, rnd, i + 100), inviteCode: nextCodes[i]! }, 'json');
  app.surveys.update(next.slug, { status: 'closed' });
  await app.releases.release({ slug: next.slug });
  // The round after, open: its form says what happened since the first round's review.
  const third = await nextRound(next.slug, 'learning-programme-2028', '2028', staffToken);

  const convening = app.surveys.create(sample('convening-2026.json'));
  app.surveys.update(convening.slug, { status: 'open' });

  await app.listen({ host: config.host, port: config.port });
  const base = `http://${config.host}:${(app.server.address() as { port: number }).port}`;
  process.stdout.write(`
Candor demo is running (temporary database: ${dir})

  Partners — open survey form:   ${base}/s/${convening.slug}?lang=en
                                 ${base}/s/${convening.slug}?lang=es
                                 ${base}/s/${convening.slug}?lang=fr
  Partners and staff — results:  ${base}/s/${round.slug}/results?lang=en  (also ?lang=es, ?lang=fr)
  Next round, compared:          ${base}/s/${next.slug}/results?lang=en
  The round after, open ("Since the last round"):  ${base}/s/${third.slug}?lang=fr
  What the funder will do (staff):  ${base}/staff/surveys/${round.slug}/commitments
  Working Group (sign in with its token):  ${base}/login?lang=en
  Meeting brief in French:       ${base}/wg/${round.slug}/brief?lang=fr
  Staff console (staff token):   ${base}/staff
  Results as JSON / CSV:         ${base}/api/surveys/${round.slug}/results
                                 ${base}/api/surveys/${round.slug}/results.csv?lang=fr
  API documentation:             ${base}/docs

  Staff token:           ${staffToken}
  Working Group token:   ${wgToken}
  e.g. curl -H "Authorization: Bearer ${staffToken}" ${base}/api/surveys

Press Ctrl+C to stop; the temporary database is then deleted.
`);
} catch (err) {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  throw err;
}

const stop = () => {
  app.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
