import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { jwt } from 'better-auth/plugins';
import { getDb, type Db } from '@/server/db/client';
import * as schema from '@/server/db/schema';
import { env } from '@/server/env';

/** Lifetime of the tokens `/api/auth/token` gives external clients. */
export const EXTERNAL_TOKEN_TTL_SECONDS = 15 * 60;
/** How long a signed session cookie cache is trusted before the session row is read again. */
export const SESSION_COOKIE_CACHE_SECONDS = 60;

function createAuth(db: Db) {
  return betterAuth({
    appName: 'Tasklane',
    baseURL: env.baseUrl,
    secret: env.authSecret,
    trustedOrigins: [env.baseUrl],
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.accounts,
        verification: schema.verifications,
        jwks: schema.jwks,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
    },
    session: {
      // The proxy checks the session on every request: a signed cookie (60 s) spares the database.
      cookieCache: { enabled: true, maxAge: SESSION_COOKIE_CACHE_SECONDS },
    },
    plugins: [
      jwt({
        jwks: { keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' } },
        jwt: {
          issuer: env.baseUrl,
          audience: env.jwtAudience,
          expirationTime: `${EXTERNAL_TOKEN_TTL_SECONDS}s`,
          // The contract's claims only (sub, iat, exp, iss, aud are added by the plugin): not the
          // whole user row.
          definePayload: ({ user }) => ({ email: user.email }),
        },
        // Otherwise every get-session signs a JWT nobody asked for.
        disableSettingJwtHeader: true,
      }),
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
