/* eslint-disable no-restricted-properties -- this test configures HS256 access tokens before the app loads */
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { HttpProblem } from '@/lib/api/problem';

// Before any app module loads: env.ts reads these once. A rotation is under way: version 2 signs,
// version 1 (the secret before) still verifies.
const NEW_SECRET = 'new-shared-secret-0123456789-abcdefghij';
const OLD_SECRET = 'old-shared-secret-0123456789-abcdefghij';
process.env.DATABASE_URL = 'memory://';
process.env.ACCESS_TOKEN_ALG = 'HS256';
process.env.ACCESS_TOKEN_SECRETS = `2:${NEW_SECRET},1:${OLD_SECRET}`;
process.env.ACCESS_TOKEN_ISSUER = 'better-auth';
process.env.ACCESS_TOKEN_AUDIENCE = 'fastapi-backend';
const { verifyAccessToken } = await import('./access-token');
const { signAccessToken } = await import('./sign-access-token');
const { getDb } = await import('@/server/db/client');
const { jwks } = await import('@/server/db/schema');

const now = () => Math.floor(Date.now() / 1000);
const key = (secret: string) => new TextEncoder().encode(secret);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: 'user-1', email: 'a@example.com', iat: now(), exp: now() + 60, iss: 'better-auth', aud: 'fastapi-backend', ...overrides };
}

function signHs256(secret: string, payload: JWTPayload = claims(), header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...header }).sign(key(secret));
}

async function refusal(token: string): Promise<HttpProblem> {
  const error = await verifyAccessToken(token).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpProblem);
  expect((error as HttpProblem).status).toBe(401);
  return error as HttpProblem;
}

describe('ACCESS_TOKEN_ALG=HS256: the tokens Tasklane signs', () => {
  it('are HS256 with the newest secret, typ at+jwt, and the claims the seeds verify (sub, email, iat, exp, iss, aud; user_id for seed 004)', async () => {
    const token = await signAccessToken({ id: 'user-7', email: 'seven@example.com' }, 60);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({ sub: 'user-7', user_id: 'user-7', email: 'seven@example.com', iss: 'better-auth', aud: 'fastapi-backend' });
    expect(payload.exp! - payload.iat!).toBe(60);
    // Verifiable with the new secret alone, as the service configured with it will.
    const { jwtVerify } = await import('jose');
    await expect(jwtVerify(token, key(NEW_SECRET), { algorithms: ['HS256'], issuer: 'better-auth', audience: 'fastapi-backend' })).resolves.toBeDefined();
    await expect(jwtVerify(token, key(OLD_SECRET), { algorithms: ['HS256'] })).rejects.toThrow();
  });

  it('are accepted by the task API', async () => {
    const token = await signAccessToken({ id: 'user-7', email: 'seven@example.com' }, 60);
    await expect(verifyAccessToken(token)).resolves.toEqual({ userId: 'user-7', email: 'seven@example.com' });
  });
});

describe('ACCESS_TOKEN_ALG=HS256: what the task API accepts', () => {
  it('accepts a token signed with the old secret while it is still listed (a rotation in progress)', async () => {
    await expect(verifyAccessToken(await signHs256(OLD_SECRET, claims({ sub: 'user-old' })))).resolves.toMatchObject({ userId: 'user-old' });
  });

  it('refuses a token signed with a secret it does not hold', async () => {
    await refusal(await signHs256('another-secret-entirely-0123456789-abc'));
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signHs256(NEW_SECRET)).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ sub: 'someone-else' }))).toString('base64url');
    await refusal(`${header}.${forged}.${signature}`);
  });

  it('says an expired token has expired (its signature held), and refuses the wrong issuer or audience', async () => {
    expect((await refusal(await signHs256(NEW_SECRET, claims({ iat: now() - 120, exp: now() - 60 })))).message).toMatch(/expired/);
    await refusal(await signHs256(NEW_SECRET, claims({ iss: 'http://localhost:3000' })));
    await refusal(await signHs256(NEW_SECRET, claims({ aud: 'http://localhost:3000' })));
  });

  it('refuses a token without typ at+jwt, or missing sub, exp, iat, iss or aud', async () => {
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(key(NEW_SECRET)));
    for (const claim of ['sub', 'exp', 'iat', 'iss', 'aud'] as const) {
      const payload = claims();
      delete payload[claim];
      await refusal(await signHs256(NEW_SECRET, payload));
    }
  });

  it('refuses HS384 and HS512 with the same secret: HS256 only', async () => {
    for (const alg of ['HS384', 'HS512']) {
      await refusal(await new SignJWT(claims()).setProtectedHeader({ alg, typ: 'at+jwt' }).sign(key(NEW_SECRET)));
    }
  });

  it('refuses an EdDSA token even under a key the app holds: in this mode no public key verifies (no algorithm confusion either way)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const db = await getDb();
    await db.insert(jwks).values({ id: 'kid-1', publicKey: JSON.stringify(await exportJWK(publicKey)), privateKey: 'unused', createdAt: new Date(), alg: 'EdDSA', crv: 'Ed25519' });
    await refusal(await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid: 'kid-1', typ: 'at+jwt' }).sign(privateKey));
  }, 30_000); // It opens and migrates an in-memory database first: seconds on a loaded machine.

  it('refuses a token that points at its own key (jwk, jku)', async () => {
    await refusal(await signHs256(NEW_SECRET, claims(), { jku: 'https://attacker.example/jwks' }));
  });
});
