import { sql, type SQL } from 'drizzle-orm';
import { TOTP, URI } from 'otpauth';
import { afterEach, describe, expect, it } from 'vitest';
import { getAuth } from '@/server/auth/auth';
import { getDb } from '@/server/db/client';
import { callAuth, callProxy, cookiesFrom, signUp, type TestUser } from '@/test/app';

// Two-factor sign-in (CONTRACT.md, Accounts: `POST /two-factor/enable`, the twoFactor plugin) through
// Better Auth's route handler as the browser calls it: an authenticator app's codes computed here
// from the otpauth:// URI the app hands out, as the app on a phone would.

const PERIOD_MS = 30_000;

async function query<T>(statement: SQL): Promise<T[]> {
  const db = await getDb();
  return ((await db.execute(statement)) as unknown as { rows: T[] }).rows;
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function stateOf(user: TestUser) {
  const [row] = await query<{ enabled: boolean; rows: number; verified: boolean | null }>(
    sql`select u.two_factor_enabled as enabled, (select count(*)::int from two_factor t where t.user_id = u.id) as rows,
          (select verified from two_factor t where t.user_id = u.id) as verified
        from "user" u where u.id = ${user.id}`,
  );
  return row!;
}

/** A code of the authenticator app `periods` periods from now (Better Auth accepts -1, 0 and +1). */
const codeAt = (totp: TOTP, periods = 0) => totp.generate({ timestamp: Date.now() + periods * PERIOD_MS });

const signIn = (user: TestUser, cookie?: string) => callAuth('POST', 'sign-in/email', { body: { email: user.email, password: user.password }, cookie });
const verifyTotp = (cookie: string, code: string, extra: Record<string, unknown> = {}) => callAuth('POST', 'two-factor/verify-totp', { cookie, body: { code, ...extra } });
const hasSessionCookie = (response: Response) => response.headers.getSetCookie().some((cookie) => /session_token=[^;]+/.test(cookie));

/** Turns 2FA on as /settings does: the password, then a code from the app. */
async function enableTwoFactor(user: TestUser) {
  const enabled = await callAuth('POST', 'two-factor/enable', { cookie: user.cookie, body: { password: user.password } });
  expect(enabled.status).toBe(200);
  const { totpURI, backupCodes } = await json<{ totpURI: string; backupCodes: string[] }>(enabled);
  const totp = URI.parse(totpURI) as TOTP;
  const confirmed = await verifyTotp(user.cookie, codeAt(totp));
  expect(confirmed.status).toBe(200);
  // Better Auth replaces the session (its cookie carries the user's new state).
  const cookie = cookiesFrom(confirmed);
  expect(cookie).toMatch(/session_token=/);
  return { totp, backupCodes, cookie };
}

/** The password step of sign-in on a 2FA account: the challenge cookie, no session. */
async function passwordStep(user: TestUser) {
  const response = await signIn(user);
  expect(response.status).toBe(200);
  expect(await json(response)).toEqual({ twoFactorRedirect: true, twoFactorMethods: ['totp'] });
  expect(hasSessionCookie(response)).toBe(false);
  const cookie = cookiesFrom(response);
  expect(cookie).toMatch(/two_factor=/);
  return cookie;
}

describe('turning two-factor authentication on', () => {
  it('refuses a wrong password with 400 and changes nothing', async () => {
    const ada = await signUp('Ada');
    const refused = await callAuth('POST', 'two-factor/enable', { cookie: ada.cookie, body: { password: 'not-the-password' } });
    expect(refused.status).toBe(400);
    expect((await json(refused)).code).toBe('INVALID_PASSWORD');
    expect(await stateOf(ada)).toEqual({ enabled: false, rows: 0, verified: null });
    expect((await callAuth('POST', 'two-factor/enable', { body: { password: ada.password } })).status).toBe(401);
  });

  it('hands out an otpauth URI for Tasklane and 10 backup codes, and is on only once a code from the app confirms it', async () => {
    const bea = await signUp('Bea');
    const enabled = await callAuth('POST', 'two-factor/enable', { cookie: bea.cookie, body: { password: bea.password } });
    expect(enabled.status).toBe(200);
    const { totpURI, backupCodes } = await json<{ totpURI: string; backupCodes: string[] }>(enabled);
    const totp = URI.parse(totpURI) as TOTP;
    expect(totp).toBeInstanceOf(TOTP);
    expect(totp.issuer).toBe('Tasklane');
    expect(totp.label).toBe(bea.email);
    expect(totp.digits).toBe(6);
    expect(totp.period).toBe(30);
    expect(backupCodes).toHaveLength(10);
    // The secret is stored encrypted, never as the app's base32.
    const [stored] = await query<{ secret: string }>(sql`select secret from two_factor where user_id = ${bea.id}`);
    expect(stored!.secret).not.toContain(totp.secret.base32);

    // Not yet on: sign-in asks for no code until the setup is confirmed.
    expect(await stateOf(bea)).toEqual({ enabled: false, rows: 1, verified: false });
    const before = await signIn(bea);
    expect(hasSessionCookie(before)).toBe(true);

    const wrong = await verifyTotp(bea.cookie, codeAt(totp) === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).code).toBe('INVALID_CODE');
    expect(await stateOf(bea)).toEqual({ enabled: false, rows: 1, verified: false });

    expect((await verifyTotp(bea.cookie, codeAt(totp))).status).toBe(200);
    expect(await stateOf(bea)).toEqual({ enabled: true, rows: 1, verified: true });
  });
});

describe('signing in with two-factor authentication', () => {
  it('asks for the code after the right password only, gives no session before it, and refuses a wrong one', async () => {
    const cleo = await signUp('Cleo');
    const { totp } = await enableTwoFactor(cleo);

    // A wrong password says nothing of a second step.
    const wrongPassword = await callAuth('POST', 'sign-in/email', { body: { email: cleo.email, password: 'not-the-password' } });
    expect(wrongPassword.status).toBe(401);
    expect(await json(wrongPassword)).not.toHaveProperty('twoFactorRedirect');
    expect(cookiesFrom(wrongPassword)).not.toMatch(/two_factor=/);

    const challenge = await passwordStep(cleo);
    // The challenge cookie opens nothing.
    expect((await callProxy('GET', 'me/tasks', { cookie: challenge })).status).toBe(401);
    expect((await callAuth('GET', 'token', { cookie: challenge })).status).toBe(401);

    const wrong = await verifyTotp(challenge, codeAt(totp) === '123456' ? '654321' : '123456');
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).code).toBe('INVALID_CODE');
    expect(hasSessionCookie(wrong)).toBe(false);

    // The confirming code of the setup is spent: the next period's code (accepted already).
    const right = await verifyTotp(challenge, codeAt(totp, 1));
    expect(right.status).toBe(200);
    expect(hasSessionCookie(right)).toBe(true);
    const session = cookiesFrom(right);
    expect((await callProxy('GET', 'me/tasks', { cookie: session })).status).toBe(200);

    // The challenge is spent with it.
    expect((await verifyTotp(challenge, codeAt(totp, -1))).status).toBe(401);
  });

  it('refuses a code that was already used while it is still valid, also on a new sign-in, and takes another one', async () => {
    const dan = await signUp('Dan');
    const { totp } = await enableTwoFactor(dan);
    const code = codeAt(totp, 1);
    expect((await verifyTotp(await passwordStep(dan), code)).status).toBe(200);

    const replayed = await verifyTotp(await passwordStep(dan), code);
    expect(replayed.status).toBe(401);
    expect((await json(replayed)).code).toBe('INVALID_CODE');
    expect(hasSessionCookie(replayed)).toBe(false);

    // The same challenge still takes a code not used before.
    const challenge = await passwordStep(dan);
    expect((await verifyTotp(challenge, code)).status).toBe(401);
    expect((await verifyTotp(challenge, codeAt(totp, -1))).status).toBe(200);
  });

  it('lets one of two sign-ins racing with the same code in', async () => {
    const eve = await signUp('Eve');
    const { totp } = await enableTwoFactor(eve);
    const code = codeAt(totp, 1);
    const challenges = await Promise.all([passwordStep(eve), passwordStep(eve), passwordStep(eve)]);
    const answers = await Promise.all(challenges.map((challenge) => verifyTotp(challenge, code)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401, 401]);
  });

  it('remembers a trusted device: its next sign-in asks for no code', async () => {
    const fay = await signUp('Fay');
    const { totp } = await enableTwoFactor(fay);
    const right = await verifyTotp(await passwordStep(fay), codeAt(totp, 1), { trustDevice: true });
    expect(right.status).toBe(200);
    const trust = right.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0]!)
      .find((pair) => pair.includes('trust_device='));
    expect(trust).toBeDefined();
    const again = await signIn(fay, trust);
    expect(again.status).toBe(200);
    expect(hasSessionCookie(again)).toBe(true);
    // Another browser still gets the second step.
    await passwordStep(fay);
  });

  it('takes a backup code instead, once', async () => {
    const gus = await signUp('Gus');
    const { backupCodes } = await enableTwoFactor(gus);
    const used = await callAuth('POST', 'two-factor/verify-backup-code', { cookie: await passwordStep(gus), body: { code: backupCodes[0] } });
    expect(used.status).toBe(200);
    expect(hasSessionCookie(used)).toBe(true);
    expect((await callProxy('GET', 'me/tasks', { cookie: cookiesFrom(used) })).status).toBe(200);

    const again = await callAuth('POST', 'two-factor/verify-backup-code', { cookie: await passwordStep(gus), body: { code: backupCodes[0] } });
    expect(again.status).toBe(401);
    expect(hasSessionCookie(again)).toBe(false);
    expect((await callAuth('POST', 'two-factor/verify-backup-code', { cookie: await passwordStep(gus), body: { code: backupCodes[1] } })).status).toBe(200);
  });

  it('locks the second step for 15 minutes after 10 wrong codes in a row, and says so: even the right code waits', async () => {
    const hal = await signUp('Hal');
    const { totp } = await enableTwoFactor(hal);
    // Ten different wrong codes (a repeated one is spent by the replay guard before Better Auth counts it).
    const valid = new Set([-1, 0, 1].map((periods) => codeAt(totp, periods)));
    const wrongCodes = Array.from({ length: 20 }, (_, i) => String(100_000 + i * 37_913)).filter((code) => !valid.has(code)).slice(0, 10);
    const statuses: number[] = [];
    // Better Auth allows 5 codes per sign-in: two sign-ins of 5.
    for (const batch of [wrongCodes.slice(0, 5), wrongCodes.slice(5)]) {
      const challenge = await passwordStep(hal);
      for (const code of batch) statuses.push((await verifyTotp(challenge, code)).status);
    }
    expect(statuses).toEqual(Array(10).fill(401));

    const locked = await verifyTotp(await passwordStep(hal), codeAt(totp, 1));
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(locked.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await json(locked)).detail).toBe('Too many wrong codes: signing in with a code is locked for this account for up to 15 minutes.');
    expect(hasSessionCookie(locked)).toBe(false);
  });
});

describe('managing two-factor authentication', () => {
  it('makes new backup codes with the password; the old ones stop working', async () => {
    const hal = await signUp('Hal');
    const { backupCodes, cookie } = await enableTwoFactor(hal);
    const refused = await callAuth('POST', 'two-factor/generate-backup-codes', { cookie, body: { password: 'not-the-password' } });
    expect(refused.status).toBe(400);
    expect((await json(refused)).code).toBe('INVALID_PASSWORD');

    const made = await callAuth('POST', 'two-factor/generate-backup-codes', { cookie, body: { password: hal.password } });
    expect(made.status).toBe(200);
    const fresh = (await json<{ backupCodes: string[] }>(made)).backupCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(backupCodes[0]);
    expect((await callAuth('POST', 'two-factor/verify-backup-code', { cookie: await passwordStep(hal), body: { code: backupCodes[0] } })).status).toBe(401);
    expect((await callAuth('POST', 'two-factor/verify-backup-code', { cookie: await passwordStep(hal), body: { code: fresh[0] } })).status).toBe(200);
  });

  it('turns it off with the password (a wrong one changes nothing); sign-in asks for no code then', async () => {
    const ivy = await signUp('Ivy');
    const { cookie } = await enableTwoFactor(ivy);
    const refused = await callAuth('POST', 'two-factor/disable', { cookie, body: { password: 'not-the-password' } });
    expect(refused.status).toBe(400);
    expect((await json(refused)).code).toBe('INVALID_PASSWORD');
    expect(await stateOf(ivy)).toEqual({ enabled: true, rows: 1, verified: true });
    await passwordStep(ivy);

    expect((await callAuth('POST', 'two-factor/disable', { cookie, body: { password: ivy.password } })).status).toBe(200);
    expect(await stateOf(ivy)).toEqual({ enabled: false, rows: 0, verified: null });
    const plain = await signIn(ivy);
    expect(plain.status).toBe(200);
    expect(hasSessionCookie(plain)).toBe(true);
  });

  it('goes with the account: delete-user removes the secret', async () => {
    const jo = await signUp('Jo');
    const { cookie } = await enableTwoFactor(jo);
    expect((await callAuth('POST', 'delete-user', { cookie, body: { password: jo.password } })).status).toBe(200);
    expect(await query(sql`select 1 from two_factor where user_id = ${jo.id}`)).toEqual([]);
  });
});

describe('rate limit (Better Auth’s limiter, on in production)', () => {
  afterEach(async () => {
    (await (await getAuth()).$context).rateLimit.enabled = false;
  });

  it('allows 3 codes per 10 s from one address, then 429 with Retry-After', async () => {
    const kit = await signUp('Kit');
    const { totp } = await enableTwoFactor(kit);
    const challenge = await passwordStep(kit);
    (await (await getAuth()).$context).rateLimit.enabled = true;
    const headers = { 'x-forwarded-for': '198.51.100.77' };
    const wrong = codeAt(totp) === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await callAuth('POST', 'two-factor/verify-totp', { cookie: challenge, body: { code: wrong }, headers });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
