import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/server/db/client';
import { users } from '@/server/db/schema';
import { clearOutbox, readOutbox } from '@/server/mail';
import { callAuth, ORIGIN, signUp, type TestUser } from '@/test/app';

/**
 * Changing the account's email through Better Auth's /change-email, the mail read from the outbox:
 * a link goes to the new address, and the email changes only when it is followed (whether or not
 * the current one was verified), verified then. A taken address gets exactly the answer a free one
 * gets, and neither mail nor change.
 */

const CHANGE_SUBJECT = 'Confirm your new email address for Tasklane';
const VERIFY_SUBJECT = 'Verify your email address for Tasklane';
const CALLBACK = '/settings?email=changed';

const freshEmail = () => `new-${randomBytes(4).toString('hex')}@example.com`;
const mailsTo = async (email: string) => (await readOutbox()).filter((mail) => mail.to === email);
const requestChange = (user: { cookie: string }, newEmail: string) => callAuth('POST', 'change-email', { cookie: user.cookie, body: { newEmail, callbackURL: CALLBACK } });
const signIn = (email: string, password: string) => callAuth('POST', 'sign-in/email', { body: { email, password } });

/** The link of the first mail to `email` with `subject`. */
async function mailedLink(email: string, subject: string): Promise<URL> {
  const mail = await vi.waitFor(async () => {
    const found = (await mailsTo(email)).find((each) => each.subject === subject);
    if (!found) throw new Error(`no "${subject}" mail to ${email} yet`);
    return found;
  });
  const link = /http\S+\/api\/auth\/verify-email\?\S+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeDefined();
  expect(mail.html).toContain(`href="${link!.replace(/&/g, '&amp;')}"`);
  const url = new URL(link!);
  expect(url.origin).toBe(ORIGIN);
  return url;
}

async function stored(user: TestUser) {
  const [row] = await (await getDb()).select({ email: users.email, emailVerified: users.emailVerified }).from(users).where(eq(users.id, user.id));
  return row;
}

async function verified(user: TestUser) {
  const link = await mailedLink(user.email, VERIFY_SUBJECT);
  expect((await callAuth('GET', `verify-email${link.search}`)).status).toBe(302);
  expect(await stored(user)).toMatchObject({ emailVerified: true });
  return user;
}

/** Lets any mail still leaving in the background land in the outbox. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

beforeEach(async () => {
  await clearOutbox();
});

describe('changing the email address', () => {
  it('mails a link to the new address only; the email changes when it is followed, and only the new one signs in', async () => {
    const user = await verified(await signUp('Cleo'));
    const newEmail = freshEmail();
    const answer = await requestChange(user, newEmail);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: true });

    const link = await mailedLink(newEmail, CHANGE_SUBJECT);
    expect(link.searchParams.get('callbackURL')).toBe(CALLBACK);
    // Nothing changed yet, and the old address got nothing more than its verification mail.
    expect(await stored(user)).toEqual({ email: user.email, emailVerified: true });
    expect((await mailsTo(user.email)).map((mail) => mail.subject)).toEqual([VERIFY_SUBJECT]);

    // Followed in the browser that asked: back on /settings, signed in with the new address.
    const followed = await callAuth('GET', `verify-email${link.search}`, { cookie: user.cookie });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(CALLBACK);
    expect(await stored(user)).toEqual({ email: newEmail, emailVerified: true });
    const session = await callAuth('GET', 'get-session?disableCookieCache=true', { cookie: user.cookie });
    expect(await session.json()).toMatchObject({ user: { id: user.id, email: newEmail, emailVerified: true } });

    expect((await signIn(user.email, user.password)).status).toBe(401);
    const signedIn = await signIn(newEmail, user.password);
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toMatchObject({ user: { id: user.id, email: newEmail } });

    // The link works once: followed again it changes nothing and says so.
    const again = await callAuth('GET', `verify-email${link.search}`);
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe(`${CALLBACK}&error=INVALID_TOKEN`);
    expect(await stored(user)).toEqual({ email: newEmail, emailVerified: true });
  });

  it('never changes an unverified email at once either: only the link does, and it verifies the new address', async () => {
    const user = await signUp('Ugo');
    expect(await stored(user)).toMatchObject({ emailVerified: false });
    const newEmail = freshEmail();
    expect((await requestChange(user, newEmail)).status).toBe(200);
    const link = await mailedLink(newEmail, CHANGE_SUBJECT);
    expect(await stored(user)).toEqual({ email: user.email, emailVerified: false });
    expect((await signIn(user.email, user.password)).status).toBe(200);
    expect((await signIn(newEmail, user.password)).status).toBe(401);

    // Followed signed out (another device's mail app): the address changes all the same.
    const followed = await callAuth('GET', `verify-email${link.search}`);
    expect(followed.status).toBe(302);
    expect(await stored(user)).toEqual({ email: newEmail, emailVerified: true });
    expect((await signIn(newEmail, user.password)).status).toBe(200);
    expect((await signIn(user.email, user.password)).status).toBe(401);
  });

  it('answers a taken address exactly as a free one, with no mail to it and nothing changed', async () => {
    const user = await verified(await signUp('Tess'));
    const owner = await signUp('Owen');
    await clearOutbox();

    const free = await requestChange(user, freshEmail());
    const taken = await requestChange(user, owner.email);
    const takenInOtherCase = await requestChange(user, owner.email.toUpperCase());
    for (const answer of [taken, takenInOtherCase]) {
      expect(answer.status).toBe(free.status);
      expect(await answer.text()).toBe(JSON.stringify({ status: true }));
      expect(answer.headers.get('content-type')).toBe(free.headers.get('content-type'));
    }
    expect(await free.text()).toBe(JSON.stringify({ status: true }));
    await settle();
    expect(await mailsTo(owner.email)).toEqual([]);
    expect(await stored(user)).toEqual({ email: user.email, emailVerified: true });
    expect(await stored(owner)).toMatchObject({ email: owner.email });
    expect((await signIn(owner.email, owner.password)).status).toBe(200);
  });

  it('refuses a malformed address and the current one with a 400 that says why, a signed-out request with 401; nothing changes', async () => {
    const user = await signUp('Ivy');
    await clearOutbox();
    for (const bad of ['not-an-email', '', 'two@@example.com', 42]) {
      const answer = await requestChange(user, bad as string);
      expect(answer.status, String(bad)).toBe(400);
      expect(((await answer.json()) as { message?: string }).message, String(bad)).toBeTruthy();
    }
    const same = await requestChange(user, user.email.toUpperCase());
    expect(same.status).toBe(400);
    expect(await same.json()).toMatchObject({ message: 'Email is the same' });

    const signedOut = await callAuth('POST', 'change-email', { body: { newEmail: freshEmail() } });
    expect(signedOut.status).toBe(401);
    await settle();
    expect(await readOutbox()).toEqual([]);
    expect(await stored(user)).toEqual({ email: user.email, emailVerified: false });
  });

  it('does not let a link change another account, nor be followed by someone else signed in', async () => {
    const user = await verified(await signUp('Mara'));
    const other = await signUp('Nico');
    const newEmail = freshEmail();
    expect((await requestChange(user, newEmail)).status).toBe(200);
    const link = await mailedLink(newEmail, CHANGE_SUBJECT);
    // Opened in a browser where someone else is signed in: refused, nothing changes.
    const wrongBrowser = await callAuth('GET', `verify-email${link.search}`, { cookie: other.cookie });
    expect(wrongBrowser.status).toBe(302);
    expect(wrongBrowser.headers.get('location')).toBe(`${CALLBACK}&error=INVALID_USER`);
    expect(await stored(user)).toEqual({ email: user.email, emailVerified: true });
    expect(await stored(other)).toMatchObject({ email: other.email });
    // A tampered token is refused too.
    const token = link.searchParams.get('token')!;
    const tampered = await callAuth('GET', `verify-email?token=${encodeURIComponent(`${token.slice(0, -3)}abc`)}&callbackURL=${encodeURIComponent(CALLBACK)}`);
    expect(tampered.headers.get('location')).toBe(`${CALLBACK}&error=INVALID_TOKEN`);
    expect(await stored(user)).toEqual({ email: user.email, emailVerified: true });
  });

  it('keeps the link and its token off every log line', async () => {
    const logs: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
    try {
      const user = await signUp('Lou');
      const newEmail = freshEmail();
      await requestChange(user, newEmail);
      const link = await mailedLink(newEmail, CHANGE_SUBJECT);
      await callAuth('GET', `verify-email${link.search}`);
      expect(logs.join('\n')).not.toContain(link.searchParams.get('token')!);
      expect(logs.join('\n')).not.toContain('verify-email?');
    } finally {
      spy.mockRestore();
    }
  });

  it('is limited to 3 requests a minute per client address, in the app’s limiter', async () => {
    const { getAuth } = await import('@/server/auth/auth');
    const context = await (await getAuth()).$context;
    const wasEnabled = context.rateLimit.enabled;
    context.rateLimit.enabled = true;
    try {
      const user = await signUp('Rita');
      const headers = { 'x-forwarded-for': '203.0.113.9' };
      const send = () => callAuth('POST', 'change-email', { cookie: user.cookie, headers, body: { newEmail: freshEmail(), callbackURL: CALLBACK } });
      for (let i = 0; i < 3; i++) expect((await send()).status, `request ${i + 1}`).toBe(200);
      const refused = await send();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(10);
    } finally {
      context.rateLimit.enabled = wasEnabled;
    }
  });
});
