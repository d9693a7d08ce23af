/** What every command shares: --help, argument parsing (node:util parseArgs), configuration errors. */
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../src/config.js';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses argv; prints `help` and exits 0 on --help/-h; prints the problem and the help and
 * exits 2 on a usage error.
 */
export function parseCommandLine<O extends Options>(help: string, options: O, argv = process.argv.slice(2)) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(`${help.trim()}\n`);
      process.exit(0);
    }
    return parsed;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${help.trim()}`, 2);
  }
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** The configuration from the environment, or one line per problem and exit 1. */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

/** Progress on standard error, so that standard output stays clean for pipes. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Stops with a clear message when the database does not exist: for commands that only read or
 * change an existing one, a mistyped DATABASE_PATH must not quietly create an empty file.
 */
export function requireExistingDatabase(path: string): void {
  if (path !== ':memory:' && !existsSync(path)) {
    fail(`There is no database at ${path}. Check DATABASE_PATH (Candor creates the database when it first starts).`);
  }
}
