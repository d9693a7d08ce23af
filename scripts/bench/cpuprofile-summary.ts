/**
 * Summarises a V8 CPU profile (from `npm run bench -- --cpu-prof DIR`): where the server's time
 * went, by self time per function and per package or source folder, and by inclusive time for
 * the functions given with --focus.
 *
 *   npx tsx scripts/bench/cpuprofile-summary.ts FILE.cpuprofile [--top 25] [--focus name,name]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' }, focus: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
if (values.help || positionals.length !== 1) {
  process.stdout.write('Usage: npx tsx scripts/bench/cpuprofile-summary.ts FILE.cpuprofile [--top 25] [--focus fnA,fnB]\n');
  process.exit(values.help ? 0 : 2);
}

const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node, from the samples and their time deltas (µs).
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

function place(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  const scripts = url.indexOf('/scripts/');
  if (scripts >= 0) return url.slice(scripts + 1);
  return url;
}

const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${place(f)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const [id, t] of selfTime) {
  const frame = byId.get(id)!.callFrame;
  add(byFunction, label(frame), t);
  add(byPlace, place(frame), t);
}

const top = Number(values.top);
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
const ms = (t: number) => `${(t / 1000).toFixed(0).padStart(7)} ms`;
const print = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(t)} ${ms(t)}  ${k}\n`);
};

process.stdout.write(`profile: ${(total / 1e6).toFixed(2)} s sampled, ${profile.samples.length} samples\n`);
print('self time by package / source folder', byPlace);
print('self time by function', byFunction);

// Inclusive time of the named functions (each sample counted once per name even under recursion).
if (values.focus) {
  const names = values.focus.split(',').map((s) => s.trim());
  const inclusive = new Map<string, number>();
  for (const [id, t] of selfTime) {
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const frame = byId.get(n)!.callFrame;
      for (const name of names) {
        if (frame.functionName === name || label(frame).includes(name)) {
          const key = `${name}`;
          if (!seen.has(key)) {
            seen.add(key);
            add(inclusive, key, t);
          }
        }
      }
    }
  }
  print('inclusive time of --focus functions', inclusive);
}
