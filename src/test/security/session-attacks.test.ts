import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXTERNAL_TOKEN_TTL_SECONDS, SESSION_COOKIE_CACHE_SECONDS } from '@/server/auth/auth';
import { PROXY_TOKEN_TTL_SECONDS, proxyTokenFor } from '@/server/proxy/token';
import { getDb } from '@/server/db/client';
import { sessions } from '@/server/db/schema';
import { callAuth, callProxy, cookiesFrom, signUp, tokenFor, type TestUser } from '@/test/app';

// ASVS V6 (authentication) and V7 (session management), through Better Auth's route handler.

const sessionToken = (cookie: string) => /session_token=([^;.]+)/.exec(cookie)?.[1];

async function signIn(user: { email: string; password: string }, cookie?: string) {
  return callAuth('POST', 'sign-in/email', { body: { email: user.email, password: user.password }, cookie });
}

async function signUpWith(password: string, email = `p-${randomBytes(4).toString('hex')}@example.com`) {
  return callAuth('POST', 'sign-up/email', { body: { name: 'P', email, password } });
}

let alice: TestUser;
beforeAll(async () => {
  alice = await signUp('Alice');
});
afterEach(() => {
  vi.useRealTimers();
});

describe('session fixation', () => {
  it('every sign-in gets a new session token, and a token planted before sign-in is not adopted', async () => {
    const planted = `better-auth.session_token=${'a'.repeat(32)}.c2ln`;
    const first = await signIn(alice, planted);
    const second = await signIn(alice, cookiesFrom(first));
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const tokens = [sessionToken(alice.cookie), sessionToken(cookiesFrom(first)), sessionToken(cookiesFrom(second))];
    expect(new Set(tokens).size).toBe(3);
    expect(tokens).not.toContain('a'.repeat(32));
  });
});

describe('sign-out and revocation windows', () => {
  it('sign-out deletes the session row; the bare session cookie is refused by the proxy at once', async () => {
    const bob = await signUp('Bob');
    const db = await getDb();
    const response = await callAuth('POST', 'sign-out', { cookie: bob.cookie });
    expect(response.status).toBe(200);
    expect(await db.select().from(sessions).where(eq(sessions.userId, bob.id))).toEqual([]);
    const tokenOnly = bob.cookie.split('; ').filter((pair) => pair.includes('session_token=')).join('; ');
    expect((await callProxy('GET', 'me/tasks', { cookie: tokenOnly })).status).toBe(401);
  });

  it(`a replayed cookie with its signed session cache is refused at most ${SESSION_COOKIE_CACHE_SECONDS} s after sign-out`, async () => {
    expect(SESSION_COOKIE_CACHE_SECONDS).toBeLessThanOrEqual(60);
    const carol = await signUp('Carol');
    expect(carol.cookie).toMatch(/session_data=/);
    expect((await callProxy('GET', 'me/tasks', { cookie: carol.cookie })).status).toBe(200);
    expect((await callAuth('POST', 'sign-out', { cookie: carol.cookie })).status).toBe(200);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + (SESSION_COOKIE_CACHE_SECONDS + 1) * 1000);
    expect((await callProxy('GET', 'me/tasks', { cookie: carol.cookie })).status).toBe(401);
  });

  it(`tokens the proxy mints live at most ${PROXY_TOKEN_TTL_SECONDS} s, tokens from /api/auth/token at most 15 minutes`, async () => {
    expect(PROXY_TOKEN_TTL_SECONDS).toBeLessThanOrEqual(60);
    const proxied = decodeJwt(await proxyTokenFor({ sessionId: 'lifetime-probe', userId: alice.id, email: alice.email }));
    expect(proxied.exp! - proxied.iat!).toBeLessThanOrEqual(60);
    const external = decodeJwt(await tokenFor(alice));
    expect(external.exp! - external.iat!).toBe(EXTERNAL_TOKEN_TTL_SECONDS);
    expect(EXTERNAL_TOKEN_TTL_SECONDS).toBeLessThanOrEqual(15 * 60);
  });
});

describe('account enumeration', () => {
  it('sign-in answers an unknown email and a wrong password with the same status and body', async () => {
    const wrongPassword = await signIn({ email: alice.email, password: 'not-the-password-1' });
    const unknownEmail = await signIn({ email: 'nobody-here@example.com', password: 'not-the-password-1' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(await unknownEmail.json()).toEqual(await wrongPassword.json());
    expect(cookiesFrom(unknownEmail)).toBe('');
  });

  it('sign-in takes about as long for an unknown email as for a wrong password (the hash runs either way)', async () => {
    const median = async (user: { email: string; password: string }) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await signIn(user);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    const known = await median({ email: alice.email, password: 'not-the-password-2' });
    const unknown = await median({ email: 'nobody-at-all@example.com', password: 'not-the-password-2' });
    // Without the decoy hash an unknown email answers in a fraction of the time (no scrypt).
    expect(unknown / known).toBeGreaterThan(0.5);
    expect(unknown / known).toBeLessThan(3);
  });

  it('sign-up with a registered email is refused without signing in or touching that account', async () => {
    const response = await callAuth('POST', 'sign-up/email', { body: { name: 'Mallory', email: alice.email, password: 'mallory-takes-over' } });
    expect(response.status).toBe(422);
    expect(cookiesFrom(response)).toBe('');
    expect((await signIn({ email: alice.email, password: 'mallory-takes-over' })).status).toBe(401);
    const stillAlice = await signIn(alice);
    expect(stillAlice.status).toBe(200);
    expect(((await stillAlice.json()) as { user: { name: string } }).user.name).toBe('Alice');
  });
});

describe('password rules (ASVS V6.2)', () => {
  it('7 and 129 characters are refused; 8 and 128 are accepted', async () => {
    expect((await signUpWith('Zq7#kLp')).status).toBe(400);
    expect((await signUpWith(`Zq7#kLp${'x'.repeat(122)}`)).status).toBe(400);
    expect((await signUpWith('Zq7#kLpW')).status).toBe(200);
    expect((await signUpWith(`Zq7#kLp${'x'.repeat(121)}`)).status).toBe(200);
  });

  it('a long password is not truncated: its first 72 characters (bcrypt’s limit) do not sign in', async () => {
    const email = `long-${randomBytes(4).toString('hex')}@example.com`;
    const password = `${randomBytes(36).toString('hex')}${'tail-that-matters'}`;
    expect((await signUpWith(password, email)).status).toBe(200);
    expect((await signIn({ email, password: password.slice(0, 72) })).status).toBe(401);
    expect((await signIn({ email, password: password.slice(0, -1) })).status).toBe(401);
    expect((await signIn({ email, password })).status).toBe(200);
  });

  it('the most common passwords are refused at sign-up and at password change, whatever their case', async () => {
    for (const password of ['password', '12345678', 'iloveyou', 'Password1', 'QWERTYUIOP', 'baseball']) {
      const response = await signUpWith(password);
      expect(response.status, password).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe('PASSWORD_TOO_COMMON');
    }
    const change = await callAuth('POST', 'change-password', {
      cookie: alice.cookie,
      body: { currentPassword: alice.password, newPassword: 'football', revokeOtherSessions: false },
    });
    expect(change.status).toBe(400);
    expect((await signIn(alice)).status).toBe(200);
  });
});
