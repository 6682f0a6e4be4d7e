import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearOutbox, readOutbox } from '@/server/mail';
import { callAuth, cookiesFrom, ORIGIN } from '@/test/app';

/**
 * Email verification through Better Auth's endpoints, the mail read from the outbox: a link mailed
 * at sign-up that verifies the address and lands on /tasks; meanwhile the account works and the
 * session says "unverified" (the (app) layout's banner); "Send again" mails a new link, 3 a minute.
 */

const cookieJar = vi.hoisted(() => ({ cookie: '' }));
// What the (app) layout reads the session with: the request's headers, here the test's cookie.
vi.mock('next/headers', () => ({ headers: async () => new Headers({ cookie: cookieJar.cookie }) }));

const VERIFY_SUBJECT = 'Verify your email address for Tasklane';

async function signUp() {
  const email = `verify-${randomBytes(4).toString('hex')}@example.com`;
  const response = await callAuth('POST', 'sign-up/email', { body: { name: 'Vera <b>', email, password: 'a long enough passphrase', callbackURL: '/tasks' } });
  expect(response.status).toBe(200);
  return { email, cookie: cookiesFrom(response) };
}

const verifyMails = async (email: string) => (await readOutbox()).filter((mail) => mail.to === email && mail.subject === VERIFY_SUBJECT);

/** The link of the newest verification mail to `email`. */
async function mailedLink(email: string, count = 1): Promise<URL> {
  const mails = await vi.waitFor(async () => {
    const found = await verifyMails(email);
    if (found.length < count) throw new Error(`${found.length} verification mails, waiting for ${count}`);
    return found;
  });
  const text = mails[0]!.text;
  const link = /http\S+\/api\/auth\/verify-email\?\S+/.exec(text)?.[0];
  expect(link, text).toBeDefined();
  expect(mails[0]!.html).toContain(`href="${link!.replace(/&/g, '&amp;')}"`);
  return new URL(link!);
}

async function sessionUser(cookie: string) {
  const response = await callAuth('GET', 'get-session?disableCookieCache=true', { cookie });
  return ((await response.json()) as { user: { emailVerified: boolean } } | null)?.user;
}

/** What the (app) layout gets: SessionUser.emailVerified decides the banner. */
async function layoutUser(cookie: string) {
  cookieJar.cookie = cookie;
  const { getSessionUser } = await import('@/server/auth/session');
  return getSessionUser();
}

beforeEach(async () => {
  await clearOutbox();
});

describe('email verification', () => {
  it('mails a link at sign-up; until it is followed the account works unverified, then it is verified', async () => {
    const { email, cookie } = await signUp();
    const link = await mailedLink(email);
    expect(link.origin).toBe(ORIGIN);
    expect(link.searchParams.get('callbackURL')).toBe('/tasks');
    expect(link.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    expect(await sessionUser(cookie)).toMatchObject({ emailVerified: false });
    expect(await layoutUser(cookie)).toMatchObject({ email, emailVerified: false });
    // Signing in works unverified.
    expect((await callAuth('POST', 'sign-in/email', { body: { email, password: 'a long enough passphrase' } })).status).toBe(200);

    const followed = await callAuth('GET', `verify-email${link.search}`);
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe('/tasks');
    expect(await sessionUser(cookie)).toMatchObject({ emailVerified: true });
    expect(await layoutUser(cookie)).toMatchObject({ emailVerified: true });
  });

  it('keeps the link and its token off every log line', async () => {
    const logs: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
    try {
      const { email } = await signUp();
      const link = await mailedLink(email);
      expect(logs.join('\n')).not.toContain(link.searchParams.get('token')!);
      expect(logs.join('\n')).not.toContain('verify-email?');
    } finally {
      spy.mockRestore();
    }
  });

  it('answers a bad or tampered link with a redirect that says so, never a 500, and verifies nothing', async () => {
    const { email, cookie } = await signUp();
    const link = await mailedLink(email);
    const token = link.searchParams.get('token')!;
    for (const bad of ['not-a-token', `${token.slice(0, -3)}abc`]) {
      const response = await callAuth('GET', `verify-email?token=${encodeURIComponent(bad)}&callbackURL=/tasks`);
      expect(response.status, bad).toBe(302);
      expect(response.headers.get('location'), bad).toBe('/tasks?error=INVALID_TOKEN');
    }
    expect(await sessionUser(cookie)).toMatchObject({ emailVerified: false });
  });

  it('"Send again" mails a new link; once verified it is refused with a message', async () => {
    const { email, cookie } = await signUp();
    await mailedLink(email);
    const again = await callAuth('POST', 'send-verification-email', { cookie, body: { email, callbackURL: '/tasks' } });
    expect(again.status).toBe(200);
    const link = await mailedLink(email, 2);
    expect((await callAuth('GET', `verify-email${link.search}`)).status).toBe(302);
    // A new session (an old one's signed cookie cache may say "unverified" for up to 60 s more).
    const fresh = cookiesFrom(await callAuth('POST', 'sign-in/email', { body: { email, password: 'a long enough passphrase' } }));
    const verified = await callAuth('POST', 'send-verification-email', { cookie: fresh, body: { email, callbackURL: '/tasks' } });
    expect(verified.status).toBe(400);
    expect(await verified.json()).toMatchObject({ code: 'EMAIL_ALREADY_VERIFIED' });
  });

  it('"Send again" is limited to 3 a minute per client address (Better Auth’s rule, counted in the app’s limiter)', async () => {
    const { getAuth } = await import('@/server/auth/auth');
    const limiter = await import('@/server/http/limiter');
    const consume = vi.spyOn(limiter, 'consume');
    const context = await (await getAuth()).$context;
    // On in production only; turned on here for this test.
    const wasEnabled = context.rateLimit.enabled;
    context.rateLimit.enabled = true;
    try {
      const { email, cookie } = await signUp();
      const headers = { 'x-forwarded-for': '203.0.113.7' };
      const send = () => callAuth('POST', 'send-verification-email', { cookie, headers, body: { email, callbackURL: '/tasks' } });
      for (let i = 0; i < 3; i++) expect((await send()).status, `send ${i + 1}`).toBe(200);
      const refused = await send();
      expect(refused.status).toBe(429);
      // As every 429 of the app: a problem with Retry-After (the auth route handler's doing).
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(consume).toHaveBeenCalled();
      // The sign-up's mail and three more: the refused one sent nothing.
      await mailedLink(email, 4);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await verifyMails(email)).toHaveLength(4);
      // Another address is counted apart.
      const other = await callAuth('POST', 'send-verification-email', { cookie, headers: { 'x-forwarded-for': '203.0.113.8' }, body: { email, callbackURL: '/tasks' } });
      expect(other.status).toBe(200);
    } finally {
      context.rateLimit.enabled = wasEnabled;
      consume.mockRestore();
    }
  });
});
