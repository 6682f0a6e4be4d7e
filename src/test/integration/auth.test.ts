import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, callAuth, callProxy, cookiesFrom, ORIGIN, signUp, tokenFor, type TestUser } from '@/test/app';

// The contract's authentication rows, through Better Auth's route handler.

describe('Better Auth under /api/auth', () => {
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUp('Alice');
  });

  it('signs up with name, email and password and sets an httpOnly, SameSite=Lax session cookie', async () => {
    const response = await callAuth('POST', 'sign-up/email', {
      body: { name: 'Dana', email: 'dana@example.com', password: 'correct horse battery' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: { email: string; name: string } };
    expect(body.user).toMatchObject({ email: 'dana@example.com', name: 'Dana' });
    const sessionCookie = response.headers.getSetCookie().find((c) => c.includes('session_token='));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    expect(JSON.stringify(body)).not.toContain('correct horse battery');
  });

  it('refuses passwords shorter than 8 or longer than 128 characters', async () => {
    for (const password of ['short', 'x'.repeat(129)]) {
      const response = await callAuth('POST', 'sign-up/email', {
        body: { name: 'Eve', email: `eve-${password.length}@example.com`, password },
      });
      expect(response.status, `length ${password.length}`).toBe(400);
    }
    const ok = await callAuth('POST', 'sign-up/email', { body: { name: 'Eve', email: 'eve@example.com', password: 'x'.repeat(128) } });
    expect(ok.status).toBe(200);
  });

  it('signs in with the right password, and answers 401 with the same body for a wrong password or an unknown email', async () => {
    const ok = await callAuth('POST', 'sign-in/email', { body: { email: alice.email, password: alice.password } });
    expect(ok.status).toBe(200);
    expect(cookiesFrom(ok)).toMatch(/session_token=/);

    const wrongPassword = await callAuth('POST', 'sign-in/email', { body: { email: alice.email, password: 'not-the-password' } });
    const unknownEmail = await callAuth('POST', 'sign-in/email', { body: { email: 'nobody@example.com', password: 'not-the-password' } });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(await wrongPassword.json()).toEqual(await unknownEmail.json());
  });

  it('get-session returns the session and user, or null', async () => {
    const signedIn = await callAuth('GET', 'get-session', { cookie: alice.cookie });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ user: { id: alice.id, email: alice.email } });
    const anonymous = await callAuth('GET', 'get-session');
    expect(await anonymous.json()).toBeNull();
  });

  it('refuses a state-changing auth request from a foreign Origin', async () => {
    // Better Auth skips its origin check when NODE_ENV is test: check the configured list instead.
    const { getAuth } = await import('@/server/auth/auth');
    const auth = await getAuth();
    const context = await auth.$context;
    expect(context.trustedOrigins).toContain(ORIGIN);
    expect(context.trustedOrigins).not.toContain('https://evil.example');
  });

  describe('GET /api/auth/token and /api/auth/jwks', () => {
    it('gives a signed-in user an EdDSA JWT with the contract’s claims, valid for at most 15 minutes', async () => {
      const token = await tokenFor(alice);
      const header = decodeProtectedHeader(token);
      expect(header.alg).toBe('EdDSA');
      expect(typeof header.kid).toBe('string');
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ sub: alice.id, email: alice.email, iss: ORIGIN, aud: ORIGIN });
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(15 * 60);
      expect(claims.exp! - claims.iat!).toBeGreaterThan(60);
      // Only the contract's claims: nothing else from the user row.
      expect(Object.keys(claims).sort()).toEqual(['aud', 'email', 'exp', 'iat', 'iss', 'sub']);
    });

    it('answers 401 without a session', async () => {
      expect((await callAuth('GET', 'token')).status).toBe(401);
    });

    it('publishes public keys only, each with kid and alg, that verify the tokens', async () => {
      const token = await tokenFor(alice);
      const response = await callAuth('GET', 'jwks');
      expect(response.status).toBe(200);
      const { keys } = (await response.json()) as { keys: (JWK & { kid: string; alg: string })[] };
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key.kid).toEqual(expect.any(String));
        expect(key.alg).toBe('EdDSA');
        expect(key.crv).toBe('Ed25519');
        for (const secret of ['d', 'k', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
      }
      const { kid } = decodeProtectedHeader(token);
      const jwk = keys.find((key) => key.kid === kid)!;
      const { payload } = await jwtVerify(token, await importJWK(jwk, jwk.alg), { issuer: ORIGIN, audience: ORIGIN });
      expect(payload.sub).toBe(alice.id);
    });

    it('the token works on the task API directly', async () => {
      const token = await tokenFor(alice);
      const created = await callApi('POST', 'me/tasks', { token, body: { title: 'from an API client' } });
      expect(created.status).toBe(201);
      const list = await callApi('GET', `${alice.id}/tasks`, { token });
      expect(list.status).toBe(200);
      expect(list.headers.get('x-total-count')).toBe('1');
    });
  });

  it('signs out: cookies cleared and the session revoked in the database', async () => {
    const bob = await signUp('Bob');
    const { getDb } = await import('@/server/db/client');
    const { sessions } = await import('@/server/db/schema');
    const { eq } = await import('drizzle-orm');
    const db = await getDb();
    expect(await db.select().from(sessions).where(eq(sessions.userId, bob.id))).toHaveLength(1);

    const response = await callAuth('POST', 'sign-out', { cookie: bob.cookie });
    expect(response.status).toBe(200);
    const cleared = response.headers.getSetCookie().find((c) => c.includes('session_token='));
    expect(cleared).toMatch(/Max-Age=0/i);
    expect(await db.select().from(sessions).where(eq(sessions.userId, bob.id))).toHaveLength(0);
    // The old session token no longer gets a JWT.
    const tokenCookie = bob.cookie.split('; ').filter((c) => c.includes('session_token=')).join('; ');
    expect((await callAuth('GET', 'token', { cookie: tokenCookie })).status).toBe(401);
  });
});

describe('a token whose user has been deleted', () => {
  it('gets 401 (not a 500, not an empty list) on every task request, for its old tasks and unknown ids alike', async () => {
    const zed = await signUp('Zed');
    const token = await tokenFor(zed);
    const created = await callApi('POST', 'me/tasks', { token, body: { title: 'before' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const { getDb } = await import('@/server/db/client');
    const { users } = await import('@/server/db/schema');
    const { eq } = await import('drizzle-orm');
    await (await getDb()).delete(users).where(eq(users.id, zed.id));

    const requests: [string, string, unknown?][] = [
      ['POST', 'me/tasks', { title: 'after' }],
      ['GET', 'me/tasks'],
      ['GET', 'me/tasks?status=completed'],
      ['GET', `me/tasks/${id}`],
      ['PATCH', `me/tasks/${id}`, { title: 'renamed' }],
      ['PATCH', `me/tasks/${id}`, { completed: true }],
      ['PATCH', `me/tasks/${id}/complete`],
      ['DELETE', `me/tasks/${id}`],
      ['GET', `me/tasks/${id + 1000}`],
      ['DELETE', `me/tasks/${id + 1000}`],
    ];
    for (const [method, path, body] of requests) {
      const response = await callApi(method, path, { token, ...(body === undefined ? {} : { body }) });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate'), `${method} ${path}`).toMatch(/invalid_token/);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('ends the deleted user’s browser session at once: get-session, the token endpoint and the proxy refuse the cookies the cookie cache still vouches for', async () => {
    const wren = await signUp('Wren');
    // The cookie cache is warm: get-session answers from the signed session_data cookie.
    const warm = await callAuth('GET', 'get-session', { cookie: wren.cookie });
    expect(((await warm.json()) as { user: { id: string } }).user.id).toBe(wren.id);
    const cookie = [wren.cookie, cookiesFrom(warm)].filter(Boolean).join('; ');
    expect((await callProxy('GET', 'me/tasks', { cookie })).status).toBe(200);

    const { getDb } = await import('@/server/db/client');
    const { users } = await import('@/server/db/schema');
    const { eq } = await import('drizzle-orm');
    await (await getDb()).delete(users).where(eq(users.id, wren.id));

    const session = await callAuth('GET', 'get-session', { cookie });
    expect(await session.json()).toBeNull();
    expect((await callAuth('GET', 'token', { cookie })).status).toBe(401);
    expect((await callProxy('GET', 'me/tasks', { cookie })).status).toBe(401);
  });

  it('still gets 404 for a missing task while the user exists', async () => {
    const token = await tokenFor(await signUp('Yara'));
    for (const method of ['GET', 'DELETE', 'PATCH']) {
      const response = await callApi(method, 'me/tasks/999999', { token, ...(method === 'PATCH' ? { body: { title: 'x' } } : {}) });
      expect(response.status, method).toBe(404);
    }
  });
});
