import { decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { eq } from 'drizzle-orm';
import { HttpProblem, problems } from '@/lib/api/problem';
import { expiringCache } from '@/server/cache';
import { getDb } from '@/server/db/client';
import { jwks } from '@/server/db/schema';
import { env } from '@/server/env';

/**
 * The one gate of the task API: every Bearer token, an external client's or the proxy's, is
 * verified here against the app's own keys, read from the `jwks` table and cached in memory.
 * Nothing in the token's header is used to find a key beyond its `kid`.
 */

export const MAX_TOKEN_BYTES = 8 * 1024;
/** The JWS `typ` of task API tokens (RFC 9068); see sign-access-token.ts. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const ALLOWED_ALGORITHMS = new Set(['EdDSA', 'ES256', 'ES512', 'PS256', 'RS256']);
const CLOCK_TOLERANCE_SECONDS = 5;
/** A cached key is looked up again after this long, so a key deleted from the table stops verifying. */
const KEY_TTL_MS = 5 * 60_000;
/**
 * Keys rotate (see auth.ts): a key past its `expires_at` signs nothing new, and verifies for this
 * long afterwards, comfortably more than the longest token lifetime (15 minutes)
 * (docs/decisions/0006-secret-and-key-rotation.md).
 */
export const KEY_GRACE_SECONDS = 24 * 60 * 60;
const KID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const ACCEPTED_TYPES = new Set([ACCESS_TOKEN_TYPE, `application/${ACCESS_TOKEN_TYPE}`]);
/**
 * A token that verified is trusted again, without its signature check, for at most this long (and
 * never past its `exp`, nor past its key's next look-up): clients resend the same token, and the
 * signature check is costly (docs/decisions/0003-short-lived-trust-caches.md).
 */
const VERIFIED_TTL_MS = 60_000;

export interface AccessTokenClaims {
  userId: string;
  email: string | undefined;
}

interface VerificationKey {
  alg: string;
  key: CryptoKey | Uint8Array;
  loadedAt: number;
  /** Epoch ms after which the key verifies nothing (rotated out, grace period over). */
  retiresAt: number;
}

/** Keys by kid, until their next look-up; and each kid's look-up in flight, shared by concurrent requests. */
const keys = expiringCache<VerificationKey>('verification-keys', 1_000);
const pendingHolder = globalThis as typeof globalThis & { __tasklaneKeyLookups?: Map<string, Promise<VerificationKey | undefined>> };
const pending = (pendingHolder.__tasklaneKeyLookups ??= new Map());
/** Tokens that verified, trusted again until `until` (see VERIFIED_TTL_MS). See server/cache.ts for the chain. */
const verifiedTokens = expiringCache<AccessTokenClaims>('verified-tokens', 10_000);

/**
 * One key by id, by primary key, looked up the first time its kid is seen so a fresh key verifies at
 * once; a flood of unknown kids is bounded by countFailedAuthentication in http/rate-limit.ts
 * (docs/decisions/0010-signing-keys-from-the-database.md).
 */
async function loadKey(kid: string): Promise<VerificationKey | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ publicKey: jwks.publicKey, alg: jwks.alg, expiresAt: jwks.expiresAt })
    .from(jwks)
    .where(eq(jwks.id, kid));
  if (!row) return undefined;
  const retiresAt = row.expiresAt ? row.expiresAt.getTime() + KEY_GRACE_SECONDS * 1000 : Number.POSITIVE_INFINITY;
  const alg = row.alg ?? 'EdDSA';
  if (!ALLOWED_ALGORITHMS.has(alg)) return undefined;
  try {
    return { alg, key: await importJWK(JSON.parse(row.publicKey) as JWK, alg), loadedAt: Date.now(), retiresAt };
  } catch {
    return undefined; // a key row we cannot use verifies nothing
  }
}

async function findKey(kid: string): Promise<VerificationKey | undefined> {
  const cached = keys.get(kid);
  if (cached) return cached;
  let lookup = pending.get(kid);
  if (!lookup) {
    lookup = loadKey(kid).finally(() => pending.delete(kid));
    pending.set(kid, lookup);
  }
  const key = await lookup;
  if (key) keys.set(kid, key, key.loadedAt + KEY_TTL_MS);
  else keys.delete(kid);
  return key;
}

/** The HMAC key of a shared secret: its UTF-8 bytes, as python-jose and PyJWT take a `str` secret. */
export function hs256Key(secret: string): Uint8Array {
  let key = hmacKeys.get(secret);
  if (!key) hmacKeys.set(secret, (key = new TextEncoder().encode(secret)));
  return key;
}
const hmacKeys = new Map<string, Uint8Array>();

/** The header's checks, common to both modes: the one algorithm family, no key pointers, our `typ`. */
function checkHeader(token: string, algorithms: ReadonlySet<string>): ReturnType<typeof decodeProtectedHeader> & { alg: string } {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw problems.invalidToken();
  }
  const { alg } = header;
  if (typeof alg !== 'string' || !algorithms.has(alg)) throw problems.invalidToken();
  if ('jku' in header || 'x5u' in header || 'jwk' in header || 'x5c' in header) throw problems.invalidToken();
  // Only tokens minted for this API (RFC 9068), never another JWT signed with the same keys.
  if (typeof header.typ !== 'string' || !ACCEPTED_TYPES.has(header.typ.toLowerCase())) throw problems.invalidToken();
  return { ...header, alg };
}

async function verifyClaims(token: string, key: CryptoKey | Uint8Array, alg: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, key, {
    algorithms: [alg],
    issuer: env.jwtIssuer,
    audience: env.jwtAudience,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp', 'iat', 'sub', 'iss', 'aud'],
  });
  if (typeof payload.sub !== 'string' || payload.sub === '') throw problems.invalidToken();
  return payload;
}

/** A token refused: expired (when its signature held), or invalid for any other reason. */
function refusal(error: unknown): unknown {
  if (error instanceof joseErrors.JWTExpired) return problems.expiredToken();
  return error instanceof HttpProblem ? error : problems.invalidToken();
}

/** An EdDSA (or other asymmetric) token: the key its `kid` names, from the app's own key table. */
async function verifyWithKeys(token: string): Promise<{ payload: JWTPayload; trustUntil: number }> {
  const { alg, kid } = checkHeader(token, ALLOWED_ALGORITHMS);
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw problems.invalidToken();
  const key = await findKey(kid);
  // Each key verifies with the one algorithm it was made for, until it retires.
  if (!key || key.alg !== alg || Date.now() > key.retiresAt) throw problems.invalidToken();
  try {
    return { payload: await verifyClaims(token, key.key, key.alg), trustUntil: Math.min(key.loadedAt + KEY_TTL_MS, key.retiresAt) };
  } catch (error) {
    throw refusal(error);
  }
}

/**
 * An HS256 token (`ACCESS_TOKEN_ALG=HS256`): HS256 only, so a token can never pick its own
 * verification (no algorithm confusion with the public keys); each configured secret is tried,
 * newest first, so tokens signed before a rotation verify until the old secret is removed.
 */
async function verifyWithSecrets(token: string, secrets: readonly { value: string }[]): Promise<{ payload: JWTPayload; trustUntil: number }> {
  checkHeader(token, HS256_ONLY);
  for (const secret of secrets) {
    try {
      return { payload: await verifyClaims(token, hs256Key(secret.value), 'HS256'), trustUntil: Number.POSITIVE_INFINITY };
    } catch (error) {
      if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) throw refusal(error);
    }
  }
  throw problems.invalidToken();
}
const HS256_ONLY = new Set(['HS256']);

export async function verifyAccessToken(token: string): Promise<AccessTokenClaims> {
  if (token.length > MAX_TOKEN_BYTES) throw problems.invalidToken('The access token is too large.');
  const verified = verifiedTokens.get(token);
  if (verified) return verified;
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw problems.invalidToken();

  const { payload, trustUntil } =
    env.accessToken.alg === 'HS256' ? await verifyWithSecrets(token, env.accessToken.secrets) : await verifyWithKeys(token);
  const claims = { userId: payload.sub!, email: typeof payload.email === 'string' ? payload.email : undefined };
  verifiedTokens.set(token, claims, Math.min(payload.exp! * 1000, Date.now() + VERIFIED_TTL_MS, trustUntil));
  return claims;
}

/** The token of an `Authorization: Bearer <token>` header (401 without one). */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer +([^\s]+) *$/i.exec(header) : null;
  if (!match) throw problems.missingToken();
  return match[1]!;
}
