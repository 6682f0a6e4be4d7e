/* eslint-disable no-restricted-properties -- this test picks the in-memory database before the app loads */
import { KeyObject, sign as cryptoSign } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpProblem } from '@/lib/api/problem';

process.env.DATABASE_URL = 'memory://';
const { bearerToken, verifyAccessToken } = await import('./access-token');
const { getDb } = await import('@/server/db/client');
const { jwks } = await import('@/server/db/schema');

const ISSUER = 'http://localhost:3000';
const now = () => Math.floor(Date.now() / 1000);

interface Key {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: Record<string, unknown>;
}

async function makeKey(kid: string, store = true): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk = (await exportJWK(publicKey)) as Record<string, unknown>;
  if (store) {
    const db = await getDb();
    await db.insert(jwks).values({ id: kid, publicKey: JSON.stringify(publicJwk), privateKey: 'unused', createdAt: new Date(), alg: 'EdDSA', crv: 'Ed25519' });
  }
  return { kid, privateKey, publicJwk };
}

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'user-1', email: 'a@example.com', iat: now(), exp: now() + 60, iss: ISSUER, aud: ISSUER, ...overrides };
}

function sign(key: Key, payload: JWTPayload = claims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, ...header }).sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function refusal(token: string): Promise<HttpProblem> {
  const error = await verifyAccessToken(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpProblem);
  const problem = error as HttpProblem;
  expect(problem.status).toBe(401);
  expect(problem.options.headers?.['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  return problem;
}

let key: Key;

beforeAll(async () => {
  key = await makeKey('key-1');
});

describe('verifyAccessToken', () => {
  it('accepts a token signed by an app key and returns its user', async () => {
    expect(await verifyAccessToken(await sign(key))).toEqual({ userId: 'user-1', email: 'a@example.com' });
  });

  it('refuses an expired token and says so', async () => {
    const problem = await refusal(await sign(key, claims({ iat: now() - 120, exp: now() - 30 })));
    expect(problem.detail).toMatch(/expired/i);
  });

  it('allows a few seconds of clock skew, no more', async () => {
    expect((await verifyAccessToken(await sign(key, claims({ exp: now() - 2 })))).userId).toBe('user-1');
    await refusal(await sign(key, claims({ exp: now() - 30 })));
  });

  it('refuses a token signed by another key under a known kid', async () => {
    const impostor = await makeKey('key-1', false);
    await refusal(await sign(impostor));
  });

  it('refuses alg "none" in any capitalisation', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await refusal(`${b64({ alg, kid: key.kid })}.${b64(claims())}.`);
      await refusal(`${b64({ alg, kid: key.kid })}.${b64(claims())}.c2ln`);
    }
  });

  it('refuses HS256 signed with the public key bytes (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(secret);
    await refusal(token);
    const rawX = Buffer.from(String(key.publicJwk.x), 'base64url');
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(rawX));
  });

  it('refuses a wrong issuer or audience', async () => {
    await refusal(await sign(key, claims({ iss: 'https://evil.example' })));
    await refusal(await sign(key, claims({ aud: 'https://other-api.example' })));
  });

  it('refuses a token missing sub, exp, iat, iss or aud', async () => {
    for (const claim of ['sub', 'exp', 'iat', 'iss', 'aud'] as const) {
      const payload = claims();
      delete payload[claim];
      await refusal(await sign(key, payload));
    }
    await refusal(await sign(key, claims({ sub: '' })));
  });

  it('refuses a token not valid yet (nbf in the future)', async () => {
    await refusal(await sign(key, claims({ nbf: now() + 300 })));
  });

  it('refuses a token over 8 KB before looking at it', async () => {
    const problem = await refusal(await sign(key, claims({ padding: 'x'.repeat(9000) })));
    expect(problem.detail).toMatch(/too large/i);
  });

  it('refuses unknown, path-like, SQL-like and huge kids with 401, not a crash', async () => {
    for (const kid of ['no-such-key', '../../etc/passwd', "' or 1=1 --", 'k'.repeat(10_000)]) {
      await refusal(await sign(key, claims(), { kid }));
    }
  });

  it('refuses tokens that carry their own key or key location (jwk, jku, x5u, x5c)', async () => {
    const attacker = await makeKey('attacker', false);
    await refusal(await sign(attacker, claims(), { kid: key.kid, jwk: attacker.publicJwk }));
    await refusal(await sign(key, claims(), { jku: 'https://evil.example/jwks.json' }));
    await refusal(await sign(key, claims(), { x5u: 'https://evil.example/cert.pem' }));
    await refusal(await sign(key, claims(), { x5c: ['MIIB'] }));
  });

  it('refuses an unknown critical header', async () => {
    // jose will not sign one, so sign by hand.
    const input = `${b64({ alg: 'EdDSA', kid: key.kid, crit: ['urn:example:unknown'], 'urn:example:unknown': true })}.${b64(claims())}`;
    const signature = cryptoSign(null, Buffer.from(input), KeyObject.from(key.privateKey)).toString('base64url');
    await refusal(`${input}.${signature}`);
  });

  it('refuses garbage that is not a compact JWS', async () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', `${b64({ alg: 'EdDSA' })}.${b64(claims())}.sig`, '!!!.???.***']) {
      await refusal(token);
    }
  });

  it('finds a key added after the cache was filled, at once', async () => {
    await verifyAccessToken(await sign(key));
    // A token under a kid nobody knows yet, then that key appears (a new key pair, or another
    // instance of the app made it): its tokens verify straight away, not after a reload interval.
    await refusal(await sign(await makeKey('key-2', false), claims(), { kid: 'key-2' }));
    const rotated = await makeKey('key-2');
    expect((await verifyAccessToken(await sign(rotated))).userId).toBe('user-1');
    // Both keys stay valid: tokens signed before a rotation keep working until they expire.
    expect((await verifyAccessToken(await sign(key))).userId).toBe('user-1');
  });
});

describe('key cache', () => {
  it('stops trusting a key deleted from the table within minutes', async () => {
    const temporary = await makeKey('key-temporary');
    const token = await sign(temporary, claims({ exp: now() + 3600 }));
    expect((await verifyAccessToken(token)).userId).toBe('user-1');
    const { eq } = await import('drizzle-orm');
    await (await getDb()).delete(jwks).where(eq(jwks.id, 'key-temporary'));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 6 * 60_000);
      await refusal(token);
    } finally {
      vi.useRealTimers();
    }
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
    await refusal(`${header}.${payload}.${signature!.slice(0, -2)}AA`);
  });
});

describe('bearerToken', () => {
  const request = (authorization?: string) => new Request('http://x/api/me/tasks', { headers: authorization ? { authorization } : {} });

  it('reads the token of a Bearer header, in any case of the scheme', () => {
    expect(bearerToken(request('Bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(bearerToken(request('bearer abc'))).toBe('abc');
  });

  it('answers 401 with WWW-Authenticate: Bearer for a missing or non-Bearer header', () => {
    for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Token abc']) {
      try {
        bearerToken(request(header));
        expect.unreachable(`accepted ${header}`);
      } catch (error) {
        expect(error).toBeInstanceOf(HttpProblem);
        expect((error as HttpProblem).status).toBe(401);
        expect((error as HttpProblem).options.headers?.['www-authenticate']).toBe('Bearer');
      }
    }
  });
});
