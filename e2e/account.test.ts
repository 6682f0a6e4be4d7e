import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, authLimiter, PASSWORD, signUp, startHarness, type Harness } from './harness';

/**
 * The account in /settings, in Chromium against the production build: two browsers signed in as
 * one person, the first revokes the second (which loses access within the contract's 60 s: its
 * signed cookie cache runs out), changes the password and deletes the account. Then the page in
 * light and dark, on a phone and a desktop, with axe.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
const NEW_PASSWORD = 'a-new-battery-staple-42';
let harness: Harness;
const beforeAuth = authLimiter();

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

async function screenshot(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await beforeAuth('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const devices = (page: Page) => page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');

/** Chromium logs every 4xx answer as a console error; these are the ones the test provokes on purpose. */
const provoked = (problems: string[], status: number) => problems.filter((problem) => !problem.includes(`status of ${status}`));

describe('the account in a browser', () => {
  it('revokes another device, which loses access; changes the password; deletes the account and everything in it', { timeout: 240_000 }, async () => {
    const email = `nora-${Date.now()}@example.com`;
    const first = await harness.newPerson({ timezoneId: 'Europe/Paris' });
    await signUp(first.page, 'Nora', email, beforeAuth);
    await first.page.getByLabel('New task').fill('Water the plants');
    await first.page.getByLabel('New task').press('Enter');
    await first.page.locator('[data-task-id]:not([aria-busy])', { hasText: 'Water the plants' }).waitFor();

    const second = await harness.newPerson({ width: 360 });
    await signIn(second.page, email, PASSWORD);
    await second.page.waitForURL('**/tasks');
    await second.page.getByText('Water the plants').waitFor();

    // The first browser sees both, itself marked, and revokes the other.
    await first.page.goto('/settings');
    await expect.poll(() => devices(first.page).count()).toBe(2);
    const mine = devices(first.page).filter({ hasText: 'This device' });
    expect(await mine.count()).toBe(1);
    expect(await mine.textContent()).toContain('Chrome on Linux');
    await first.page.getByRole('button', { name: /^Revoke / }).click();
    await first.page.getByRole('status').filter({ hasText: /^Signed out / }).waitFor();
    await expect.poll(() => devices(first.page).count()).toBe(1);

    // The second loses proxy access once its signed cookie cache (60 s at most) has run out ...
    await expect
      .poll(() => second.page.evaluate(async () => (await fetch('/api/proxy/me/tasks', { cache: 'no-store' })).status), { timeout: 75_000, interval: 3_000 })
      .toBe(401);
    // ... and its next task action asks it to sign in again, in a dialog that keeps the task. The
    // bell's own 30 s poll may get there first (the page is then on sign-in already).
    const sentToSignIn = second.page.waitForURL('**/sign-in?reason=expired', { timeout: 60_000 });
    const askedToSignIn = second.page.getByRole('dialog', { name: 'Your session ended — sign in again to save' });
    if (!second.page.url().includes('/sign-in')) {
      await second.page.getByLabel('New task').fill('Typed on the revoked device', { timeout: 5_000 }).catch(() => undefined);
      await second.page.getByLabel('New task').press('Enter', { timeout: 5_000 }).catch(() => undefined);
    }
    const outcome = await Promise.race([sentToSignIn.then(() => 'page' as const), askedToSignIn.waitFor({ timeout: 60_000 }).then(() => 'dialog' as const)]);
    if (outcome === 'page') await second.page.getByText('Your session has expired. Please sign in again.').waitFor();
    else expect(await second.page.evaluate(async () => (await fetch('/api/proxy/me/tasks', { cache: 'no-store' })).status)).toBe(401);
    expect(second.problems).toEqual([]);
    await second.context.close();

    // A new password, other devices signed out (the box is ticked by default).
    const security = first.page.getByRole('region', { name: 'Security' });
    expect(await security.getByRole('checkbox', { name: 'Sign out other devices' }).isChecked()).toBe(true);
    await security.getByLabel('Current password').fill(PASSWORD);
    await security.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await security.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await security.getByRole('button', { name: 'Change password' }).click();
    await security.getByText('Password changed. Your other devices have been signed out.').waitFor();
    // Still signed in here.
    await first.page.reload();
    await first.page.getByRole('heading', { name: 'Settings' }).waitFor();

    // Delete: the dialog says what goes; the old password is refused, nothing deleted; the new one deletes.
    await first.page.getByRole('button', { name: 'Delete account…' }).click();
    const dialog = first.page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.getByText('This deletes your account and its 1 task, lists and tags').waitFor();
    expect(await accessibilityViolations(first.page), 'axe, the delete dialog').toEqual([]);
    await dialog.getByLabel('Your password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
    await dialog.getByText('That password is not right. Nothing was deleted.').waitFor();
    await dialog.getByLabel('Your password').fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
    await first.page.waitForURL(/\/\?deleted=1$/);
    await first.page.getByText('Your account and all its tasks have been deleted').waitFor();
    expect(await accessibilityViolations(first.page), 'axe, the home page after deletion').toEqual([]);

    // Gone: signed out, and neither password signs in.
    await first.page.goto('/tasks');
    await first.page.waitForURL('**/sign-in**');
    await signIn(first.page, email, NEW_PASSWORD);
    await first.page.getByRole('alert').filter({ hasText: /\w/ }).waitFor();
    expect(first.page.url()).toContain('/sign-in');
    // The wrong old password (400) was provoked on purpose; the failed sign-in answers 401, which is expected noise.
    expect(provoked(first.problems, 400)).toEqual([]);
    await first.context.close();
  });

  it('looks right in light and dark, on a phone and a desktop, with no axe violations', { timeout: 240_000 }, async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [360, 1280]) {
        const { page, context, problems } = await harness.newPerson({ colorScheme, width, timezoneId: 'America/New_York' });
        await signUp(page, 'Iris', `iris-${colorScheme}-${width}-${Date.now()}@example.com`, beforeAuth);
        await page.goto('/settings');
        await page.getByRole('heading', { name: 'Settings' }).waitFor();
        await expect.poll(() => devices(page).count()).toBe(1);
        expect(await page.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('America/New_York');
        expect(await accessibilityViolations(page), `axe, settings ${colorScheme} ${width}`).toEqual([]);
        await screenshot(page, `account-settings-${colorScheme}-${width}`);

        await page.getByRole('button', { name: 'Delete account…' }).click();
        await page.getByRole('dialog', { name: 'Delete your account?' }).waitFor();
        expect(await accessibilityViolations(page), `axe, delete dialog ${colorScheme} ${width}`).toEqual([]);
        await screenshot(page, `account-delete-${colorScheme}-${width}`);
        await page.keyboard.press('Escape');
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  });
});
