import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, authLimiter, PASSWORD, signUp, startHarness, type Harness } from './harness';

/**
 * "Forgot password?" in Chromium against the production build, the mail read from a real SMTP
 * server started here (the build has no outbox): sign up and verify the address through the link in
 * the first mail, sign out, ask for a reset link, follow it, choose a new password, and sign in with
 * it; a second device signed in before the reset is signed out by it. Screenshots of
 * /forgot-password and /reset-password, light and dark, at 360 and 1280 px, each checked by axe.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
const NEW_PASSWORD = 'a-brand-new-passphrase';
let harness: Harness;
const beforeAuth = authLimiter();

interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}
const received: ReceivedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received.push({ to: session.envelope.rcptTo.map((each) => each.address), subject: mail.subject ?? '', text: mail.text ?? '' });
        callback();
      })
      .catch(callback);
  },
});

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  harness = await startHarness({ env: { MAIL_ACCOUNTS: 'on', SMTP_URL: smtpUrl, MAIL_FROM: 'Tasklane <tasklane@e2e.example>' } });
});

afterAll(async () => {
  await harness?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** The link in the newest mail to `email` whose subject is `subject`, once it arrives. */
async function linkInMail(email: string, subject: string, pathPattern: RegExp): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const mail = received.filter((each) => each.to.includes(email) && each.subject === subject).at(-1);
        link = mail ? new RegExp(`https?://\\S+${pathPattern.source}\\S*`).exec(mail.text)?.[0] : undefined;
        return link;
      },
      { timeout: 20_000 },
    )
    .toBeDefined();
  // Links are on the app's address (BETTER_AUTH_URL), never elsewhere.
  expect(new URL(link!).origin).toBe(harness.app.origin);
  return link!;
}

async function screenshots(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 860 });
      await page.mouse.move(0, 0);
      expect(await accessibilityViolations(page), `axe, ${name} ${scheme} ${width}`).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${scheme}-${width}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await beforeAuth('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('password reset in a browser', () => {
  it('verifies the address, then resets a forgotten password through the link in the mail and signs in with the new one', async () => {
    const email = `forgetful-${Date.now()}@example.com`;
    const { page, problems } = await harness.newPerson();
    await signUp(page, 'Fern', email, beforeAuth);

    // Unverified: the banner, until the link in the sign-up mail is followed.
    const banner = page.getByRole('region', { name: 'Email verification' });
    await banner.getByText('Verify your email address').waitFor();
    expect(await accessibilityViolations(page), 'axe, the verification banner').toEqual([]);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'verify-banner-light-1280.png'), fullPage: true });
    const verifyLink = await linkInMail(email, 'Verify your email address for Tasklane', /\/api\/auth\/verify-email\?/);
    await page.goto(verifyLink);
    await page.waitForURL('**/tasks');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await banner.count()).toBe(0);

    // A second device, signed in now: the reset must sign it out.
    const other = await harness.newPerson();
    await other.page.goto('/sign-in');
    await signIn(other.page, email, PASSWORD);
    await other.page.waitForURL('**/tasks');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL('**/forgot-password');
    await screenshots(page, 'forgot-password');

    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText('If an account exists for that address, we sent a link').waitFor();
    await screenshots(page, 'forgot-password-sent');

    const resetLink = await linkInMail(email, 'Reset your Tasklane password', /\/reset-password\?token=/);
    await page.goto(resetLink);
    await page.getByLabel('New password', { exact: true }).waitFor();
    await screenshots(page, 'reset-password');

    // A confirmation that does not match is caught on the page.
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password', { exact: true }).fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('The two passwords do not match.').waitFor();
    await page.getByLabel('Confirm new password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Password changed.').waitFor();
    await screenshots(page, 'reset-password-done');

    // The other device is signed out (the (app) layout reads the session row, not a cache).
    await other.page.reload();
    await other.page.waitForURL('**/sign-in**');

    // The link worked once.
    await page.goto(resetLink);
    await page.getByText('This link has expired or was already used.').waitFor();
    await screenshots(page, 'reset-password-used');

    await page.goto('/sign-in');
    await signIn(page, email, PASSWORD);
    await page.getByRole('alert').getByText(/Invalid email or password/).waitFor();
    await signIn(page, email, NEW_PASSWORD);
    await page.waitForURL('**/tasks');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
  });
});
