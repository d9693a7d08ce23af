/** The one place the environment is read: parsed once with zod, then passed into the app. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }));

/** TRUST_PROXY: "true", a number of proxy hops, or a comma-separated list of proxy addresses. */
const trustProxy = z
  .string()
  .trim()
  .min(1, { message: 'must be "true", a number of hops, or a list of proxy addresses' })
  .transform((raw): boolean | number | string[] => {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    if (/^\d+$/.test(raw)) return Number(raw);
    return raw.split(',').map((s) => s.trim()).filter(Boolean);
  });

/** PUBLIC_URL: the address partners use, http(s) only, kept without its trailing slash. */
const publicUrl = z
  .string()
  .trim()
  .refine((raw) => {
    try {
      const url = new URL(raw);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
    } catch {
      return false;
    }
  }, { message: 'must be an http:// or https:// address, without ? or #' })
  .transform((raw) => raw.replace(/\/+$/, ''));

const EnvSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(3000),
  DATABASE_PATH: z.string().trim().min(1, { message: 'must be a file path' }).default('./data/candor.db'),
  MIN_GROUP_SIZE: integer(3, 1000).default(5),
  MIN_DIVERSITY: integer(1, 100).default(1),
  AGGREGATE_INTERVAL_SECONDS: integer(0, 7 * 24 * 3600).default(300),
  RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).default(60),
  SCRUB_TERMS_PATH: z.string().trim().min(1).optional(),
  SESSION_SECRET: z.string().min(32, { message: 'must be at least 32 characters long' }).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  TRUST_PROXY: trustProxy.optional(),
  PUBLIC_URL: publicUrl.optional(),
});

export interface Config {
  host: string;
  port: number;
  databasePath: string;
  minGroupSize: number;
  minDiversity: number;
  aggregateIntervalSeconds: number;
  rateLimitPerMinute: number;
  /** Deny-list terms for the scrubber (§8), already read from SCRUB_TERMS_PATH. */
  scrubTerms: string[];
  scrubTermsPath?: string;
  /** When unset, the app generates one into the database's folder on first start. */
  sessionSecret?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  trustProxy: boolean | number | string[];
  /**
   * The address partners use (PUBLIC_URL, without its trailing slash): invitation links and the
   * audit address are built from it, never from a request's Host header.
   */
  publicUrl: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads a deny-list file: one term a line; blank lines and lines starting with # are ignored. */
function readScrubTerms(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Parses the environment into a Config, or throws a ConfigError with one line per problem.
 * Empty strings count as unset, so `PORT= npm start` means the default.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = EnvSchema.safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '?');
      problems.push(`${key}: ${issue.message} (got ${JSON.stringify(input[key] ?? '')})`);
    }
  }
  // Read even when other values are wrong, so that every problem is reported in one go.
  const termsPath = input.SCRUB_TERMS_PATH?.trim();
  let scrubTerms: string[] = [];
  if (termsPath) {
    try {
      scrubTerms = readScrubTerms(termsPath);
    } catch (err) {
      problems.push(`SCRUB_TERMS_PATH: cannot read ${JSON.stringify(termsPath)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    minGroupSize: e.MIN_GROUP_SIZE,
    minDiversity: e.MIN_DIVERSITY,
    aggregateIntervalSeconds: e.AGGREGATE_INTERVAL_SECONDS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    scrubTerms,
    ...(e.SCRUB_TERMS_PATH ? { scrubTermsPath: e.SCRUB_TERMS_PATH } : {}),
    ...(e.SESSION_SECRET ? { sessionSecret: e.SESSION_SECRET } : {}),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY ?? false,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
  };
}
