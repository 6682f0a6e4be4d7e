import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { jwt, twoFactor } from 'better-auth/plugins';
import type { JwtOptions } from 'better-auth/plugins/jwt';
import { AUTH_RATE_LIMIT, PASSWORD_MAX, PASSWORD_MIN } from '@/lib/auth-rules';
import { isTimeZone } from '@/lib/dates';
import { logEvent } from '@/server/http/log';
import { KEY_GRACE_SECONDS } from './access-token';
import { isCommonPassword } from './common-passwords';
import { refuseReusedTotp } from './totp-replay';
import { getDb, type Db } from '@/server/db/client';
import * as schema from '@/server/db/schema';
import { env } from '@/server/env';
import { consume, sharedLimiter } from '@/server/http/limiter';
import { developmentOrigin } from '@/server/http/origin';
import { changeEmailMail, RESET_LINK_SECONDS, resetPasswordMail, sendInBackground, verifyEmailMail } from '@/server/mail/account-mail';

/** Lifetime of the tokens `/api/auth/token` gives external clients. */
export const EXTERNAL_TOKEN_TTL_SECONDS = 15 * 60;
/** How long a signed session cookie cache is trusted before the session row is read again. */
export const SESSION_COOKIE_CACHE_SECONDS = 60;

const KEY_ROTATION_SECONDS = 90 * 24 * 60 * 60;
/**
 * After 10 wrong codes in a row (across sign-ins), the account's second step is locked this long
 * (Better Auth's twoFactor lockout); the auth route gives it as the 429's `Retry-After`.
 */
export const TWO_FACTOR_LOCK_SECONDS = 15 * 60;


/** Shared with the access-token signer, so its tokens carry exactly what `/token` would put in them. */
export const jwtPluginOptions = {
  jwks: {
    keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' },
    // A new signing key every 90 days; the old one still verifies (and is published) for a day
    // (docs/decisions/0006-secret-and-key-rotation.md).
    rotationInterval: KEY_ROTATION_SECONDS,
    gracePeriod: KEY_GRACE_SECONDS,
  },
  jwt: {
    issuer: env.jwtIssuer,
    audience: env.jwtAudience,
    expirationTime: `${EXTERNAL_TOKEN_TTL_SECONDS}s`,
    // The contract's claims only (sub, iat, exp, iss, aud are added by the plugin): not the
    // whole user row.
    definePayload: ({ user }) => ({ email: user.email }),
  },
  // Otherwise every get-session signs a JWT nobody asked for.
  disableSettingJwtHeader: true,
} satisfies JwtOptions;

/**
 * The least time `/request-password-reset` takes. Better Auth writes a token row only for an
 * address with an account (the mail is sent in the background): the answer waits until this much
 * has passed in every case, so its timing does not say which it was. Better Auth does the same
 * for `/send-verification-email` without a session (500 ms there).
 */
export const RESET_REQUEST_MIN_MS = 250;
const resetRequestStarts = new WeakMap<Request, number>();

/** Every endpoint that sets a password, and the body field that carries it. */
const PASSWORD_FIELDS: Record<string, string> = {
  '/sign-up/email': 'password',
  '/change-password': 'newPassword',
  '/reset-password': 'newPassword',
  '/set-password': 'newPassword',
};

/** Every endpoint that sets the user's fields, where `timezone` and `emailReminders` may come. */
const USER_FIELD_PATHS = new Set(['/sign-up/email', '/update-user']);

/** What Better Auth checks of a request before it runs: no common password, a real time zone, a boolean setting, no authenticator code twice; and when a reset request began. */
const checkRequest = createAuthMiddleware(async (ctx) => {
  const body = ctx.body as Record<string, unknown> | undefined;
  const field = PASSWORD_FIELDS[ctx.path];
  const password: unknown = field ? body?.[field] : undefined;
  if (ctx.path === '/request-password-reset' && ctx.request) resetRequestStarts.set(ctx.request, performance.now());
  if (typeof password === 'string' && isCommonPassword(password)) {
    throw new APIError('BAD_REQUEST', {
      code: 'PASSWORD_TOO_COMMON',
      message: 'This password is one of the most common ones and easy to guess. Please choose another.',
    });
  }
  if (USER_FIELD_PATHS.has(ctx.path) && body && 'timezone' in body && !isTimeZone(body.timezone)) {
    throw new APIError('BAD_REQUEST', {
      code: 'INVALID_TIMEZONE',
      message: 'timezone must be an IANA time zone such as Europe/Paris or America/New_York.',
    });
  }
  // Better Auth passes it through to PostgreSQL, which would read "no" or "0" as false.
  if (USER_FIELD_PATHS.has(ctx.path) && body && 'emailReminders' in body && typeof body.emailReminders !== 'boolean') {
    throw new APIError('BAD_REQUEST', { code: 'INVALID_EMAIL_REMINDERS', message: 'emailReminders must be true or false.' });
  }
  await refuseReusedTotp(ctx);
});

const padResetRequest = createAuthMiddleware(async (ctx) => {
  const started = ctx.path === '/request-password-reset' && ctx.request ? resetRequestStarts.get(ctx.request) : undefined;
  if (started === undefined) return;
  const remaining = RESET_REQUEST_MIN_MS - (performance.now() - started);
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
});

/** Better Auth's rate-limit step: its key (address and path) against its rule, in the shared store. */
async function consumeAuthLimit(key: string, rule: { window: number; max: number }) {
  const result = await consume(await sharedLimiter(`auth:${rule.window}s`, rule.max, rule.window), key);
  return result.allowed ? { allowed: true, retryAfter: null } : result;
}

/**
 * Which mail a verification link belongs in: Better Auth sends the sign-up's link and the
 * change-email link (to the new address) through the same sender, and only the token (a JWT it
 * signed, read here, not trusted for anything else) says which.
 */
function isChangeEmailToken(token: string): boolean {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && 'updateTo' in payload && typeof payload.updateTo === 'string';
  } catch {
    return false;
  }
}

/**
 * A user's email changes only on /verify-email, by a change-email link that was mailed to the new
 * address: following it proves that address is the person's. Better Auth keeps the old address's
 * `emailVerified` instead, which would leave a changed but unverified address (and the banner).
 */
async function verifyChangedEmail(data: Record<string, unknown>, context: { path?: string } | null) {
  if (context?.path === '/verify-email' && typeof data.email === 'string') return { data: { ...data, emailVerified: true } };
  return undefined;
}

function createAuth(db: Db) {
  return betterAuth({
    appName: 'Tasklane',
    baseURL: env.baseUrl,
    secret: env.authSecret,
    // Versioned secrets (BETTER_AUTH_SECRETS) for rotation; `secret` then only decrypts older data.
    secrets: env.authSecrets,
    // The public origin, a Vercel deployment's own URLs, and in development the address `next dev`
    // was opened at (http://127.0.0.1:3000, another port): sign-up works wherever it is served.
    trustedOrigins: (request) => [...env.trustedOrigins, ...(request ? developmentOrigin(request) : [])],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.accounts,
        verification: schema.verifications,
        jwks: schema.jwks,
        twoFactor: schema.twoFactors,
      },
    }),
    user: {
      // "Today" and "overdue" are in it (server/tasks/find.ts); the web app sets it from the
      // browser at sign-up, and the person can change it with /update-user.
      // emailReminders: whether a reminder is also mailed (server/reminders.ts); /settings sets it.
      additionalFields: {
        timezone: { type: 'string', required: false, defaultValue: 'UTC', input: true },
        emailReminders: { type: 'boolean', required: false, defaultValue: true, input: true },
      },
      // /settings' "Delete account" sends the password. Every row of the user's (sessions, tasks,
      // lists, tags, notifications, feeds, idempotency keys, two-factor secret) goes with it by ON DELETE CASCADE.
      deleteUser: { enabled: true },
      // /change-email mails a link to the new address (the sender below); the email changes when
      // it is followed, whether or not the current one was verified (updateEmailWithoutVerification
      // stays off). A taken address gets the same answer and no mail. Without account mail no link
      // could arrive: off then (400 CHANGE_EMAIL_DISABLED).
      changeEmail: { enabled: env.mail.accounts },
    },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
      autoSignIn: true,
      // MAIL_ACCOUNTS=off: no sender, and Better Auth answers /request-password-reset with 400
      // RESET_PASSWORD_DISABLED (the sign-in page shows no "Forgot password?" then).
      ...(env.mail.accounts ? { sendResetPassword: async ({ user, token }: { user: { email: string }; token: string }) => void sendInBackground({ to: user.email, ...resetPasswordMail(token) }) } : {}),
      resetPasswordTokenExpiresIn: RESET_LINK_SECONDS,
      // Whoever had the password may have sessions: a reset ends them all (CONTRACT, Revocation).
      revokeSessionsOnPasswordReset: true,
    },
    // Unverified accounts sign in and use the app; the (app) layout shows a banner until verified.
    // The same sender mails the change-email link, to the new address (`user.email` is that one).
    ...(env.mail.accounts
      ? {
          emailVerification: {
            sendOnSignUp: true,
            autoSignInAfterVerification: true,
            sendVerificationEmail: async ({ user, url, token }: { user: { email: string }; url: string; token: string }) =>
              void sendInBackground({ to: user.email, ...(isChangeEmailToken(token) ? changeEmailMail(url) : verifyEmailMail(url)) }),
          },
        }
      : {}),
    databaseHooks: { user: { update: { before: verifyChangedEmail } } },
    session: {
      // The proxy checks the session on every request: a signed cookie (60 s) spares the database.
      cookieCache: { enabled: true, maxAge: SESSION_COOKIE_CACHE_SECONDS },
    },
    rateLimit: {
      // On in production only (Better Auth's default), counted where the task API's limits are:
      // Redis, else the PostgreSQL server, else (the embedded database) memory, so instances never
      // allow twice a limit (server/http/limiter.ts). The client address is the `X-Forwarded-For`
      // that server.mjs (or Vercel) sets; see README, Security model.
      customStorage: { consume: consumeAuthLimit },
      customRules: {
        '/sign-in/email': AUTH_RATE_LIMIT,
        '/sign-up/email': AUTH_RATE_LIMIT,
        '/change-password': AUTH_RATE_LIMIT,
        // It checks the password too: no more guesses there than at sign-in.
        '/delete-user': AUTH_RATE_LIMIT,
        // The second step of sign-in (a 6-digit code is 1 in a million a guess), and enable, disable
        // and new backup codes, which check the password. Better Auth's plugin also allows 5 codes
        // per sign-in and locks the account's second step for 15 minutes after 10 wrong ones.
        '/two-factor/*': AUTH_RATE_LIMIT,
        // Each one mails an address the caller chose: as few as "Send again" (Better Auth allows 3 per 10 s).
        '/change-email': { window: 60, max: 3 },
      },
    },
    hooks: { before: checkRequest, after: padResetRequest },
    // Better Auth's own messages ("User not found", ...) as JSON lines like the app's, message only:
    // its extra arguments can carry request data.
    logger: {
      log: (level, message) => logEvent(level === 'error' || level === 'warn' ? level : 'info', 'better_auth', { message }),
    },
    plugins: [
      jwt(jwtPluginOptions),
      // Authenticator app codes (TOTP) with backup codes; /settings turns it on (a code confirms the
      // setup), and sign-in then answers `twoFactorRedirect` and asks for a code. Codes are single use
      // (totp-replay.ts).
      twoFactor({ issuer: 'Tasklane', accountLockout: { durationSeconds: TWO_FACTOR_LOCK_SECONDS } }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const holder = globalThis as typeof globalThis & { __tasklaneAuth?: Promise<Auth> };

/** Better Auth, built once per process on the lazily opened database. */
export function getAuth(): Promise<Auth> {
  holder.__tasklaneAuth ??= getDb().then(createAuth, (error: unknown) => {
    holder.__tasklaneAuth = undefined;
    throw error;
  });
  return holder.__tasklaneAuth;
}

/** Drops the cached instance (tests that reopen the database). */
export function resetAuth(): void {
  holder.__tasklaneAuth = undefined;
}
