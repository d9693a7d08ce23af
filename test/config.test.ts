/** Configuration (§10): parsed once, defaults as specified, one clear line per problem. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { tempDir } from './helpers.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has the defaults of §10', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 3000,
      databasePath: './data/candor.db',
      minGroupSize: 5,
      minDiversity: 1,
      aggregateIntervalSeconds: 300,
      rateLimitPerMinute: 60,
      scrubTerms: [],
      logLevel: 'info',
      trustProxy: false,
      publicUrl: 'http://127.0.0.1:3000',
    });
    expect(config.sessionSecret).toBeUndefined();
  });

  it('treats empty values as unset, and ignores variables it does not know', () => {
    expect(loadConfig({ PORT: '', MIN_GROUP_SIZE: '', LOG_LEVEL: '', HOME: '/root', NODE_ENV: 'test' })).toEqual(loadConfig({}));
  });

  it('reads every variable', () => {
    const dir = tempDir();
    const terms = join(dir, 'terms.txt');
    writeFileSync(terms, 'ACME\n');
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      DATABASE_PATH: join(dir, 'x.db'),
      MIN_GROUP_SIZE: '7',
      MIN_DIVERSITY: '2',
      AGGREGATE_INTERVAL_SECONDS: '0',
      RATE_LIMIT_PER_MINUTE: '120',
      SCRUB_TERMS_PATH: terms,
      SESSION_SECRET: 's'.repeat(40),
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      PUBLIC_URL: 'https://feedback.example.org/candor/',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      databasePath: join(dir, 'x.db'),
      minGroupSize: 7,
      minDiversity: 2,
      aggregateIntervalSeconds: 0,
      rateLimitPerMinute: 120,
      scrubTerms: ['ACME'],
      scrubTermsPath: terms,
      sessionSecret: 's'.repeat(40),
      logLevel: 'warn',
      trustProxy: true,
      publicUrl: 'https://feedback.example.org/candor',
    });
  });

  it('builds PUBLIC_URL from HOST and PORT when unset, and refuses an address partners cannot use', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://0.0.0.0:8080');
    expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:3000');
    for (const bad of ['feedback.example.org', 'ftp://example.org', 'https://example.org/?x=1', 'not a url']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });

  it('reads TRUST_PROXY as true, a number of hops, or a list of proxy addresses', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['MIN_GROUP_SIZE', '2'],
    ['MIN_GROUP_SIZE', 'five'],
    ['MIN_DIVERSITY', '0'],
    ['AGGREGATE_INTERVAL_SECONDS', '-5'],
    ['RATE_LIMIT_PER_MINUTE', '0'],
    ['SESSION_SECRET', 'too-short'],
    ['LOG_LEVEL', 'loud'],
  ])('rejects %s=%s with a line naming the variable and the value', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    if (name !== 'SESSION_SECRET') expect(problems[0]).toContain(JSON.stringify(value));
    expect(problems[0]).not.toContain('\n');
  });

  it('reports every problem at once, one line each, the unreadable deny-list included', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a-folder'));
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'abc', MIN_GROUP_SIZE: '1', LOG_LEVEL: 'loud', SCRUB_TERMS_PATH: join(dir, 'missing.txt') });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'MIN_GROUP_SIZE', 'PORT', 'SCRUB_TERMS_PATH']);
    const lines = error!.message.split('\n');
    expect(lines).toHaveLength(5); // a heading, then one line per problem
    for (const p of error!.problems) expect(lines).toContain(`  ${p}`);
    expect(problemsOf({ SCRUB_TERMS_PATH: join(dir, 'a-folder') })[0]).toMatch(/^SCRUB_TERMS_PATH: cannot read/);
  });

  it('accepts every port from 0 to 65535 and no other number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (port) => {
        if (port >= 0 && port <= 65535) expect(loadConfig({ PORT: String(port) }).port).toBe(port);
        else expect(problemsOf({ PORT: String(port) })).toHaveLength(1);
      }),
    );
  });
});
