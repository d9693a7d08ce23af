/** npm run audit -- URL-or-FILE — anyone repeats the disclosure audit of §6 rule 8 on published results. */
import { readFileSync } from 'node:fs';
import { audit, Inconsistent, type AuditReport, type Interval } from '../src/releases/audit/audit.js';
import { MalformedRelease } from '../src/releases/audit/problem.js';
import { ReleaseJson } from '../src/releases/content.js';
import { fail, parseCommandLine, progress } from './cli.js';

const HELP = `
Repeat the exact disclosure audit of a survey's published results (SPEC §6 rule 8), from the
published JSON alone: no database, no account. For every figure the release hides it computes,
with integer programming (HiGHS), the least and greatest value the figure can have given
everything the release shows and what every reader knows of the rules; then it looks for a
proof that a published figure gives away what someone answered: how many of 1 to k − 1
respondents gave an answer, or that all but at most c respondents of a group gave the same one.

Usage:
  npm run audit -- <URL-or-FILE> [--json] [--joint] [--quiet]

  URL-or-FILE   the results JSON: a file saved from /api/surveys/<slug>/results, or that address
                (a results page address, /s/<slug>/results, is read from its JSON twin)

Options:
  --json          print the whole report as JSON (for machines) instead of text
  --joint         also print the interval of every joint cell (each question's respondents in one
                  combination of two grouping questions' answers, which no release shows). Every
                  joint cell is examined for proofs either way; their intervals take minutes on
                  large surveys with two breakdowns per question
  --quiet         no progress on standard error
  -h, --help      show this help

Exit status: 0 when no disclosure is proved, 1 when one is (each proof is printed), 2 when the
input cannot be read or no survey could have produced it.
`;

const { values, positionals } = parseCommandLine(HELP, { json: { type: 'boolean' }, joint: { type: 'boolean' }, quiet: { type: 'boolean' } });
const source = positionals[0];
if (!source || positionals.length > 1) fail(`Give one results address or file.\n\n${HELP.trim()}`, 2);

/** The results JSON address for a results page address; other addresses as they are. */
function jsonAddress(url: string): string {
  const u = new URL(url);
  const page = /^\/s\/([^/]+)\/results\/?$/.exec(u.pathname);
  if (page) u.pathname = `/api/surveys/${page[1]}/results`;
  return u.toString();
}

async function read(from: string): Promise<unknown> {
  if (/^https?:\/\//i.test(from)) {
    const address = jsonAddress(from);
    let res: Response;
    try {
      res = await fetch(address, { headers: { accept: 'application/json' } });
    } catch (err) {
      fail(`Could not reach ${address}: ${(err as Error).message}`, 2);
    }
    if (!res.ok) fail(`${address} answered ${res.status} ${res.statusText}: no released results there.`, 2);
    try {
      return await res.json();
    } catch {
      fail(`${address} did not answer JSON.`, 2);
    }
  }
  let text: string;
  try {
    text = readFileSync(from, 'utf8');
  } catch (err) {
    fail(`Could not read ${from}: ${(err as Error).message}`, 2);
  }
  try {
    return JSON.parse(text);
  } catch {
    fail(`${from} is not JSON.`, 2);
  }
}

const parsed = ReleaseJson.safeParse(await read(source));
if (!parsed.success) {
  fail(`This is not a Candor results release:\n${parsed.error.issues.map((i) => `  $.${i.path.join('.')}: ${i.message}`).join('\n')}`, 2);
}
const release = parsed.data;
const quiet = values.quiet === true || values.json === true;
const started = Date.now();
let report: AuditReport;
try {
  report = await audit(release, {
    mode: 'bounds',
    skipJoint: values.joint !== true,
    ...(quiet ? {} : { progress: (done, total, what) => progress(`  ${done}/${total} ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`) }),
  });
} catch (err) {
  if (err instanceof Inconsistent || err instanceof MalformedRelease) fail(`No survey could have produced this release: ${err.message}`, 2);
  throw err;
}

if (values.json) {
  process.stdout.write(`${JSON.stringify({ survey: release.survey, releasedAt: release.releasedAt, final: release.final, ...report }, null, 2)}\n`);
} else {
  process.stdout.write(text(report));
}
process.exit(report.passed ? 0 : 1);

function width(i: Interval): number {
  return i.hi - i.lo;
}

function narrowest(list: Interval[]): Interval | undefined {
  return [...list].sort((a, b) => width(a) - width(b) || a.figure.localeCompare(b.figure))[0];
}

function text(r: AuditReport): string {
  const out: string[] = [];
  const n = 'n' in release.respondents ? release.respondents.n : 'hidden';
  out.push(`Audit of "${release.survey}", ${release.final ? 'final' : 'interim'} release of ${release.releasedAt} (${r.solver}, ${r.solves} programs solved)`);
  out.push(`Respondents: ${n}. k = ${release.minGroupSize}, c = ${release.minDiversity}. Hidden figures (markers): ${r.hiddenFigures}.`);
  if (release.audit) out.push(`The release says it passed this audit when it was made (${release.audit.solver}).`);
  out.push('');
  if (r.intervals.length > 0) {
    out.push('Each hidden figure, with the least and greatest value it can have:');
    for (const i of r.intervals) out.push(`  ${i.figure}: ${i.lo === i.hi ? `exactly ${i.lo}` : `${i.lo} to ${i.hi}`}`);
    const tight = narrowest(r.intervals)!;
    out.push(`Narrowest: ${tight.figure}, ${tight.lo} to ${tight.hi} (width ${width(tight)}).`);
    out.push('');
  }
  if (r.joint.length > 0) {
    const tight = narrowest(r.joint)!;
    out.push(`Joint cells (never published; what the breakdowns imply about their combinations): ${r.joint.length} figures.`);
    out.push(`Narrowest: ${tight.figure}, ${tight.lo} to ${tight.hi} (width ${width(tight)}).`);
    out.push('');
  }
  if (r.passed) out.push('No disclosure: nothing in this release proves what any respondent answered.');
  else {
    out.push(`DISCLOSURE: ${r.proofs.length} proof${r.proofs.length === 1 ? '' : 's'}.`);
    r.proofs.forEach((p, i) => {
      out.push(`  ${i + 1}. ${p.claim}.`);
      out.push(`     Set: ${p.set}. Inference: ${p.inference === 'count' ? 'a count about fewer than k respondents' : 'all but at most c gave one answer'}.${p.uses.length ? ` Uses the breakdowns by ${p.uses.join(', ')}.` : ''}`);
    });
  }
  return `${out.join('\n')}\n`;
}
