import { randomBytes } from 'node:crypto';
import { eq, sql, type SQL } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SESSION_COOKIE_CACHE_SECONDS } from '@/server/auth/auth';
import { getDb } from '@/server/db/client';
import { notifications, sessions } from '@/server/db/schema';
import { callApi, callAuth, callProxy, cookiesFrom, signUp, tokenFor, type TestUser } from '@/test/app';

// The account endpoints /settings uses (CONTRACT.md, Authentication, "Accounts" and "Revocation"),
// through Better Auth's route handler as the browser calls them.

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

afterEach(() => {
  vi.useRealTimers();
});

/** Rows of a raw query (every driver the tests run on answers with `rows`). */
async function query<T>(statement: SQL): Promise<T[]> {
  const db = await getDb();
  return ((await db.execute(statement)) as unknown as { rows: T[] }).rows;
}

async function signIn(user: { email: string; password: string }, headers: Record<string, string> = {}) {
  const response = await callAuth('POST', 'sign-in/email', { body: { email: user.email, password: user.password }, headers });
  return { status: response.status, cookie: cookiesFrom(response) };
}

async function codeOf(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { code?: string }).code;
}

/** Another browser of the same person, signed in and using the proxy. */
async function secondDevice(user: TestUser) {
  const other = await signIn(user, { 'user-agent': FIREFOX, 'x-forwarded-for': '203.0.113.7' });
  expect(other.status).toBe(200);
  expect(other.cookie).toMatch(/session_data=/);
  expect((await callProxy('GET', 'me/tasks', { cookie: other.cookie })).status).toBe(200);
  return other.cookie;
}

/**
 * The proxy's answer to a cookie after the contract's window: the clock moved past the signed
 * cookie cache (and so the proxy's own memory of it), as another instance would see it then.
 */
async function proxyStatusAfterWindow(cookie: string): Promise<number> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + (SESSION_COOKIE_CACHE_SECONDS + 1) * 1000);
  try {
    return (await callProxy('GET', 'me/tasks', { cookie })).status;
  } finally {
    vi.useRealTimers();
  }
}

interface ListedSession {
  id: string;
  token: string;
  userAgent: string | null;
  ipAddress: string | null;
  updatedAt: string;
}

async function listSessions(cookie: string): Promise<ListedSession[]> {
  const response = await callAuth('GET', 'list-sessions', { cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as ListedSession[];
}

describe('POST /api/auth/update-user: name and time zone', () => {
  it('saves the name and an IANA zone, and refuses an unknown zone with nothing changed', async () => {
    const ada = await signUp('Ada');
    const saved = await callAuth('POST', 'update-user', { cookie: ada.cookie, body: { name: 'Ada Lovelace', timezone: 'Asia/Kolkata' } });
    expect(saved.status).toBe(200);

    for (const timezone of ['Mars/Olympus_Mons', '', 'Europe/Paris; drop table', 42]) {
      const refused = await callAuth('POST', 'update-user', { cookie: ada.cookie, body: { name: 'Changed', timezone } });
      expect(refused.status, String(timezone)).toBe(400);
      expect(await codeOf(refused)).toBe('INVALID_TIMEZONE');
    }
    const [row] = await query<{ name: string; timezone: string }>(sql`select name, timezone from "user" where id = ${ada.id}`);
    expect(row).toEqual({ name: 'Ada Lovelace', timezone: 'Asia/Kolkata' });
  });

  it('answers 401 without a session', async () => {
    expect((await callAuth('POST', 'update-user', { body: { name: 'Nobody' } })).status).toBe(401);
  });
});

describe('POST /api/auth/change-password', () => {
  it('refuses a wrong current password with 400 and changes nothing', async () => {
    const bea = await signUp('Bea');
    const other = await secondDevice(bea);
    const response = await callAuth('POST', 'change-password', {
      cookie: bea.cookie,
      body: { currentPassword: 'not-my-password-at-all', newPassword: `new-${randomBytes(8).toString('hex')}`, revokeOtherSessions: true },
    });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('INVALID_PASSWORD');
    expect((await signIn(bea)).status).toBe(200);
    expect(await proxyStatusAfterWindow(other)).toBe(200);
  });

  it('refuses a common new password with the server’s message, the old one still working', async () => {
    const cleo = await signUp('Cleo');
    const response = await callAuth('POST', 'change-password', { cookie: cleo.cookie, body: { currentPassword: cleo.password, newPassword: 'Password123', revokeOtherSessions: true } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('PASSWORD_TOO_COMMON');
    expect(body.message).toMatch(/most common/);
    expect((await signIn(cleo)).status).toBe(200);
  });

  it(`with revokeOtherSessions (the web app's default) ends the other sessions: the proxy refuses them within ${SESSION_COOKIE_CACHE_SECONDS} s; this device stays in`, async () => {
    const dan = await signUp('Dan');
    const other = await secondDevice(dan);
    const newPassword = `new-${randomBytes(8).toString('hex')}`;
    const response = await callAuth('POST', 'change-password', { cookie: dan.cookie, body: { currentPassword: dan.password, newPassword, revokeOtherSessions: true } });
    expect(response.status).toBe(200);
    // Better Auth replaces this device's session too, and sets its new cookie.
    const current = cookiesFrom(response);
    expect(current).toMatch(/session_token=/);

    const db = await getDb();
    expect(await db.select().from(sessions).where(eq(sessions.userId, dan.id))).toHaveLength(1);
    // The other device, its cookie cache still signed: out once the window has passed.
    expect(await proxyStatusAfterWindow(other)).toBe(401);
    expect((await callProxy('GET', 'me/tasks', { cookie: current })).status).toBe(200);
    expect((await signIn(dan)).status).toBe(401);
    expect((await signIn({ email: dan.email, password: newPassword })).status).toBe(200);
  });

  it('without revokeOtherSessions leaves the other sessions signed in', async () => {
    const eve = await signUp('Eve');
    const other = await secondDevice(eve);
    const response = await callAuth('POST', 'change-password', {
      cookie: eve.cookie,
      body: { currentPassword: eve.password, newPassword: `new-${randomBytes(8).toString('hex')}`, revokeOtherSessions: false },
    });
    expect(response.status).toBe(200);
    expect(await proxyStatusAfterWindow(other)).toBe(200);
  });
});

describe('GET /api/auth/list-sessions, POST /api/auth/revoke-session and /revoke-other-sessions', () => {
  it('lists the person’s own sessions with device, address, last active and the token to revoke them by', async () => {
    const fay = await signUp('Fay');
    const stranger = await signUp('Stranger');
    await secondDevice(fay);
    const listed = await listSessions(fay.cookie);
    expect(listed).toHaveLength(2);
    const firefox = listed.find((session) => session.userAgent === FIREFOX);
    expect(firefox).toBeDefined();
    expect(firefox!.ipAddress).toBe('203.0.113.7');
    expect(Number.isNaN(Date.parse(firefox!.updatedAt))).toBe(false);
    expect(firefox!.token).toMatch(/^\w+$/);
    const db = await getDb();
    const strangers = await db.select({ token: sessions.token }).from(sessions).where(eq(sessions.userId, stranger.id));
    expect(listed.map((session) => session.token)).not.toContain(strangers[0]!.token);
  });

  it(`revokes one other session: gone from the list, and the proxy refuses it within ${SESSION_COOKIE_CACHE_SECONDS} s`, async () => {
    const gus = await signUp('Gus');
    const other = await secondDevice(gus);
    const target = (await listSessions(gus.cookie)).find((session) => session.userAgent === FIREFOX)!;
    const response = await callAuth('POST', 'revoke-session', { cookie: gus.cookie, body: { token: target.token } });
    expect(response.status).toBe(200);
    expect((await listSessions(gus.cookie)).map((session) => session.token)).not.toContain(target.token);
    expect(await proxyStatusAfterWindow(other)).toBe(401);
    // This device is untouched.
    expect((await callProxy('GET', 'me/tasks', { cookie: gus.cookie })).status).toBe(200);
  });

  it('cannot revoke another user’s session by its token', async () => {
    const hal = await signUp('Hal');
    const ivy = await signUp('Ivy');
    const db = await getDb();
    const [ivys] = await db.select({ token: sessions.token }).from(sessions).where(eq(sessions.userId, ivy.id));
    const response = await callAuth('POST', 'revoke-session', { cookie: hal.cookie, body: { token: ivys!.token } });
    expect(response.status).toBeLessThan(500);
    expect(await db.select().from(sessions).where(eq(sessions.token, ivys!.token))).toHaveLength(1);
    expect(await proxyStatusAfterWindow(ivy.cookie)).toBe(200);
  });

  it('signs out everywhere else, keeping this device', async () => {
    const jo = await signUp('Jo');
    const others = [await secondDevice(jo), await secondDevice(jo)];
    expect(await listSessions(jo.cookie)).toHaveLength(3);
    expect((await callAuth('POST', 'revoke-other-sessions', { cookie: jo.cookie, body: {} })).status).toBe(200);
    expect(await listSessions(jo.cookie)).toHaveLength(1);
    for (const cookie of others) expect(await proxyStatusAfterWindow(cookie)).toBe(401);
    expect((await callProxy('GET', 'me/tasks', { cookie: jo.cookie })).status).toBe(200);
  });

  it('answers 401 without a session', async () => {
    expect((await callAuth('GET', 'list-sessions')).status).toBe(401);
    expect((await callAuth('POST', 'revoke-other-sessions', { body: {} })).status).toBe(401);
  });
});

/** Every table with a user_id column, and how many rows the user has in each (plus the user row itself). */
async function rowsOf(userId: string): Promise<Record<string, number>> {
  const tables = await query<{ table_name: string }>(
    sql`select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'user_id' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await query<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table_name)} where user_id = ${userId}`);
    counts[table_name] = row!.n;
  }
  const [user] = await query<{ n: number }>(sql`select count(*)::int as n from "user" where id = ${userId}`);
  counts.user = user!.n;
  return counts;
}

/** A user with a row in every table that holds a user's data. */
async function userWithEverything() {
  const kim = await signUp('Kim');
  const token = await tokenFor(kim);
  const list = await callApi('POST', 'me/lists', { token, body: { name: 'Home' } });
  expect(list.status).toBe(201);
  const listId = ((await list.json()) as { id: number }).id;
  const task = await callApi('POST', 'me/tasks', { token, body: { title: 'Water the plants', tags: ['garden'], list_id: listId }, headers: { 'idempotency-key': 'k-1' } });
  expect(task.status).toBe(201);
  const taskId = ((await task.json()) as { id: number }).id;
  expect((await callApi('POST', 'me/calendar-feed', { token })).status).toBeLessThan(300);
  const db = await getDb();
  await db.insert(notifications).values({ userId: kim.id, taskId, title: 'Water the plants', fireAt: new Date() });
  // Two-factor set up (not yet confirmed: delete-user then still takes the password alone).
  expect((await callAuth('POST', 'two-factor/enable', { cookie: kim.cookie, body: { password: kim.password } })).status).toBe(200);
  return { kim, token };
}

describe('POST /api/auth/delete-user', () => {
  it('refuses a wrong password with 400 and deletes nothing', async () => {
    const { kim } = await userWithEverything();
    const before = await rowsOf(kim.id);
    const response = await callAuth('POST', 'delete-user', { cookie: kim.cookie, body: { password: 'not-the-password' } });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('INVALID_PASSWORD');
    expect(await rowsOf(kim.id)).toEqual(before);
    expect((await callProxy('GET', 'me/tasks', { cookie: kim.cookie })).status).toBe(200);
  });

  it('deletes the user and every row of theirs in every table; their sessions and access tokens are refused at once', async () => {
    const { kim, token } = await userWithEverything();
    const other = await secondDevice(kim);
    const bystander = await userWithEverything();
    const before = await rowsOf(kim.id);
    // Every table that holds user data has a row of Kim's, so "0 after" means something.
    for (const table of ['user', 'session', 'account', 'tasks', 'lists', 'tags', 'task_tags', 'task_counts', 'notifications', 'calendar_feeds', 'idempotency_keys', 'two_factor']) {
      expect(before[table], table).toBeGreaterThan(0);
    }

    const response = await callAuth('POST', 'delete-user', { cookie: kim.cookie, body: { password: kim.password } });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((cookie) => /session_token=;/.test(cookie))).toBe(true);

    const after = await rowsOf(kim.id);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.values(after).every((count) => count === 0), JSON.stringify(after)).toBe(true);

    // At once, not after the cookie cache's window.
    expect((await callApi('GET', 'me/tasks', { token })).status).toBe(401);
    expect((await callAuth('GET', 'token', { cookie: kim.cookie })).status).toBe(401);
    expect((await callProxy('GET', 'me/tasks', { cookie: kim.cookie })).status).toBe(401);
    expect((await callProxy('GET', 'me/tasks', { cookie: other })).status).toBe(401);
    expect((await signIn(kim)).status).toBe(401);

    // Someone else's data is untouched.
    expect(Object.values(await rowsOf(bystander.kim.id)).every((count) => count > 0)).toBe(true);
    expect((await callApi('GET', 'me/tasks', { token: bystander.token })).status).toBe(200);
  });

  it('answers 401 without a session', async () => {
    expect((await callAuth('POST', 'delete-user', { body: { password: 'whatever-it-is' } })).status).toBe(401);
  });
});
