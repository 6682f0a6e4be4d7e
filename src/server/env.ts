import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { ALL_FEATURES, FEATURE_NAMES, parseFeatures, SEED_FEATURES, type TaskFeatures } from '@/lib/api/features';

/**
 * The only reader of process.env. Everything else imports `env` from here, so configuration is
 * validated once; boot() reports a bad one in one line and stops the app, instead of a 500 later.
 */

const MIN_SECRET_LENGTH = 32;
/** Ten a second on average, with room for a burst such as "toggle all" on a long list. */
const DEFAULT_TASK_API_RATE_LIMIT = 600;

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const rawEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NEXT_PHASE: optionalString,
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(memory:\/\/|postgres(ql)?:\/\/)/, 'must be memory:// or a postgres:// URL')
      .optional(),
  ),
  DATABASE_DRIVER: optionalString.pipe(z.enum(['pg', 'neon']).optional()),
  TASKLANE_DATA_DIR: optionalString,
  BETTER_AUTH_SECRET: optionalString,
  BETTER_AUTH_SECRETS: optionalString,
  BETTER_AUTH_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  JWT_AUDIENCE: optionalString,
  ACCESS_TOKEN_ALG: optionalString.pipe(z.enum(['EdDSA', 'HS256'], 'must be EdDSA (the default) or HS256').optional()),
  ACCESS_TOKEN_SECRET: optionalString,
  ACCESS_TOKEN_SECRETS: optionalString,
  ACCESS_TOKEN_ISSUER: optionalString,
  ACCESS_TOKEN_AUDIENCE: optionalString,
  CRON_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters (e.g. from: openssl rand -base64 32)').optional()),
  BACKEND_URL: optionalString,
  BACKEND_FEATURES: optionalString,
  REDIS_URL: optionalString,
  SMTP_URL: optionalString,
  MAIL_FROM: optionalString,
  MAIL_REMINDERS: optionalString.pipe(z.enum(['on', 'off'], 'must be on (the default) or off').optional()),
  MAIL_ACCOUNTS: optionalString.pipe(z.enum(['on', 'off'], 'must be on (the default) or off').optional()),
  VERCEL: optionalString,
  // `npm run dev:mock`: the UI on the msw mock, no database (src/lib/build-flags.ts reads it in the browser).
  NEXT_PUBLIC_TASKLANE_MOCK: optionalString.pipe(z.enum(['0', '1']).optional()),
  VERCEL_PROJECT_PRODUCTION_URL: optionalString,
  // A deployment's own host names (a preview's, and its branch's), without the scheme.
  VERCEL_URL: optionalString,
  VERCEL_BRANCH_URL: optionalString,
  TASK_API_RATE_LIMIT: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,7}$/, 'must be a whole number of requests per minute (0 turns the limit off)')
      .transform(Number)
      .optional(),
  ),
  PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number (1-65535)')
      .transform(Number)
      .pipe(z.number().min(1, 'must be a port number (1-65535)').max(65535, 'must be a port number (1-65535)'))
      .optional(),
  ),
});

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | undefined }
  | { kind: 'pg' | 'neon'; url: string };

/** How access tokens are signed: the jwt plugin's rotating keys, or a secret shared with a task service. */
export type AccessTokenConfig =
  | { alg: 'EdDSA' }
  | {
      alg: 'HS256';
      /** Newest first: the first signs, every one verifies (the others until the operator removes them). */
      secrets: { version: number; value: string }[];
    };

/** An external task service the proxy forwards to instead of this app's own task API. */
export interface BackendConfig {
  /** `BACKEND_URL`, without a trailing slash; requests go to `${url}/api/{user_id}/tasks...`. */
  url: string;
}

/** Where mail goes: an SMTP server (`SMTP_URL`), or the development outbox (server/mail/outbox.ts). */
export type MailTransportConfig =
  | {
      kind: 'smtp';
      host: string;
      port: number;
      /** smtps://: TLS from the first byte (port 465); smtp://: STARTTLS when the server offers it. */
      secure: boolean;
      /** STARTTLS is required, never skipped: smtp:// to a host off this machine and private networks. */
      requireTls: boolean;
      auth: { user: string; pass: string } | undefined;
    }
  | { kind: 'outbox' }
  /** Production without SMTP_URL (every feature needing mail is off): nothing is sent. */
  | { kind: 'none' };

export interface MailConfig {
  transport: MailTransportConfig;
  /** `MAIL_FROM`, split so nodemailer quotes the name itself. */
  from: { name: string; address: string };
  /** Mail a reminder when it fires (the person may still turn it off in /settings). */
  reminders: boolean;
  /** Password reset and email verification mail (off: no "Forgot password?", no verification banner). */
  accounts: boolean;
}

export interface Env {
  nodeEnv: 'development' | 'production' | 'test';
  isBuild: boolean;
  database: DatabaseConfig;
  dataDir: string;
  /**
   * The secret Better Auth signs and encrypts with. On the embedded database without a configured
   * one it is generated into <dataDir>/auth-secret when first read (boot reads it), not at import.
   */
  readonly authSecret: string;
  /** BETTER_AUTH_SECRETS, newest first: the first signs and encrypts, the rest only decrypt. */
  authSecrets: { version: number; value: string }[] | undefined;
  /** Origin the app is served from: Better Auth's baseURL, the JWT issuer and default audience. */
  baseUrl: string;
  /** Origins whose requests may change state: `baseUrl`, and on Vercel the deployment's own URLs. */
  trustedOrigins: string[];
  /** The `iss` of access tokens, and the one the task API requires. */
  jwtIssuer: string;
  /** The `aud` of access tokens, and the one the task API requires. */
  jwtAudience: string;
  accessToken: AccessTokenConfig;
  /** `BACKEND_URL`: the proxy's task API is that service; undefined: this app's own route handlers. */
  backend: BackendConfig | undefined;
  /** What the task API behind the proxy can do; the web app hides the rest. */
  taskFeatures: TaskFeatures;
  /** The Bearer secret of `/api/cron/reminders` (Vercel Cron sends it); unset: nobody may call it. */
  cronSecret: string | undefined;
  /** On Vercel: no process lives between requests, so Vercel Cron fires reminders, not a timer. */
  vercel: boolean;
  /** `npm run dev:mock`: no database is opened; the browser talks to the msw mock. */
  mock: boolean;
  /** Task API requests per user per minute, across every instance; 0 turns the limit off. */
  taskApiRateLimit: number;
  /** `REDIS_URL`: where the rate limits count when set (server/http/limiter.ts). */
  redisUrl: string | undefined;
  mail: MailConfig;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

function chooseDatabase(url: string | undefined, driver: 'pg' | 'neon' | undefined, dataDir: string): DatabaseConfig {
  if (url === undefined) return { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') };
  if (url === 'memory://') return { kind: 'pglite', dataDir: undefined };
  // Not `new URL(url)` bare: its TypeError carries the whole URL, password included, as `input`.
  const parsed = URL.parse(url);
  if (parsed === null) {
    throw new EnvError('DATABASE_URL is not a valid URL (percent-encode special characters such as # / ? @ in the password)');
  }
  const host = parsed.hostname;
  return { kind: driver ?? (host.endsWith('.neon.tech') ? 'neon' : 'pg'), url };
}

/**
 * A secret for the embedded database only: generated once and kept beside the data, so sessions
 * survive restarts on a machine where nobody configured anything. The file appears complete or not
 * at all (written aside, then hard-linked into place: `link` fails if another process got there
 * first, so two processes racing here agree on one secret). A file that is nevertheless damaged
 * (emptied by hand, truncated by a full disk) stops the app rather than signing with a weak key.
 */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  mkdirSync(dataDir, { recursive: true });
  const staging = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(staging, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(staging, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(staging, { force: true });
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new EnvError(
      `${file} holds ${secret.length} characters, fewer than ${MIN_SECRET_LENGTH}; delete it to generate a new secret (sessions signed with the old one end) or set BETTER_AUTH_SECRET`,
    );
  }
  return secret;
}

/** `2:new-secret,1:old-secret`, Better Auth's format; never echoes a secret in its errors. */
function parseSecrets(list: string, name = 'BETTER_AUTH_SECRETS'): { version: number; value: string }[] {
  const secrets = list.split(',').map((entry, index) => {
    const match = /^\s*(\d{1,6}):(.*?)\s*$/.exec(entry);
    if (!match) throw new EnvError(`${name} entry ${index + 1} is not <version>:<secret>`);
    if (match[2]!.length < MIN_SECRET_LENGTH) {
      throw new EnvError(`${name} entry ${index + 1} is shorter than ${MIN_SECRET_LENGTH} characters`);
    }
    return { version: Number(match[1]), value: match[2]! };
  });
  if (new Set(secrets.map((secret) => secret.version)).size !== secrets.length) {
    throw new EnvError(`${name} repeats a version`);
  }
  return secrets;
}

/** Addresses a production app may reach over plain http: this machine, and private networks. */
const PRIVATE_NETWORKS = new BlockList();
PRIVATE_NETWORKS.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE_NETWORKS.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE_NETWORKS.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE_NETWORKS.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE_NETWORKS.addAddress('::1', 'ipv6');
PRIVATE_NETWORKS.addSubnet('fc00::', 7, 'ipv6');

/**
 * A host whose traffic stays off the internet: a loopback or private address written as such, or a
 * name that cannot be a public one (`localhost`, a single label such as a compose service `tasks`,
 * `*.internal`, `*.local`). A public name resolving to a private address does not count: whether
 * it does can change after boot.
 */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const family = isIP(host);
  if (family !== 0) return PRIVATE_NETWORKS.check(host, family === 4 ? 'ipv4' : 'ipv6');
  return !host.includes('.') || /\.(localhost|internal|local)$/.test(host);
}

/** `BACKEND_URL`, checked: an http(s) base URL the proxy can append `/api/...` to. */
function parseBackendUrl(value: string, production: boolean): BackendConfig {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new EnvError('BACKEND_URL must be an http:// or https:// URL, e.g. https://tasks.example.com');
  }
  if (url.username || url.password) throw new EnvError('BACKEND_URL must not hold a user name or password (the proxy sends each user their own token)');
  if (url.search || url.hash) throw new EnvError('BACKEND_URL must not have a query or fragment: the proxy appends /api/{user_id}/tasks to it');
  if (production && url.protocol === 'http:' && !isPrivateHost(url.hostname)) {
    throw new EnvError(
      'BACKEND_URL must use https in production, unless it is a loopback or private address (127.0.0.1, 10.x, 172.16-31.x, 192.168.x, fc00::/7) or a private name (localhost, a single label such as http://tasks:8000, *.internal)',
    );
  }
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** `REDIS_URL`, checked without ever quoting it (it may hold a password). */
function parseRedisUrl(value: string): string {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    throw new EnvError('REDIS_URL must be a redis:// or rediss:// URL, e.g. rediss://default:<password>@<host>:6379 (percent-encode special characters in the password)');
  }
  return value;
}

const DEFAULT_SMTP_PORTS = { 'smtp:': 587, 'smtps:': 465 } as const;

/** `SMTP_URL`, checked without ever quoting it (it holds a password). */
function parseSmtpUrl(value: string): MailTransportConfig {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new EnvError('SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:password@smtp.example.com:587 (percent-encode special characters in the password)');
  }
  if (url.search || url.hash || (url.pathname !== '' && url.pathname !== '/')) {
    throw new EnvError('SMTP_URL must be only smtp(s)://user:password@host:port, without a path, query or fragment');
  }
  if (url.password && !url.username) throw new EnvError('SMTP_URL has a password but no user name');
  let auth: { user: string; pass: string } | undefined;
  try {
    auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
  } catch {
    throw new EnvError('SMTP_URL has a user name or password that is not valid percent-encoding');
  }
  const secure = url.protocol === 'smtps:';
  return {
    kind: 'smtp',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : DEFAULT_SMTP_PORTS[url.protocol as 'smtp:' | 'smtps:'],
    secure,
    // Reminders carry task titles, and the URL a password: off this machine and private networks,
    // plain smtp:// must upgrade with STARTTLS or not send at all.
    requireTls: !secure && !isPrivateHost(url.hostname),
    auth,
  };
}

/** The development sender when MAIL_FROM is unset (never in production). */
const DEVELOPMENT_FROM = { name: 'Tasklane', address: 'tasklane@localhost' };

/** `MAIL_FROM`: `address@host` or `Name <address@host>`, on one line (it becomes a header). */
function parseMailFrom(value: string): { name: string; address: string } {
  const match = /^(?:(?:"([^"\r\n]*)"|([^<>"\r\n]*?))\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
  const address = match?.[3] ?? match?.[4];
  if (!match || !address || !/^[^@\s]+@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(address)) {
    throw new EnvError('MAIL_FROM must be an email address, or a name and one: Tasklane <tasklane@example.com>');
  }
  return { name: (match[1] ?? match[2] ?? '').trim(), address };
}

/** `BACKEND_FEATURES`; without a BACKEND_URL the task API is this app's own, which does everything. */
function chooseFeatures(hasBackend: boolean, value: string | undefined): TaskFeatures {
  if (value !== undefined && !hasBackend) throw new EnvError('BACKEND_FEATURES describes a BACKEND_URL service; set BACKEND_URL too, or unset it');
  if (!hasBackend) return ALL_FEATURES;
  if (value === undefined) return SEED_FEATURES;
  const features = parseFeatures(value);
  if ('unknown' in features) {
    throw new EnvError(`BACKEND_FEATURES names ${features.unknown.join(', ')}; it takes all, none, or a comma-separated list of: ${FEATURE_NAMES.join(', ')}`);
  }
  return features;
}

/**
 * The configuration `source` describes, or one EnvError listing every problem in it. Nothing is
 * read or written on disk here: a generated secret (embedded database only) is read, or made, the
 * first time `authSecret` is read, which boot() does first.
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const problems: string[] = [];
  /** Runs a check, keeping its EnvError in the list instead of stopping at it. */
  const check = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };

  // Each variable on its own, so every invalid one is reported, not the first.
  const raw: Partial<z.infer<typeof rawEnvSchema>> = {};
  for (const [name, schema] of Object.entries(rawEnvSchema.shape)) {
    const parsed = schema.safeParse(source[name]);
    if (parsed.success) (raw as Record<string, unknown>)[name] = parsed.data;
    else problems.push(`${name} ${parsed.error.issues[0]!.message}`);
  }
  const nodeEnv = raw.NODE_ENV ?? 'development';
  const isBuild = raw.NEXT_PHASE === 'phase-production-build';
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.TASKLANE_DATA_DIR ?? '.data');
  const database = check(() => chooseDatabase(raw.DATABASE_URL, raw.DATABASE_DRIVER, dataDir));
  const mock = raw.NEXT_PUBLIC_TASKLANE_MOCK === '1';
  if (mock && nodeEnv === 'production' && !isBuild) {
    problems.push('NEXT_PUBLIC_TASKLANE_MOCK=1 is for development only (npm run dev:mock); unset it to serve the app');
  }

  const baseUrl = new URL(
    raw.BETTER_AUTH_URL ??
      (raw.VERCEL_PROJECT_PRODUCTION_URL
        ? `https://${raw.VERCEL_PROJECT_PRODUCTION_URL}`
        : `http://localhost:${raw.PORT ?? 3000}`),
  ).origin;

  // On Vercel the file system is read-only but for /tmp, which each instance has alone: the
  // embedded database has nowhere to live.
  if (raw.VERCEL !== undefined && raw.DATABASE_URL === undefined && !isBuild && !mock) {
    problems.push('DATABASE_URL must be set on Vercel (a Neon or other PostgreSQL URL): the embedded database needs a writable folder that lasts, which Vercel has not');
  }
  // The public origin, and on Vercel the deployment's own addresses (a preview is opened there).
  const trustedOrigins = [
    ...new Set([baseUrl, ...[raw.VERCEL_URL, raw.VERCEL_BRANCH_URL].filter((host) => host !== undefined).map((host) => `https://${host}`)]),
  ];

  const authSecrets = raw.BETTER_AUTH_SECRETS === undefined ? undefined : check(() => parseSecrets(raw.BETTER_AUTH_SECRETS!));
  const configuredSecret = raw.BETTER_AUTH_SECRET ?? authSecrets?.[0]!.value;
  const secretRequired = (database !== undefined && database.kind !== 'pglite') || raw.VERCEL !== undefined;
  if (configuredSecret !== undefined && configuredSecret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `BETTER_AUTH_SECRET is ${configuredSecret.length} characters; it must be at least ${MIN_SECRET_LENGTH} (generate one with: openssl rand -base64 32)`,
    );
  }
  if (configuredSecret === undefined && secretRequired && !isBuild) {
    problems.push('BETTER_AUTH_SECRET must be set (at least 32 characters, e.g. from: openssl rand -base64 32) when DATABASE_URL is set or on Vercel');
  }

  // HS256: a task service verifies with a secret it shares with this app (the seeds' way).
  const alg = raw.ACCESS_TOKEN_ALG ?? 'EdDSA';
  if (alg !== 'HS256' && (raw.ACCESS_TOKEN_SECRET !== undefined || raw.ACCESS_TOKEN_SECRETS !== undefined)) {
    problems.push('ACCESS_TOKEN_SECRET and ACCESS_TOKEN_SECRETS sign HS256 tokens only; set ACCESS_TOKEN_ALG=HS256, or unset them');
  }
  if (raw.ACCESS_TOKEN_SECRET !== undefined && raw.ACCESS_TOKEN_SECRET.length < MIN_SECRET_LENGTH) {
    problems.push(`ACCESS_TOKEN_SECRET is ${raw.ACCESS_TOKEN_SECRET.length} characters; it must be at least ${MIN_SECRET_LENGTH}`);
  }
  const tokenSecrets =
    raw.ACCESS_TOKEN_SECRETS !== undefined
      ? check(() => parseSecrets(raw.ACCESS_TOKEN_SECRETS!, 'ACCESS_TOKEN_SECRETS'))
      : raw.ACCESS_TOKEN_SECRET !== undefined
        ? [{ version: 0, value: raw.ACCESS_TOKEN_SECRET }]
        : (authSecrets ?? (raw.BETTER_AUTH_SECRET === undefined ? undefined : [{ version: 0, value: raw.BETTER_AUTH_SECRET }]));
  if (alg === 'HS256' && tokenSecrets === undefined && raw.ACCESS_TOKEN_SECRETS === undefined && !isBuild && !mock) {
    problems.push('ACCESS_TOKEN_ALG=HS256 signs with a secret the task service shares: set ACCESS_TOKEN_SECRET (or BETTER_AUTH_SECRET) to the same value on both sides');
  }
  const backend = raw.BACKEND_URL === undefined ? undefined : check(() => parseBackendUrl(raw.BACKEND_URL!, nodeEnv === 'production'));
  if (backend !== undefined && mock) problems.push('BACKEND_URL and NEXT_PUBLIC_TASKLANE_MOCK=1 exclude each other: the mock is the backend in mock mode');
  const taskFeatures = check(() => chooseFeatures(raw.BACKEND_URL !== undefined, raw.BACKEND_FEATURES));
  const redisUrl = raw.REDIS_URL === undefined ? undefined : check(() => parseRedisUrl(raw.REDIS_URL!));

  // Mail: SMTP_URL in production; without it, the development outbox (never in production).
  const production = nodeEnv === 'production' && !isBuild;
  const smtp = raw.SMTP_URL === undefined ? undefined : check(() => parseSmtpUrl(raw.SMTP_URL!));
  const from = raw.MAIL_FROM === undefined ? undefined : check(() => parseMailFrom(raw.MAIL_FROM!));
  // Each feature that sends mail, and the switch that lets production run without SMTP_URL. With
  // BACKEND_URL the tasks, and their reminders, are that service's: nothing here fires them.
  const mailFeatures = {
    reminders: { name: 'email reminders', on: raw.MAIL_REMINDERS !== 'off' && raw.BACKEND_URL === undefined, off: 'MAIL_REMINDERS=off' },
    accounts: { name: 'password reset, email verification and email change', on: raw.MAIL_ACCOUNTS !== 'off', off: 'MAIL_ACCOUNTS=off' },
  };
  const needMail = Object.values(mailFeatures).filter((feature) => feature.on);
  if (production && !mock && raw.SMTP_URL === undefined && needMail.length > 0) {
    problems.push(
      `SMTP_URL must be set in production for ${needMail.map((feature) => feature.name).join(', ')} (e.g. smtp://user:password@smtp.example.com:587), or turn ${needMail.length > 1 ? 'them' : 'it'} off with ${needMail.map((feature) => feature.off).join(', ')}`,
    );
  }
  if (production && !mock && raw.SMTP_URL !== undefined && raw.MAIL_FROM === undefined) {
    problems.push('MAIL_FROM must be set in production with SMTP_URL: the sender of the app’s mail, e.g. Tasklane <tasklane@example.com>');
  }

  if (problems.length > 0 || database === undefined || taskFeatures === undefined) throw new EnvError(problems.join('; '));

  // The embedded database keeps a generated secret beside its data (sessions survive restarts);
  // elsewhere without one (memory://, mock mode, the build) a throwaway one does.
  const keepsLocalSecret = configuredSecret === undefined && database.kind === 'pglite' && database.dataDir !== undefined && !isBuild && !mock;
  let secret = configuredSecret ?? (keepsLocalSecret ? undefined : randomBytes(32).toString('base64url'));
  const env = {
    nodeEnv,
    isBuild,
    database,
    dataDir,
    authSecrets,
    baseUrl,
    trustedOrigins,
    jwtIssuer: raw.ACCESS_TOKEN_ISSUER ?? baseUrl,
    jwtAudience: raw.ACCESS_TOKEN_AUDIENCE ?? raw.JWT_AUDIENCE ?? baseUrl,
    accessToken:
      alg === 'HS256' ? { alg, secrets: tokenSecrets ?? [{ version: 0, value: randomBytes(32).toString('base64url') }] } : { alg },
    backend,
    taskFeatures,
    cronSecret: raw.CRON_SECRET,
    vercel: raw.VERCEL !== undefined,
    mock,
    taskApiRateLimit: raw.TASK_API_RATE_LIMIT ?? DEFAULT_TASK_API_RATE_LIMIT,
    redisUrl,
    mail: {
      transport: smtp ?? (nodeEnv === 'production' ? { kind: 'none' } : { kind: 'outbox' }),
      from: from ?? DEVELOPMENT_FROM,
      reminders: mailFeatures.reminders.on,
      accounts: mailFeatures.accounts.on,
    },
  };
  return Object.defineProperty(env, 'authSecret', {
    enumerable: true,
    get: () => (secret ??= localSecret(dataDir)),
  }) as Env;
}

/** The app's configuration, from process.env; an invalid one throws an EnvError here, which boot() reports in one line. */
export const env: Env = parseEnv(process.env);
