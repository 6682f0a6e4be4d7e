import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { problems } from '@/lib/api/problem';
import { getDb } from '@/server/db/client';
import { jwks } from '@/server/db/schema';
import { env } from '@/server/env';

/**
 * The one gate of the task API: every Bearer token, an external client's or the proxy's, is
 * verified here against the app's own keys, read from the `jwks` table and cached in memory.
 * Nothing in the token's header is used to find a key beyond its `kid`.
 */

export const MAX_TOKEN_BYTES = 8 * 1024;
const ALLOWED_ALGORITHMS = new Set(['EdDSA', 'ES256', 'ES512', 'PS256', 'RS256']);
const CLOCK_TOLERANCE_SECONDS = 5;
/** An unknown kid reloads the keys at most this often, so random kids cannot hammer the database. */
const KEY_RELOAD_INTERVAL_MS = 10_000;
const KID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export interface AccessTokenClaims {
  userId: string;
  email: string | undefined;
}

interface VerificationKey {
  alg: string;
  key: CryptoKey | Uint8Array;
}

interface KeyCache {
  keys: Map<string, VerificationKey>;
  loadedAt: number;
  loading: Promise<void> | undefined;
}

const holder = globalThis as typeof globalThis & { __tasklaneKeys?: KeyCache };
const cache: KeyCache = (holder.__tasklaneKeys ??= { keys: new Map(), loadedAt: 0, loading: undefined });

async function loadKeys(): Promise<void> {
  const db = await getDb();
  const rows = await db.select({ id: jwks.id, publicKey: jwks.publicKey, alg: jwks.alg }).from(jwks);
  const keys = new Map<string, VerificationKey>();
  for (const row of rows) {
    const alg = row.alg ?? 'EdDSA';
    if (!ALLOWED_ALGORITHMS.has(alg)) continue;
    try {
      keys.set(row.id, { alg, key: await importJWK(JSON.parse(row.publicKey) as JWK, alg) });
    } catch {
      // A key row we cannot use verifies nothing; the others still do.
    }
  }
  cache.keys = keys;
  cache.loadedAt = Date.now();
}

async function findKey(kid: string): Promise<VerificationKey | undefined> {
  const known = cache.keys.get(kid);
  if (known) return known;
  if (Date.now() - cache.loadedAt >= KEY_RELOAD_INTERVAL_MS || cache.loadedAt === 0) {
    cache.loading ??= loadKeys().finally(() => {
      cache.loading = undefined;
    });
    await cache.loading;
  } else if (cache.loading) {
    await cache.loading;
  }
  return cache.keys.get(kid);
}

/** Forgets cached keys (tests that rotate or swap databases). */
export function forgetVerificationKeys(): void {
  cache.keys = new Map();
  cache.loadedAt = 0;
}

export async function verifyAccessToken(token: string): Promise<AccessTokenClaims> {
  if (token.length > MAX_TOKEN_BYTES) throw problems.invalidToken('The access token is too large.');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw problems.invalidToken();

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw problems.invalidToken();
  }
  const { alg, kid } = header;
  if (typeof alg !== 'string' || !ALLOWED_ALGORITHMS.has(alg)) throw problems.invalidToken();
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw problems.invalidToken();
  if ('jku' in header || 'x5u' in header || 'jwk' in header || 'x5c' in header) throw problems.invalidToken();

  const key = await findKey(kid);
  // Each key verifies with the one algorithm it was made for.
  if (!key || key.alg !== alg) throw problems.invalidToken();

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      issuer: env.baseUrl,
      audience: env.jwtAudience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'sub', 'iss', 'aud'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw problems.expiredToken();
    throw problems.invalidToken();
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') throw problems.invalidToken();
  return { userId: payload.sub, email: typeof payload.email === 'string' ? payload.email : undefined };
}

/** The token of an `Authorization: Bearer <token>` header (401 without one). */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer +([^\s]+) *$/i.exec(header) : null;
  if (!match) throw problems.missingToken();
  return match[1]!;
}
