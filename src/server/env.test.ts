import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

const SECRET = 's'.repeat(32);
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'tasklane-env-'));

describe('parseEnv', () => {
  it('needs nothing: embedded database in the data dir and a secret generated once, kept private', () => {
    const dir = tempDir();
    const first = parseEnv({ TASKLANE_DATA_DIR: dir });
    expect(first.database).toEqual({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.baseUrl).toBe('http://localhost:3000');
    expect(parseEnv({ TASKLANE_DATA_DIR: dir }).authSecret).toBe(first.authSecret);
    const file = path.join(dir, 'auth-secret');
    expect(readFileSync(file, 'utf8')).toBe(first.authSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('uses PGlite in memory for memory://, with a throwaway secret and nothing written', () => {
    const dir = tempDir();
    const env = parseEnv({ DATABASE_URL: 'memory://', TASKLANE_DATA_DIR: dir });
    expect(env.database).toEqual({ kind: 'pglite', dataDir: undefined });
    expect(() => readFileSync(path.join(dir, 'auth-secret'))).toThrow();
  });

  it('picks Neon for *.neon.tech, node-postgres otherwise, unless DATABASE_DRIVER says', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u:p@ep-x.eu-central-1.aws.neon.tech/db', BETTER_AUTH_SECRET: SECRET }).database.kind).toBe('neon');
    expect(parseEnv({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db', BETTER_AUTH_SECRET: SECRET }).database.kind).toBe('pg');
    expect(parseEnv({ DATABASE_URL: 'postgres://u@db.internal/db', DATABASE_DRIVER: 'neon', BETTER_AUTH_SECRET: SECRET }).database.kind).toBe('neon');
  });

  it('stops with a message naming BETTER_AUTH_SECRET when a server database or Vercel has none', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(EnvError);
    expect(() => parseEnv({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(/BETTER_AUTH_SECRET/);
    expect(() => parseEnv({ VERCEL: '1', TASKLANE_DATA_DIR: tempDir() })).toThrow(/BETTER_AUTH_SECRET/);
  });

  it('refuses a secret shorter than 32 characters, wherever the data lives', () => {
    expect(() => parseEnv({ BETTER_AUTH_SECRET: 'short', TASKLANE_DATA_DIR: tempDir() })).toThrow(/at least 32/);
    expect(() => parseEnv({ DATABASE_URL: 'postgres://u@h/db', BETTER_AUTH_SECRET: 'x'.repeat(31) })).toThrow(EnvError);
  });

  it('does not demand the secret while next build collects pages', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u@h/db', NEXT_PHASE: 'phase-production-build' }).isBuild).toBe(true);
  });

  it('refuses a DATABASE_URL it cannot serve, and a BETTER_AUTH_URL that is not http(s)', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://u@h/db', BETTER_AUTH_SECRET: SECRET })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ BETTER_AUTH_URL: 'ftp://example.com', TASKLANE_DATA_DIR: tempDir() })).toThrow(/BETTER_AUTH_URL/);
  });

  it('takes the public origin from BETTER_AUTH_URL, then Vercel, then PORT', () => {
    const dir = tempDir();
    expect(parseEnv({ BETTER_AUTH_URL: 'https://tasks.example.com/some/path', TASKLANE_DATA_DIR: dir }).baseUrl).toBe('https://tasks.example.com');
    expect(parseEnv({ VERCEL: '1', VERCEL_PROJECT_PRODUCTION_URL: 'tasklane.vercel.app', BETTER_AUTH_SECRET: SECRET }).baseUrl).toBe('https://tasklane.vercel.app');
    expect(parseEnv({ PORT: '4000', TASKLANE_DATA_DIR: dir }).baseUrl).toBe('http://localhost:4000');
    expect(parseEnv({ JWT_AUDIENCE: 'https://api.example.com', TASKLANE_DATA_DIR: dir }).jwtAudience).toBe('https://api.example.com');
  });
});
