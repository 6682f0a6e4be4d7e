import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

const SECRET = 's'.repeat(32);
const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'tasklane-env-'));

/** The EnvError parseEnv throws for this environment (fails the test if it throws nothing or something else). */
function envError(source: Record<string, string | undefined>): EnvError {
  let thrown: unknown;
  try {
    parseEnv(source);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'parseEnv did not throw an EnvError').toBeInstanceOf(EnvError);
  return thrown as EnvError;
}

describe('parseEnv with nothing configured', () => {
  it('uses the embedded database in <TASKLANE_DATA_DIR>/pglite and keeps a generated secret there', () => {
    const dir = tempDir();
    const first = parseEnv({ TASKLANE_DATA_DIR: dir });
    expect(first.database).toEqual({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    expect(first.dataDir).toBe(dir);
    expect(first.isBuild).toBe(false);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.baseUrl).toBe('http://localhost:3000');
    expect(first.jwtAudience).toBe('http://localhost:3000');
  });

  it('generates the secret once: a restart gets the same one, another data dir a different one', () => {
    const dir = tempDir();
    const first = parseEnv({ TASKLANE_DATA_DIR: dir }).authSecret;
    expect(parseEnv({ TASKLANE_DATA_DIR: dir }).authSecret).toBe(first);
    expect(parseEnv({ TASKLANE_DATA_DIR: tempDir() }).authSecret).not.toBe(first);
  });

  it('writes the secret to a file only its owner can read', () => {
    const dir = tempDir();
    const { authSecret } = parseEnv({ TASKLANE_DATA_DIR: dir });
    const file = path.join(dir, 'auth-secret');
    expect(readFileSync(file, 'utf8')).toBe(authSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('creates a data dir that does not exist yet', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const { authSecret } = parseEnv({ TASKLANE_DATA_DIR: dir });
    expect(readFileSync(path.join(dir, 'auth-secret'), 'utf8')).toBe(authSecret);
  });

  it('writes nothing until the secret is first read (boot reads it; importing the module does not)', () => {
    const dir = tempDir();
    const env = parseEnv({ TASKLANE_DATA_DIR: dir });
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
    const secret = env.authSecret;
    expect(readFileSync(path.join(dir, 'auth-secret'), 'utf8')).toBe(secret);
    expect(env.authSecret).toBe(secret);
  });

  it('never hands out a short secret from a damaged auth-secret file (empty after a crash, or truncated)', () => {
    for (const content of ['', '\n', 'short']) {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'auth-secret'), content, { mode: 0o600 });
      let secret: string | undefined;
      try {
        secret = parseEnv({ TASKLANE_DATA_DIR: dir }).authSecret;
      } catch (error) {
        // Refusing to start with a clear message is fine too.
        expect(error).toBeInstanceOf(EnvError);
        continue;
      }
      expect(secret.length, `auth-secret containing ${JSON.stringify(content)}`).toBeGreaterThanOrEqual(32);
    }
  });

  it('treats blank variables as unset', () => {
    const dir = tempDir();
    const env = parseEnv({ TASKLANE_DATA_DIR: dir, DATABASE_URL: '', BETTER_AUTH_SECRET: '   ', BETTER_AUTH_URL: '' });
    expect(env.database.kind).toBe('pglite');
    expect(env.authSecret).toBe(readFileSync(path.join(dir, 'auth-secret'), 'utf8'));
  });
});

describe('parseEnv: databases', () => {
  it('uses PGlite in memory for memory://, with a throwaway secret and nothing written', () => {
    const dir = tempDir();
    const env = parseEnv({ DATABASE_URL: 'memory://', TASKLANE_DATA_DIR: dir });
    expect(env.database).toEqual({ kind: 'pglite', dataDir: undefined });
    expect(env.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
  });

  it('picks Neon for *.neon.tech hosts and node-postgres for any other host', () => {
    const neon = parseEnv({ DATABASE_URL: 'postgres://u:p@ep-x-123.eu-central-1.aws.neon.tech/db?sslmode=require', BETTER_AUTH_SECRET: SECRET });
    expect(neon.database).toEqual({ kind: 'neon', url: 'postgres://u:p@ep-x-123.eu-central-1.aws.neon.tech/db?sslmode=require' });
    expect(parseEnv({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db', BETTER_AUTH_SECRET: SECRET }).database).toEqual({ kind: 'pg', url: 'postgresql://u@127.0.0.1:5432/db' });
    for (const host of ['evilneon.tech', 'neon.tech.evil.example', 'db.internal']) {
      expect(parseEnv({ DATABASE_URL: `postgres://u@${host}/db`, BETTER_AUTH_SECRET: SECRET }).database.kind, host).toBe('pg');
    }
  });

  it('lets DATABASE_DRIVER override the guess either way, and refuses other drivers', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u@db.internal/db', DATABASE_DRIVER: 'neon', BETTER_AUTH_SECRET: SECRET }).database.kind).toBe('neon');
    expect(parseEnv({ DATABASE_URL: 'postgres://u@ep-x.neon.tech/db', DATABASE_DRIVER: 'pg', BETTER_AUTH_SECRET: SECRET }).database.kind).toBe('pg');
    expect(envError({ DATABASE_URL: 'postgres://u@h/db', DATABASE_DRIVER: 'mysql', BETTER_AUTH_SECRET: SECRET }).message).toMatch(/DATABASE_DRIVER/);
  });

  it('refuses a DATABASE_URL it cannot serve, naming the variable', () => {
    for (const url of ['mysql://u@h/db', 'sqlite:///tmp/x.db', 'http://h/db', 'memory', 'file:./data']) {
      expect(envError({ DATABASE_URL: url, BETTER_AUTH_SECRET: SECRET }).message, url).toMatch(/DATABASE_URL/);
    }
  });

  it('refuses a postgres URL it cannot parse with an EnvError that does not echo the password', () => {
    // An unencoded '#' or '/' in a generated password is the usual way to get here.
    for (const url of ['postgres://app:pa#ss-s3cret@db.example.com/app', 'postgres://app:ab/s3cret@db.example.com/app']) {
      const error = envError({ DATABASE_URL: url, BETTER_AUTH_SECRET: SECRET });
      expect(error.message).toMatch(/DATABASE_URL/);
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain('s3cret');
    }
  });
});

describe('parseEnv: the auth secret', () => {
  it('stops with a message naming BETTER_AUTH_SECRET when a server database has none', () => {
    expect(envError({ DATABASE_URL: 'postgres://u@h/db' }).message).toMatch(/BETTER_AUTH_SECRET/);
    expect(envError({ DATABASE_URL: 'postgres://u@ep-x.neon.tech/db' }).message).toMatch(/BETTER_AUTH_SECRET/);
  });

  it('stops on Vercel without a secret, even with the embedded database', () => {
    const dir = tempDir();
    expect(envError({ VERCEL: '1', TASKLANE_DATA_DIR: dir }).message).toMatch(/BETTER_AUTH_SECRET/);
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
  });

  it('stops on Vercel without DATABASE_URL (no folder there keeps the embedded database), naming it, but not while building', () => {
    const dir = tempDir();
    const message = envError({ VERCEL: '1', BETTER_AUTH_SECRET: SECRET, TASKLANE_DATA_DIR: dir }).message;
    expect(message).toMatch(/^DATABASE_URL must be set on Vercel/);
    expect(message).not.toContain('\n');
    expect(existsSync(path.join(dir, 'pglite'))).toBe(false);
    expect(() => parseEnv({ VERCEL: '1', NEXT_PHASE: 'phase-production-build', TASKLANE_DATA_DIR: dir })).not.toThrow();
  });

  it('trusts a Vercel deployment’s own URLs (a preview, its branch) beside the production origin', () => {
    const env = parseEnv({
      VERCEL: '1',
      VERCEL_PROJECT_PRODUCTION_URL: 'tasklane.vercel.app',
      VERCEL_URL: 'tasklane-git-x-team.vercel.app',
      VERCEL_BRANCH_URL: 'tasklane-git-branch-team.vercel.app',
      BETTER_AUTH_SECRET: SECRET,
      DATABASE_URL: 'postgres://u@ep-x.neon.tech/db',
    });
    expect(env.trustedOrigins).toEqual(['https://tasklane.vercel.app', 'https://tasklane-git-x-team.vercel.app', 'https://tasklane-git-branch-team.vercel.app']);
    expect(parseEnv({ TASKLANE_DATA_DIR: tempDir() }).trustedOrigins).toEqual(['http://localhost:3000']);
  });

  it('uses the configured secret as given, and writes none', () => {
    const dir = tempDir();
    expect(parseEnv({ BETTER_AUTH_SECRET: SECRET, TASKLANE_DATA_DIR: dir }).authSecret).toBe(SECRET);
    expect(parseEnv({ DATABASE_URL: 'postgres://u@h/db', BETTER_AUTH_SECRET: SECRET }).authSecret).toBe(SECRET);
    expect(parseEnv({ VERCEL: '1', BETTER_AUTH_SECRET: SECRET, DATABASE_URL: 'postgres://u@ep-x.neon.tech/db' }).authSecret).toBe(SECRET);
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
  });

  it('refuses a secret shorter than 32 characters, wherever the data lives, without printing it', () => {
    const error = envError({ BETTER_AUTH_SECRET: 'short-secret', TASKLANE_DATA_DIR: tempDir() });
    expect(error.message).toMatch(/BETTER_AUTH_SECRET/);
    expect(error.message).toMatch(/at least 32/);
    expect(error.message).not.toContain('short-secret');
    expect(envError({ DATABASE_URL: 'postgres://u@h/db', BETTER_AUTH_SECRET: 'x'.repeat(31) }).message).toMatch(/BETTER_AUTH_SECRET/);
    expect(parseEnv({ DATABASE_URL: 'postgres://u@h/db', BETTER_AUTH_SECRET: 'x'.repeat(32) }).authSecret).toHaveLength(32);
  });

  it('does not demand the secret, nor write one, while next build collects pages', () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://u@h/db', NEXT_PHASE: 'phase-production-build' });
    expect(env.isBuild).toBe(true);
    expect(env.database.kind).toBe('pg');
    expect(parseEnv({ VERCEL: '1', NEXT_PHASE: 'phase-production-build', BETTER_AUTH_SECRET: undefined }).isBuild).toBe(true);
    const dir = tempDir();
    parseEnv({ NEXT_PHASE: 'phase-production-build', TASKLANE_DATA_DIR: dir });
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
    // Any other phase is not a build.
    expect(() => parseEnv({ DATABASE_URL: 'postgres://u@h/db', NEXT_PHASE: 'phase-production-server' })).toThrow(EnvError);
  });
});

describe('parseEnv: versioned secrets for rotation (BETTER_AUTH_SECRETS)', () => {
  const NEW = 'n'.repeat(40);
  it('takes them newest first, standing in for BETTER_AUTH_SECRET when that is unset', () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://u@h/db', BETTER_AUTH_SECRETS: `2:${NEW}, 1:${SECRET}` });
    expect(env.authSecrets).toEqual([
      { version: 2, value: NEW },
      { version: 1, value: SECRET },
    ]);
    expect(env.authSecret).toBe(NEW);
    // Kept as the legacy secret that decrypts what was written before versioning.
    expect(parseEnv({ DATABASE_URL: 'postgres://u@h/db', BETTER_AUTH_SECRET: SECRET, BETTER_AUTH_SECRETS: `1:${NEW}` }).authSecret).toBe(SECRET);
  });

  it('refuses a malformed list, a short entry or a repeated version without echoing any secret', () => {
    for (const list of [NEW, `x:${NEW}`, `1:short-secret-value`, `1:${NEW},1:${SECRET}`]) {
      const error = envError({ DATABASE_URL: 'postgres://u@h/db', BETTER_AUTH_SECRETS: list });
      expect(error.message).toMatch(/BETTER_AUTH_SECRETS/);
      expect(error.message).not.toContain(NEW);
      expect(error.message).not.toContain('short-secret-value');
    }
  });
});

describe('parseEnv: the public origin', () => {
  it('takes the origin of BETTER_AUTH_URL, dropping any path', () => {
    const dir = tempDir();
    expect(parseEnv({ BETTER_AUTH_URL: 'https://tasks.example.com/some/path?x=1', TASKLANE_DATA_DIR: dir }).baseUrl).toBe('https://tasks.example.com');
    expect(parseEnv({ BETTER_AUTH_URL: 'http://localhost:3000/', TASKLANE_DATA_DIR: dir }).baseUrl).toBe('http://localhost:3000');
    const env = parseEnv({ BETTER_AUTH_URL: 'https://tasks.example.com:8443', TASKLANE_DATA_DIR: dir });
    expect(env.baseUrl).toBe('https://tasks.example.com:8443');
    expect(env.jwtAudience).toBe('https://tasks.example.com:8443');
  });

  it('falls back to the Vercel production URL, then localhost on PORT', () => {
    const dir = tempDir();
    expect(parseEnv({ VERCEL: '1', VERCEL_PROJECT_PRODUCTION_URL: 'tasklane.vercel.app', BETTER_AUTH_SECRET: SECRET, DATABASE_URL: 'postgres://u@ep-x.neon.tech/db' }).baseUrl).toBe('https://tasklane.vercel.app');
    expect(parseEnv({ BETTER_AUTH_URL: 'https://mine.example', VERCEL_PROJECT_PRODUCTION_URL: 'tasklane.vercel.app', BETTER_AUTH_SECRET: SECRET }).baseUrl).toBe('https://mine.example');
    expect(parseEnv({ PORT: '4000', TASKLANE_DATA_DIR: dir }).baseUrl).toBe('http://localhost:4000');
  });

  it('uses JWT_AUDIENCE for the audience when set, the origin otherwise', () => {
    const env = parseEnv({ JWT_AUDIENCE: 'https://api.example.com', TASKLANE_DATA_DIR: tempDir() });
    expect(env.jwtAudience).toBe('https://api.example.com');
    expect(env.baseUrl).toBe('http://localhost:3000');
  });

  it('refuses a BETTER_AUTH_URL that is not an http(s) URL, naming it', () => {
    for (const url of ['ftp://example.com', 'not a url', 'javascript:alert(1)']) {
      expect(envError({ BETTER_AUTH_URL: url, TASKLANE_DATA_DIR: tempDir() }).message, url).toMatch(/BETTER_AUTH_URL/);
    }
  });

  it('refuses a PORT that is not a port number with an EnvError naming it', () => {
    for (const port of ['abc', '99999']) {
      expect(envError({ PORT: port, TASKLANE_DATA_DIR: tempDir() }).message, port).toMatch(/PORT/);
    }
  });

  it('reports every invalid variable at once, in one line', () => {
    const { message } = envError({ PORT: 'abc', NODE_ENV: 'staging', BETTER_AUTH_URL: 'ftp://x', DATABASE_DRIVER: 'mysql', BETTER_AUTH_SECRET: 'short' });
    for (const name of ['PORT', 'NODE_ENV', 'BETTER_AUTH_URL', 'DATABASE_DRIVER', 'BETTER_AUTH_SECRET']) expect(message).toMatch(name);
    expect(message).not.toMatch(/\n/);
    expect(message).not.toContain('short');
  });

  it('refuses an unknown NODE_ENV', () => {
    expect(envError({ NODE_ENV: 'staging', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/NODE_ENV/);
  });
});

describe('parseEnv: mock mode (npm run dev:mock)', () => {
  it('touches no data directory: no database secret is written', () => {
    const dir = tempDir();
    const env = parseEnv({ NEXT_PUBLIC_TASKLANE_MOCK: '1', TASKLANE_DATA_DIR: dir });
    expect(env.mock).toBe(true);
    expect(existsSync(path.join(dir, 'auth-secret'))).toBe(false);
    expect(parseEnv({ TASKLANE_DATA_DIR: dir }).mock).toBe(false);
  });

  it('refuses to serve a production app in mock mode, and any value but 0 or 1', () => {
    expect(envError({ NEXT_PUBLIC_TASKLANE_MOCK: '1', NODE_ENV: 'production', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/development only/);
    expect(envError({ NEXT_PUBLIC_TASKLANE_MOCK: 'yes', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/NEXT_PUBLIC_TASKLANE_MOCK/);
  });
});

describe('ACCESS_TOKEN_ALG and its secret', () => {
  it('signs EdDSA with the rotating keys by default, with the app URL as issuer and audience', () => {
    const env = parseEnv({ TASKLANE_DATA_DIR: tempDir() });
    expect(env.accessToken).toEqual({ alg: 'EdDSA' });
    expect(env.jwtIssuer).toBe('http://localhost:3000');
    expect(env.jwtAudience).toBe('http://localhost:3000');
  });

  it('signs HS256 with BETTER_AUTH_SECRET by default, as the seeds share it', () => {
    const env = parseEnv({ ACCESS_TOKEN_ALG: 'HS256', BETTER_AUTH_SECRET: SECRET, TASKLANE_DATA_DIR: tempDir() });
    expect(env.accessToken).toEqual({ alg: 'HS256', secrets: [{ version: 0, value: SECRET }] });
  });

  it('takes ACCESS_TOKEN_SECRET over it, and every BETTER_AUTH_SECRETS version otherwise (newest signs, all verify)', () => {
    const own = 'o'.repeat(40);
    expect(parseEnv({ ACCESS_TOKEN_ALG: 'HS256', ACCESS_TOKEN_SECRET: own, BETTER_AUTH_SECRET: SECRET, TASKLANE_DATA_DIR: tempDir() }).accessToken).toEqual({
      alg: 'HS256',
      secrets: [{ version: 0, value: own }],
    });
    const rotating = parseEnv({ ACCESS_TOKEN_ALG: 'HS256', BETTER_AUTH_SECRETS: `2:${'n'.repeat(32)},1:${SECRET}`, TASKLANE_DATA_DIR: tempDir() });
    expect(rotating.accessToken).toEqual({ alg: 'HS256', secrets: [{ version: 2, value: 'n'.repeat(32) }, { version: 1, value: SECRET }] });
    const own2 = parseEnv({ ACCESS_TOKEN_ALG: 'HS256', ACCESS_TOKEN_SECRETS: `5:${'a'.repeat(32)},4:${'b'.repeat(32)}`, TASKLANE_DATA_DIR: tempDir() });
    expect(own2.accessToken).toEqual({ alg: 'HS256', secrets: [{ version: 5, value: 'a'.repeat(32) }, { version: 4, value: 'b'.repeat(32) }] });
  });

  it('takes ACCESS_TOKEN_ISSUER and ACCESS_TOKEN_AUDIENCE (seed 002 verifies "better-auth" and "fastapi-backend")', () => {
    const env = parseEnv({ ACCESS_TOKEN_ISSUER: 'better-auth', ACCESS_TOKEN_AUDIENCE: 'fastapi-backend', JWT_AUDIENCE: 'ignored', TASKLANE_DATA_DIR: tempDir() });
    expect(env.jwtIssuer).toBe('better-auth');
    expect(env.jwtAudience).toBe('fastapi-backend');
  });

  it('stops in one line on an unknown algorithm, a short secret, a secret without HS256, or HS256 with nothing to share', () => {
    expect(envError({ ACCESS_TOKEN_ALG: 'RS256', TASKLANE_DATA_DIR: tempDir() }).message).toBe('ACCESS_TOKEN_ALG must be EdDSA (the default) or HS256');
    expect(envError({ ACCESS_TOKEN_ALG: 'HS256', ACCESS_TOKEN_SECRET: 'short', BETTER_AUTH_SECRET: SECRET, TASKLANE_DATA_DIR: tempDir() }).message).toBe(
      'ACCESS_TOKEN_SECRET is 5 characters; it must be at least 32',
    );
    expect(envError({ ACCESS_TOKEN_SECRET: 'x'.repeat(32), TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/^ACCESS_TOKEN_SECRET and ACCESS_TOKEN_SECRETS sign HS256 tokens only/);
    expect(envError({ ACCESS_TOKEN_ALG: 'HS256', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/^ACCESS_TOKEN_ALG=HS256 signs with a secret the task service shares/);
    expect(envError({ ACCESS_TOKEN_ALG: 'HS256', ACCESS_TOKEN_SECRETS: '1:short', TASKLANE_DATA_DIR: tempDir() }).message).toBe('ACCESS_TOKEN_SECRETS entry 1 is shorter than 32 characters');
  });

  it('never puts a secret in its errors', () => {
    const secret = 'p@ss-word-that-must-not-leak';
    expect(envError({ ACCESS_TOKEN_ALG: 'HS256', ACCESS_TOKEN_SECRET: secret, TASKLANE_DATA_DIR: tempDir() }).message).not.toContain(secret);
  });
});

describe('BACKEND_URL and BACKEND_FEATURES', () => {
  it("has no backend and every feature by default: the task API is the app's own", () => {
    const env = parseEnv({ TASKLANE_DATA_DIR: tempDir() });
    expect(env.backend).toBeUndefined();
    expect(Object.values(env.taskFeatures).every(Boolean)).toBe(true);
  });

  it("takes an http(s) URL, without a trailing slash, and assumes the seeds' six routes unless BACKEND_FEATURES says more", () => {
    const env = parseEnv({ BACKEND_URL: 'http://127.0.0.1:8000/', TASKLANE_DATA_DIR: tempDir() });
    expect(env.backend).toEqual({ url: 'http://127.0.0.1:8000' });
    expect(Object.values(env.taskFeatures).some(Boolean)).toBe(false);
    expect(parseEnv({ BACKEND_URL: 'https://tasks.example.com/v2/', TASKLANE_DATA_DIR: tempDir() }).backend).toEqual({ url: 'https://tasks.example.com/v2' });
    const some = parseEnv({ BACKEND_URL: 'http://tasks:8000', BACKEND_FEATURES: 'lists, tags', TASKLANE_DATA_DIR: tempDir() }).taskFeatures;
    expect(some).toMatchObject({ lists: true, tags: true, priority: false, query: false, bulk: false, patch: false });
    expect(Object.values(parseEnv({ BACKEND_URL: 'http://tasks:8000', BACKEND_FEATURES: 'all', TASKLANE_DATA_DIR: tempDir() }).taskFeatures).every(Boolean)).toBe(true);
  });

  it('stops in one line on a URL that is not http(s), carries credentials or a query, or a feature it does not know', () => {
    expect(envError({ BACKEND_URL: 'ftp://tasks.example.com', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/^BACKEND_URL must be an http:\/\/ or https:\/\/ URL/);
    expect(envError({ BACKEND_URL: 'not a url', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/^BACKEND_URL must be an http:\/\/ or https:\/\/ URL/);
    const withPassword = envError({ BACKEND_URL: 'https://admin:hunter2-secret@tasks.example.com', TASKLANE_DATA_DIR: tempDir() }).message;
    expect(withPassword).toMatch(/must not hold a user name or password/);
    expect(withPassword).not.toContain('hunter2');
    expect(envError({ BACKEND_URL: 'https://tasks.example.com/?key=1', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/must not have a query/);
    expect(envError({ BACKEND_URL: 'http://tasks:8000', BACKEND_FEATURES: 'lists,subtasks', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(
      /^BACKEND_FEATURES names subtasks; it takes all, none, or a comma-separated list of: lists, tags/,
    );
    expect(envError({ BACKEND_FEATURES: 'all', TASKLANE_DATA_DIR: tempDir() }).message).toMatch(/set BACKEND_URL too/);
  });

  it('requires https in production, but for loopback and private addresses and names', () => {
    // Account mail off: with BACKEND_URL it is the only feature needing mail, and this is not about mail.
    const production = { NODE_ENV: 'production', BETTER_AUTH_SECRET: SECRET, DATABASE_URL: 'postgres://u@db/x', MAIL_ACCOUNTS: 'off' };
    expect(envError({ ...production, BACKEND_URL: 'http://tasks.example.com' }).message).toMatch(/^BACKEND_URL must use https in production/);
    expect(envError({ ...production, BACKEND_URL: 'http://8.8.8.8:8000' }).message).toMatch(/^BACKEND_URL must use https in production/);
    expect(envError({ ...production, BACKEND_URL: 'http://172.32.0.1' }).message).toMatch(/^BACKEND_URL must use https in production/);
    for (const url of ['http://127.0.0.1:8000', 'http://localhost:8000', 'http://[::1]:8000', 'http://10.1.2.3', 'http://172.16.5.4', 'http://192.168.1.20:8000', 'http://[fd00::1]', 'http://tasks:8000', 'http://api.internal', 'https://tasks.example.com']) {
      expect(parseEnv({ ...production, BACKEND_URL: url }).backend?.url, url).toBe(url.replace(/\/$/, ''));
    }
  });
});

describe('parseEnv: REDIS_URL', () => {
  it('takes a redis:// or rediss:// URL, and nothing by default', () => {
    expect(parseEnv({ TASKLANE_DATA_DIR: tempDir() }).redisUrl).toBeUndefined();
    for (const url of ['redis://127.0.0.1:6379', 'rediss://default:s3cret@eu1-x.upstash.io:6379']) {
      expect(parseEnv({ REDIS_URL: url, TASKLANE_DATA_DIR: tempDir() }).redisUrl).toBe(url);
    }
  });

  it('refuses another scheme or an unparsable URL, naming the variable and never the password', () => {
    for (const url of ['http://default:s3cret@redis.example.com', 'default:s3cret@redis.example.com:6379', 'redis://default:pa#s3cret@redis.example.com']) {
      const message = envError({ REDIS_URL: url, TASKLANE_DATA_DIR: tempDir() }).message;
      expect(message, url).toMatch(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      expect(message).not.toContain('s3cret');
    }
  });
});

describe('mail settings', () => {
  const production = { NODE_ENV: 'production', BETTER_AUTH_SECRET: SECRET, DATABASE_URL: 'postgres://u@db/x' };
  const withSmtp = { ...production, SMTP_URL: 'smtp://mailer:s3cret-p%40ss@smtp.example.com:587', MAIL_FROM: 'Tasklane <tasks@example.com>' };

  it('sends to the outbox outside production without SMTP_URL, from Tasklane <tasklane@localhost>, with email reminders and account mail on', () => {
    const env = parseEnv({ TASKLANE_DATA_DIR: tempDir() });
    expect(env.mail).toEqual({ transport: { kind: 'outbox' }, from: { name: 'Tasklane', address: 'tasklane@localhost' }, reminders: true, accounts: true });
  });

  it('reads SMTP_URL: host, port (587 for smtp://, 465 for smtps://), TLS, and the decoded user and password', () => {
    expect(parseEnv(withSmtp).mail.transport).toEqual({
      kind: 'smtp',
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      requireTls: true,
      auth: { user: 'mailer', pass: 's3cret-p@ss' },
    });
    expect(parseEnv({ ...withSmtp, SMTP_URL: 'smtps://u:p@smtp.example.com' }).mail.transport).toMatchObject({ port: 465, secure: true, requireTls: false });
    // On this machine or a private network (a compose service, a relay), STARTTLS is not required.
    for (const host of ['127.0.0.1:1025', 'mailpit:1025', '10.0.0.5', '[::1]:25']) {
      expect(parseEnv({ ...withSmtp, SMTP_URL: `smtp://${host}` }).mail.transport, host).toMatchObject({ requireTls: false, auth: undefined });
    }
    expect(parseEnv({ ...withSmtp, SMTP_URL: 'smtp://[::1]:25' }).mail.transport).toMatchObject({ host: '::1', port: 25 });
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps://, or has a path or query, without ever echoing its password', () => {
    for (const url of ['https://u:hunter2-secret@smtp.example.com', 'smtp://u:hunter2-secret@smtp.example.com/x', 'smtp://u:hunter2-secret@smtp.example.com?pool=true', 'not a url hunter2-secret', 'smtp://:hunter2-secret@smtp.example.com']) {
      const error = envError({ ...withSmtp, SMTP_URL: url });
      expect(error.message, url).toMatch(/^SMTP_URL /);
      expect(error.message, url).not.toContain('hunter2');
    }
    expect(envError({ ...withSmtp, SMTP_URL: 'smtp://u:%ZZhunter2@smtp.example.com' }).message).toMatch(/not valid percent-encoding/);
  });

  it('reads MAIL_FROM as an address, or a name and one; refuses anything else (a second line would be a header)', () => {
    expect(parseEnv({ ...withSmtp, MAIL_FROM: 'tasks@example.com' }).mail.from).toEqual({ name: '', address: 'tasks@example.com' });
    expect(parseEnv({ ...withSmtp, MAIL_FROM: '"Tasklane, the app" <tasks@example.com>' }).mail.from).toEqual({ name: 'Tasklane, the app', address: 'tasks@example.com' });
    for (const from of ['Tasklane', 'Tasklane <>', 'Tasklane <tasks@example.com> and more', 'Tasklane <tasks@example.com>\nBcc: x@y.z', '<tasks@exa mple.com>', 'tasks@-example.com']) {
      expect(envError({ ...withSmtp, MAIL_FROM: from }).message, from).toMatch(/^MAIL_FROM must be an email address/);
    }
  });

  it('stops production without SMTP_URL in one line naming the features that need mail and their switches', () => {
    const error = envError({ ...production, BETTER_AUTH_URL: 'ftp://x' });
    expect(error.message).toContain('BETTER_AUTH_URL');
    expect(error.message).toContain('SMTP_URL must be set in production for email reminders, password reset, email verification and email change');
    expect(error.message).toContain('turn them off with MAIL_REMINDERS=off, MAIL_ACCOUNTS=off');
    expect(error.message).not.toContain('\n');
    // One feature left on: named alone, with its own switch.
    const accountsOnly = envError({ ...production, MAIL_REMINDERS: 'off' }).message;
    expect(accountsOnly).toBe('SMTP_URL must be set in production for password reset, email verification and email change (e.g. smtp://user:password@smtp.example.com:587), or turn it off with MAIL_ACCOUNTS=off');
    expect(envError({ ...production, MAIL_ACCOUNTS: 'off' }).message).toMatch(/for email reminders \(.*turn it off with MAIL_REMINDERS=off$/);
  });

  it('lets production start without SMTP_URL when every feature needing mail is off, and then sends nothing', () => {
    const env = parseEnv({ ...production, MAIL_REMINDERS: 'off', MAIL_ACCOUNTS: 'off' });
    expect(env.mail).toMatchObject({ transport: { kind: 'none' }, reminders: false, accounts: false });
    // A BACKEND_URL service fires its own reminders: nothing here needs mail but the accounts' own.
    expect(parseEnv({ ...production, BACKEND_URL: 'https://tasks.example.com', MAIL_ACCOUNTS: 'off' }).mail.reminders).toBe(false);
    expect(envError({ ...production, BACKEND_URL: 'https://tasks.example.com' }).message).toMatch(/^SMTP_URL must be set in production for password reset, email verification and email change /);
    expect(envError({ ...production, MAIL_REMINDERS: 'off', MAIL_ACCOUNTS: 'yes' }).message).toMatch(/^MAIL_ACCOUNTS must be on \(the default\) or off/);
    // The build, and mock mode, need no mail either.
    expect(() => parseEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).not.toThrow();
    expect(envError({ ...production, MAIL_REMINDERS: 'no' }).message).toMatch(/^MAIL_REMINDERS must be on \(the default\) or off/);
  });

  it('requires MAIL_FROM with SMTP_URL in production (the development sender would be refused by real servers)', () => {
    const { MAIL_FROM: _from, ...noFrom } = withSmtp;
    expect(envError(noFrom).message).toMatch(/^MAIL_FROM must be set in production with SMTP_URL/);
    expect(parseEnv({ ...noFrom, NODE_ENV: 'development' }).mail.from).toEqual({ name: 'Tasklane', address: 'tasklane@localhost' });
  });
});
