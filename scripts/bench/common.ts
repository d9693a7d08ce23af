/** What every bench section shares: options, the section contract, checks, tables, temp folders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchOptions {
  /** autocannon connections (submissions). */
  connections: number;
  /** Seconds of measured load per server and round (submissions). */
  duration: number;
  /** Seconds of warm-up load before each measured run (submissions); 0 skips it. */
  warmup: number;
  /** Measured rounds; the median of each figure is reported. */
  rounds: number;
  /** Responses in the generated survey of the release section. */
  responses: number;
  /** Simulated rounds of the utility section. */
  utilityRounds?: number;
  /** Folder where each server child writes a V8 CPU profile (node --cpu-prof); kept afterwards. */
  cpuProf?: string;
  /** Where the temporary databases go (default: the system's temporary folder). */
  dbDir?: string;
}

/** A target and whether the run met it. */
export interface Check {
  name: string;
  target: string;
  actual: string;
  pass: boolean;
}

export interface SectionReport {
  title: string;
  /** Printed as they are, before the checks (tables, notes). */
  lines: string[];
  checks: Check[];
}

export interface SectionContext {
  options: BenchOptions;
  /** A fresh temporary folder (under --db-dir if given), removed when the bench ends, even on failure or Ctrl-C. */
  tempDir(prefix: string): string;
  /** Registers something to undo when the bench ends (a child process to stop, …). */
  onCleanup(fn: () => void): void;
  /** A progress line on standard error. */
  progress(message: string): void;
}

/** A named part of `npm run bench`, selectable with --only. */
export interface Section {
  name: string;
  summary: string;
  run(ctx: SectionContext): Promise<SectionReport>;
}

/** Cleanups run in reverse order of registration, once. */
export class Cleanup {
  private readonly tasks: (() => void)[] = [];

  add(fn: () => void): void {
    this.tasks.push(fn);
  }

  tempDir(prefix: string, parent: string = tmpdir()): string {
    const dir = mkdtempSync(join(parent, prefix));
    this.add(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  run(): void {
    while (this.tasks.length > 0) {
      const task = this.tasks.pop()!;
      try {
        task();
      } catch (err) {
        process.stderr.write(`cleanup: ${String(err)}\n`);
      }
    }
  }
}

/** Left-aligns the first column and right-aligns the others. */
export function formatTable(rows: readonly (readonly string[])[], options: { leftColumns?: number } = {}): string[] {
  const left = options.leftColumns ?? 1;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
        return i < left ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd(),
  );
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const integerFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const fmtInt = (n: number): string => integerFormat.format(n);
export const fmtRate = (n: number): string => oneDecimal.format(n);
export const fmtMs = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(1)} ms`;
