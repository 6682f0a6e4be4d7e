import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, authLimiter, PASSWORD, signUp, startHarness, type Harness } from './harness';

/**
 * Sessions across tabs and over time, in Chromium against the production build: signing out in one
 * tab signs out the others; a session that ends while a task is edited keeps the edit and asks to
 * sign in again in a dialog, then saves it (or, dismissed, says it is not saved); and the email is
 * changed through the link mailed to the new address, read from an SMTP server started here.
 * Screenshots of the dialog, the notice and the email form, light and dark, at 360 and 1280 px,
 * each checked by axe.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
const DIALOG = 'Your session ended — sign in again to save';
let harness: Harness;
const beforeAuth = authLimiter();

const received: { to: string[]; subject: string; text: string }[] = [];
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

async function linkInMail(email: string, subject: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        const mail = received.filter((each) => each.to.includes(email) && each.subject === subject).at(-1);
        link = mail ? /https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(mail.text)?.[0] : undefined;
        return link;
      },
      { timeout: 20_000 },
    )
    .toBeDefined();
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

const row = (page: Page, title: string) => page.locator('[data-task-id]:not([aria-busy])', { hasText: title });

async function addTask(page: Page, title: string) {
  await page.getByLabel('New task').fill(title);
  await page.getByLabel('New task').press('Enter');
  await row(page, title).waitFor();
}

/** The titles the task API holds for the signed-in person, read through the proxy. */
const storedTitles = (page: Page) => page.evaluate(async () => ((await (await fetch('/api/proxy/me/tasks', { cache: 'no-store' })).json()) as { title: string }[]).map((task) => task.title));

/** Edits a task's title inline with the session gone (the browser's cookies cleared), and saves. */
async function editSignedOut(page: Page, context: BrowserContext, from: string, to: string) {
  await page.getByRole('button', { name: `Edit “${from}”`, exact: true }).click();
  const title = page.getByRole('textbox', { name: 'Title', exact: true });
  await title.fill(to);
  await context.clearCookies();
  await title.press('Enter');
}

async function signInInDialog(page: Page) {
  const dialog = page.getByRole('dialog', { name: DIALOG });
  await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await beforeAuth('/sign-in');
  await dialog.getByRole('button', { name: 'Sign in and save', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('sessions in a browser', () => {
  it('signs every tab out when one signs out, without the others doing anything', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await harness.newPerson();
    await signUp(page, 'Tabitha', `tabs-${Date.now()}@example.com`, beforeAuth);
    const other = await context.newPage();
    await other.goto('/tasks');
    await other.getByRole('button', { name: 'Sign out', exact: true }).waitFor();
    await other.waitForLoadState('networkidle');
    const third = await context.newPage();
    await third.goto('/settings');
    await third.getByRole('heading', { name: 'Settings' }).waitFor();
    await third.waitForLoadState('networkidle');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/sign-in');
    await other.waitForURL('**/sign-in', { timeout: 10_000 });
    await third.waitForURL('**/sign-in', { timeout: 10_000 });
    // Really signed out there: /tasks sends it to sign in.
    await other.goto('/tasks');
    await other.waitForURL('**/sign-in**');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps an edit made as the session ended, asks to sign in again in place, then saves it', { timeout: 180_000 }, async () => {
    const { context, page, problems } = await harness.newPerson();
    await signUp(page, 'Edith', `edit-${Date.now()}@example.com`, beforeAuth);
    await addTask(page, 'Plan the trip');
    await addTask(page, 'Book the hotel');

    await editSignedOut(page, context, 'Plan the trip', 'Plan the trip to Rome');
    const dialog = page.getByRole('dialog', { name: DIALOG });
    await dialog.waitFor();
    // The edit is still on the page, the page did not leave, and the password is asked for.
    await row(page, 'Plan the trip to Rome').waitFor();
    expect(page.url()).toMatch(/\/tasks$/);
    expect(await dialog.getByLabel('Email', { exact: true }).inputValue()).toMatch(/^edit-\d+@example\.com$/);
    await screenshots(page, 'sign-in-again-dialog');

    await signInInDialog(page);
    await expect.poll(() => storedTitles(page), { timeout: 15_000 }).toContain('Plan the trip to Rome');
    // The page is usable straight away: the task can be edited again, from its button.
    await page.getByRole('button', { name: 'Edit “Plan the trip to Rome”', exact: true }).click({ timeout: 10_000 });
    await page.getByRole('textbox', { name: 'Title', exact: true }).press('Escape');
    await page.reload();
    await row(page, 'Plan the trip to Rome').waitFor();

    // Escape: the dialog goes, the edit stays, and a notice says it is not saved; from the notice, sign in and it is.
    await editSignedOut(page, context, 'Book the hotel', 'Book the hotel near the station');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const notice = page.getByRole('region', { name: 'Changes not saved' });
    await notice.getByText('your changes are not saved until you sign in again').waitFor();
    await row(page, 'Book the hotel near the station').waitFor();
    await screenshots(page, 'changes-not-saved-notice');
    await notice.getByRole('button', { name: 'Sign in to save', exact: true }).click();
    await signInInDialog(page);
    await notice.waitFor({ state: 'hidden' });
    await expect.poll(() => storedTitles(page), { timeout: 15_000 }).toContain('Book the hotel near the station');
    await page.getByRole('button', { name: 'Edit “Book the hotel near the station”', exact: true }).click({ timeout: 10_000 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('changes the email through the link mailed to the new address', { timeout: 180_000 }, async () => {
    const stamp = Date.now();
    const email = `old-${stamp}@example.com`;
    const newEmail = `new-${stamp}@example.com`;
    const { context, page, problems } = await harness.newPerson();
    await signUp(page, 'Emil', email, beforeAuth);
    await page.goto('/settings');
    const profile = page.getByRole('region', { name: 'Profile' });
    const field = profile.getByRole('textbox', { name: 'Email', exact: true });
    expect(await field.inputValue()).toBe(email);

    await field.fill(newEmail);
    await profile.getByRole('button', { name: 'Change email', exact: true }).click();
    await profile.getByText(`We sent a link to ${newEmail} — your email changes when you follow it.`).waitFor();
    expect(await field.inputValue()).toBe(email);
    await screenshots(page, 'change-email-sent');

    const link = await linkInMail(newEmail, 'Confirm your new email address for Tasklane');
    // Nothing goes to the old address but its sign-up verification.
    expect(received.filter((mail) => mail.to.includes(email)).map((mail) => mail.subject)).toEqual(['Verify your email address for Tasklane']);
    await page.goto(link);
    await page.waitForURL('**/settings?email=changed#profile');
    await profile.getByText(`Your email is now ${newEmail}.`).waitFor();
    expect(await field.inputValue()).toBe(newEmail);
    // The new address is verified by the link: no banner.
    expect(await page.getByRole('region', { name: 'Email verification' }).count()).toBe(0);
    await screenshots(page, 'change-email-done');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await beforeAuth('/sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText(/Invalid email or password/).waitFor();
    await page.getByLabel('Email').fill(newEmail);
    await beforeAuth('/sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/tasks');
    expect(problems).toEqual([]);
    await context.close();
  });
});
