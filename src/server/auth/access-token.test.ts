/* eslint-disable no-restricted-properties -- this test picks the in-memory database before the app loads */
import { KeyObject, sign as cryptoSign } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpProblem } from '@/lib/api/problem';

// Before any app module loads: env.ts reads DATABASE_URL once, and memory:// gives this file its
// own migrated PGlite.
process.env.DATABASE_URL = 'memory://';
const { bearerToken, verifyAccessToken, KEY_GRACE_SECONDS, MAX_TOKEN_BYTES } = await import('./access-token');
const { getDb } = await import('@/server/db/client');
const { jwks } = await import('@/server/db/schema');
const { eq } = await import('drizzle-orm');

const ISSUER = 'http://localhost:3000';
const now = () => Math.floor(Date.now() / 1000);

interface Key {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: Record<string, unknown>;
  alg: string;
}

async function storeKey(kid: string, publicJwk: Record<string, unknown> | string, alg: string | null = 'EdDSA') {
  const db = await getDb();
  await db.insert(jwks).values({
    id: kid,
    publicKey: typeof publicJwk === 'string' ? publicJwk : JSON.stringify(publicJwk),
    privateKey: 'never read by the verifier',
    createdAt: new Date(),
    alg,
    crv: alg === 'EdDSA' ? 'Ed25519' : null,
  });
}

/** A key pair; stored in the jwks table unless `store` is false (an attacker's key). */
async function makeKey(kid: string, { store = true, alg = 'EdDSA' }: { store?: boolean; alg?: 'EdDSA' | 'ES256' } = {}): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = (await exportJWK(publicKey)) as Record<string, unknown>;
  if (store) await storeKey(kid, publicJwk, alg);
  return { kid, privateKey, publicJwk, alg };
}

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'user-1', email: 'a@example.com', iat: now(), exp: now() + 60, iss: ISSUER, aud: ISSUER, ...overrides };
}

function sign(key: Key, payload: JWTPayload = claims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs header.payload with an Ed25519 key by hand, for headers jose refuses to produce. */
function signRaw(key: Key, header: Record<string, unknown>, payload: JWTPayload): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${cryptoSign(null, Buffer.from(input), KeyObject.from(key.privateKey)).toString('base64url')}`;
}

/** Asserts the token is refused with the contract's 401 and returns the problem. */
async function refusal(token: string): Promise<HttpProblem> {
  const error = await verifyAccessToken(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the token was accepted').toBeInstanceOf(HttpProblem);
  const problem = error as HttpProblem;
  expect(problem.status).toBe(401);
  expect(problem.options.headers?.['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  return problem;
}

let key: Key;

beforeAll(async () => {
  key = await makeKey('key-1');
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('verifyAccessToken: what it accepts', () => {
  it('accepts a token signed by an app key and returns its user and email', async () => {
    expect(await verifyAccessToken(await sign(key))).toEqual({ userId: 'user-1', email: 'a@example.com' });
  });

  it('returns no email when the token carries none, or not as a string', async () => {
    const withoutEmail = claims();
    delete withoutEmail.email;
    expect(await verifyAccessToken(await sign(key, withoutEmail))).toEqual({ userId: 'user-1', email: undefined });
    expect((await verifyAccessToken(await sign(key, claims({ email: 42 })))).email).toBeUndefined();
  });

  it('verifies with a legacy key row that has no alg (Better Auth rows made before the column)', async () => {
    const legacy = await makeKey('key-legacy', { store: false });
    await storeKey('key-legacy', legacy.publicJwk, null);
    expect((await verifyAccessToken(await sign(legacy))).userId).toBe('user-1');
  });

  it('verifies tokens of an ES256 key row with ES256 only', async () => {
    const ec = await makeKey('key-es256', { alg: 'ES256' });
    expect((await verifyAccessToken(await sign(ec))).userId).toBe('user-1');
    // The same kid named with another algorithm is refused: each key verifies with its own.
    const ed = await makeKey('key-es256', { store: false });
    await refusal(await sign(ed));
  });
});

describe('verifyAccessToken: expiry and clock leeway', () => {
  const T = 1_900_000_000; // a fixed "now", in seconds

  function atTime() {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T * 1000);
  }

  it('refuses an expired token and says it has expired', async () => {
    const problem = await refusal(await sign(key, claims({ iat: now() - 120, exp: now() - 30 })));
    expect(problem.detail).toMatch(/expired/i);
    expect(problem.options.headers?.['www-authenticate']).toContain('error="invalid_token"');
  });

  it('accepts a token that expired less than 5 seconds ago, and refuses one 6 seconds past', async () => {
    atTime();
    expect((await verifyAccessToken(await sign(key, claims({ iat: T - 60, exp: T - 4 })))).userId).toBe('user-1');
    const problem = await refusal(await sign(key, claims({ iat: T - 60, exp: T - 6 })));
    expect(problem.detail).toMatch(/expired/i);
  });

  it('refuses a token not valid yet (nbf in the future beyond the leeway)', async () => {
    atTime();
    const problem = await refusal(await sign(key, claims({ iat: T, exp: T + 600, nbf: T + 300 })));
    expect(problem.detail).not.toMatch(/expired/i);
  });

  it('refuses claims of the wrong type rather than guessing', async () => {
    await refusal(await sign(key, claims({ exp: String(now() + 60) as unknown as number })));
    await refusal(await sign(key, claims({ iat: 'now' as unknown as number })));
    await refusal(await sign(key, claims({ sub: 123 as unknown as string })));
  });
});

describe('verifyAccessToken: forged and malformed tokens', () => {
  it('refuses a token signed by another key under a known kid', async () => {
    const impostor = await makeKey('key-1', { store: false });
    const problem = await refusal(await sign(impostor));
    expect(problem.detail).not.toMatch(/expired/i);
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await sign(key)).split('.');
    await refusal(`${header}.${b64(claims({ sub: 'admin' }))}.${signature}`);
  });

  it('refuses alg "none" in any capitalisation, with or without a signature part', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      await refusal(`${b64({ alg, kid: key.kid })}.${b64(claims())}.`);
      await refusal(`${b64({ alg, kid: key.kid })}.${b64(claims())}.c2ln`);
      await refusal(`${b64({ alg, typ: 'JWT' })}.${b64(claims())}.`);
    }
  });

  it('refuses HS256 signed with the public key bytes (algorithm confusion)', async () => {
    const jwkBytes = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(jwkBytes));
    const rawX = Buffer.from(String(key.publicJwk.x), 'base64url');
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(rawX));
    const xText = new TextEncoder().encode(String(key.publicJwk.x));
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(xText));
  });

  it('refuses HS256 signed with the shared BETTER_AUTH_SECRET: that is ACCESS_TOKEN_ALG=HS256 only, never alongside EdDSA', async () => {
    const secret = new TextEncoder().encode(process.env.BETTER_AUTH_SECRET);
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(secret));
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' }).sign(secret));
  });

  it('never verifies with a symmetric key row, even under a matching alg', async () => {
    const secret = new Uint8Array(32).fill(7);
    await storeKey('key-oct', { kty: 'oct', k: Buffer.from(secret).toString('base64url') }, 'HS256');
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'key-oct' }).sign(secret));
  });

  it('answers 401, not a crash, for a key row it cannot use', async () => {
    const broken = await makeKey('key-broken', { store: false });
    await storeKey('key-broken', 'not json at all');
    await refusal(await sign(broken));
  });

  it('refuses a wrong issuer or audience', async () => {
    await refusal(await sign(key, claims({ iss: 'https://evil.example' })));
    await refusal(await sign(key, claims({ iss: 'http://localhost:3000/' })));
    await refusal(await sign(key, claims({ aud: 'https://other-api.example' })));
    await refusal(await sign(key, claims({ aud: ['https://other-api.example'] })));
  });

  it('refuses a token missing sub, exp, iat, iss or aud, or with an empty sub', async () => {
    for (const claim of ['sub', 'exp', 'iat', 'iss', 'aud'] as const) {
      const payload = claims();
      delete payload[claim];
      await refusal(await sign(key, payload));
    }
    await refusal(await sign(key, claims({ sub: '' })));
  });

  it('refuses a token over 8 KB before looking it up', async () => {
    const db = await getDb();
    const select = vi.spyOn(db, 'select');
    const token = await sign(key, claims({ padding: 'x'.repeat(9000) }));
    expect(token.length).toBeGreaterThan(MAX_TOKEN_BYTES);
    const problem = await refusal(token);
    expect(problem.detail).toMatch(/too large/i);
    expect(select).not.toHaveBeenCalled();
    // Just under the limit is still a token like any other.
    const fits = await sign(key, claims({ padding: 'x'.repeat(5000) }));
    expect(fits.length).toBeLessThanOrEqual(MAX_TOKEN_BYTES);
    expect((await verifyAccessToken(fits)).userId).toBe('user-1');
  });

  it('refuses unknown, path-like, SQL-like and huge kids with 401, not a crash', async () => {
    for (const kid of ['no-such-key', '../../etc/passwd', "' or 1=1 --", 'k'.repeat(10_000), '', 42, null]) {
      const problem = await refusal(await sign(key, claims(), { kid }));
      expect(problem.detail).not.toMatch(/passwd|or 1=1|kkkk/);
    }
    // A token with no kid at all.
    await refusal(signRaw(key, { alg: 'EdDSA' }, claims()));
    // The table is still intact and the real key still works.
    expect((await verifyAccessToken(await sign(key))).userId).toBe('user-1');
  });

  it('refuses tokens that carry their own key or key location (jwk, jku, x5u, x5c)', async () => {
    const attacker = await makeKey('attacker', { store: false });
    await refusal(await sign(attacker, claims(), { kid: key.kid, jwk: attacker.publicJwk }));
    // Even when the signature is good, a header that points at a key is refused.
    await refusal(await sign(key, claims(), { jwk: key.publicJwk }));
    await refusal(await sign(key, claims(), { jku: 'https://evil.example/jwks.json' }));
    await refusal(await sign(key, claims(), { x5u: 'https://evil.example/cert.pem' }));
    await refusal(await sign(key, claims(), { x5c: ['MIIB'] }));
  });

  it('refuses an unknown critical header', async () => {
    await refusal(signRaw(key, { alg: 'EdDSA', kid: key.kid, crit: ['urn:example:unknown'], 'urn:example:unknown': true }, claims()));
  });

  it('refuses garbage that is not a compact JWS', async () => {
    const good = await sign(key);
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', `${good}.x`, ` ${good}`, `${b64({ alg: 'EdDSA' })}.${b64(claims())}.sig`, '!!!.???.***', `${good.split('.')[0]}.bm90IGpzb24.${good.split('.')[2]}`]) {
      await refusal(token);
    }
  });
});

describe('key lookup', () => {
  it('finds a key added after the cache was filled, at once', async () => {
    await verifyAccessToken(await sign(key));
    // A token under a kid nobody knows yet, then that key appears (a new key pair, or another
    // instance of the app made it): its tokens verify straight away, not after a reload interval.
    const future = await makeKey('key-2', { store: false });
    await refusal(await sign(future));
    await storeKey('key-2', future.publicJwk);
    expect((await verifyAccessToken(await sign(future))).userId).toBe('user-1');
    // Both keys stay valid: tokens signed before a rotation keep working until they expire.
    expect((await verifyAccessToken(await sign(key))).userId).toBe('user-1');
  });

  it('looks a new kid up once for concurrent requests, then serves it from memory', async () => {
    const fresh = await makeKey('key-concurrent');
    const db = await getDb();
    const select = vi.spyOn(db, 'select');
    const token = await sign(fresh);
    const results = await Promise.all(Array.from({ length: 5 }, () => verifyAccessToken(token)));
    expect(results.map((r) => r.userId)).toEqual(Array(5).fill('user-1'));
    expect(select).toHaveBeenCalledTimes(1);
    await verifyAccessToken(token);
    expect(select).toHaveBeenCalledTimes(1);
  });

  it('does not query the database for a kid that cannot be a key id', async () => {
    const db = await getDb();
    const select = vi.spyOn(db, 'select');
    for (const kid of ['../../etc/passwd', "' or 1=1 --", 'a b', 'k'.repeat(129)]) await refusal(await sign(key, claims(), { kid }));
    expect(select).not.toHaveBeenCalled();
  });

  it('stops trusting a key deleted from the table within minutes', async () => {
    const temporary = await makeKey('key-temporary');
    const token = await sign(temporary, claims({ exp: now() + 3600 }));
    expect((await verifyAccessToken(token)).userId).toBe('user-1');
    await (await getDb()).delete(jwks).where(eq(jwks.id, 'key-temporary'));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60_000);
    await refusal(token);
  });

  it('verifies with a rotated-out key for the grace period after its expires_at, and not after', async () => {
    const db = await getDb();
    const rotated = await makeKey('key-rotated-recently');
    await db.update(jwks).set({ expiresAt: new Date(Date.now() - 60 * 60_000) }).where(eq(jwks.id, rotated.kid));
    expect((await verifyAccessToken(await sign(rotated))).userId).toBe('user-1');

    const retired = await makeKey('key-retired');
    await db.update(jwks).set({ expiresAt: new Date(Date.now() - (KEY_GRACE_SECONDS + 60) * 1000) }).where(eq(jwks.id, retired.kid));
    await refusal(await sign(retired));
  });

  it('lets a database failure through (the error mapper answers 503), not a 401', async () => {
    const db = await getDb();
    vi.spyOn(db, 'select').mockImplementation(() => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const other = await makeKey('key-unreachable', { store: false });
    const error = await verifyAccessToken(await sign(other)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(HttpProblem);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
  });
});

describe('verified-token cache', () => {
  it('never trusts a remembered token past its exp', async () => {
    const token = await sign(key, claims({ exp: now() + 2 }));
    expect((await verifyAccessToken(token)).userId).toBe('user-1');
    expect((await verifyAccessToken(token)).userId).toBe('user-1');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10_000);
      expect((await refusal(token)).detail).toMatch(/expired/i);
    } finally {
      vi.useRealTimers();
    }
  });

  it('remembers only the exact token that verified', async () => {
    const token = await sign(key);
    await verifyAccessToken(token);
    const [header, payload, signature] = token.split('.');
    const forged = b64({ ...claims(), sub: 'someone-else' });
    await refusal(`${header}.${forged}.${signature}`);
    // One flipped byte mid-signature (changing the last characters may not change any byte:
    // base64url's final character carries padding bits).
    const bytes = Buffer.from(signature!, 'base64url');
    bytes[10] = bytes[10]! ^ 0xff;
    await refusal(`${header}.${payload}.${bytes.toString('base64url')}`);
  });
});

describe('bearerToken', () => {
  const request = (authorization?: string) => new Request('http://x/api/me/tasks', { headers: authorization ? { authorization } : {} });

  it('reads the token of a Bearer header, in any case of the scheme', () => {
    expect(bearerToken(request('Bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(bearerToken(request('bearer x'))).toBe('x');
    expect(bearerToken(request('BEARER abc'))).toBe('abc');
    expect(bearerToken(request('Bearer   abc.def.ghi  '))).toBe('abc.def.ghi');
  });

  it('answers 401 with WWW-Authenticate: Bearer for a missing or non-Bearer header', () => {
    for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer    ', 'Token abc', 'Bearerabc', 'Bearer a b', 'abc.def.ghi']) {
      let thrown: unknown;
      try {
        bearerToken(request(header));
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `accepted ${header}`).toBeInstanceOf(HttpProblem);
      expect((thrown as HttpProblem).status).toBe(401);
      expect((thrown as HttpProblem).options.headers?.['www-authenticate']).toBe('Bearer');
    }
  });
});
