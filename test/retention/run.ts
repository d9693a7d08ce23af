/** Runs Candor's commands as an operator would: in the project folder, with an explicit environment. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command; `input` is written to its standard input (closed afterwards; "ignore" when undefined). */
export function run(command: string, args: string[], env: Record<string, string> = {}, { timeoutMs = 30_000, input }: { timeoutMs?: number; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    if (input !== undefined) child.stdin!.end(input);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** `npx tsx FILE ARGS…`, through the local tsx (what the npm scripts run). */
export const tsx = (args: string[], env: Record<string, string> = {}, opts: { timeoutMs?: number; input?: string } = {}) => run(process.execPath, [TSX, ...args], env, opts);

/** `npm run --silent SCRIPT -- ARGS…`. */
export const npmRun = (script: string, args: string[], env: Record<string, string> = {}, opts: { timeoutMs?: number; input?: string } = {}) =>
  run('npm', ['run', '--silent', script, '--', ...args], env, opts);
