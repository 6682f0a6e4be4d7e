import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, authLimiter, signUp, startHarness, type Harness } from './harness';

/**
 * Repeating tasks and reminders in Chromium against the production build: a weekly task made in
 * the detail panel moves to its next day when completed; a reminder that fires while the tab is
 * open shows in the bell and, once the person turned them on (the browser's permission granted in
 * this context), as a browser notification. Reminders are fired through /api/cron/reminders, as
 * Vercel Cron would, rather than waiting for the server's 30 s timer.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
const CRON_SECRET = 'e2e-cron-secret-0123456789abcdef';
let harness: Harness;
const beforeAuth = authLimiter();
// Email reminders on, as in production: a mail server that takes every mail (they are not read here).
const smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, onData: (stream, _session, callback) => stream.resume().on('end', () => callback()) });

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  harness = await startHarness({ env: { CRON_SECRET, MAIL_REMINDERS: 'on', SMTP_URL: smtpUrl, MAIL_FROM: 'Tasklane <tasklane@e2e.example>' } });
});

afterAll(async () => {
  await harness?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function fireReminders(): Promise<number> {
  const response = await fetch(`${harness.app.origin}/api/cron/reminders`, { method: 'POST', headers: { authorization: `Bearer ${CRON_SECRET}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { fired: number }).fired;
}

async function addTask(page: Page, line: string, title: string) {
  await page.getByLabel('New task').fill(line);
  await page.getByLabel('New task').press('Enter');
  await page.locator('[data-task-id]:not([aria-busy])', { hasText: title }).first().waitFor();
}

const row = (page: Page, title: string) => page.locator('[data-task-id]', { hasText: title }).first();

async function screenshot(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('repeating tasks and reminders in a browser', () => {
  it('makes a weekly task in the details, completes it, and sees it move to its next day', async () => {
    const { page, problems } = await harness.newPerson({ timezoneId: 'Europe/Paris' });
    await signUp(page, 'Rosa', `rosa-${Date.now()}@example.com`, beforeAuth);
    await page.waitForLoadState('networkidle');

    // Monday 7 January 2030, 09:00.
    await addTask(page, 'Water the plants 7 Jan 2030 9am', 'Water the plants');
    await row(page, 'Water the plants').getByRole('button', { name: 'Details of “Water the plants”' }).click();
    const details = page.getByRole('dialog');
    await details.getByRole('combobox', { name: 'Repeat' }).selectOption({ label: 'Weekly' });
    // The due date's weekday is chosen already; Thursday too.
    await expect.poll(() => details.getByRole('button', { name: 'Mon', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await details.getByRole('button', { name: 'Thu', exact: true }).click();
    await expect.poll(() => details.getByText('every Mon, Thu').first().isVisible()).toBe(true);
    expect(await accessibilityViolations(page), 'axe, details with the repeat picker').toEqual([]);
    await screenshot(page, 'repeat-picker-light-1280');
    await details.getByRole('button', { name: 'Close' }).click();

    await expect.poll(() => row(page, 'Water the plants').getByText(/every Mon, Thu/).isVisible()).toBe(true);
    // A click, not check(): the box does not stay ticked, the task moves on.
    await row(page, 'Water the plants').getByRole('checkbox', { name: 'Water the plants' }).click();
    await page.getByText('“Water the plants”: next on Thu 10 Jan').waitFor();
    // Still open, now due on Thursday: it never went to Completed.
    await expect.poll(() => row(page, 'Water the plants').getByRole('checkbox').isChecked()).toBe(false);
    await expect.poll(() => row(page, 'Water the plants').textContent()).toMatch(/10 Jan/);
    await page.reload();
    await expect.poll(() => row(page, 'Water the plants').textContent()).toMatch(/10 Jan/);
    expect(problems).toEqual([]);
  });

  it('shows a reminder that fires while the tab is open in the bell and as a browser notification', async () => {
    const { page, context, problems } = await harness.newPerson({ timezoneId: 'Europe/Paris', permissions: ['notifications'] });
    // What the page shows as browser notifications, kept where the test can read it.
    await context.addInitScript(() => {
      const shown: string[] = [];
      (window as unknown as { __shown: string[] }).__shown = shown;
      const Native = window.Notification;
      class Recorded extends Native {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      }
      Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
    });
    await signUp(page, 'Remy', `remy-${Date.now()}@example.com`, beforeAuth);
    await page.waitForLoadState('networkidle');

    await addTask(page, 'Call the bank', 'Call the bank');
    await row(page, 'Call the bank').getByRole('button', { name: 'Details of “Call the bank”' }).click();
    const details = page.getByRole('dialog');
    await details.getByRole('combobox', { name: 'Remind me' }).selectOption({ label: 'Custom…' });
    // A minute ago, in the person's zone: due at the next run.
    const minuteAgo = await page.evaluate(() => {
      const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(Date.now() - 60_000));
      const part = (type: string) => parts.find((each) => each.type === type)!.value;
      return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
    });
    await details.getByLabel('Remind me at').fill(minuteAgo);
    await details.getByLabel('Remind me at').blur();
    await expect.poll(() => details.getByText(/^Remind(ed|er):/).first().isVisible()).toBe(true);
    await screenshot(page, 'reminder-picker-light-1280');
    await details.getByRole('button', { name: 'Close' }).click();

    // Turned on in the bell (the permission is granted already: no prompt).
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await page.getByRole('button', { name: 'Show reminders as browser notifications' }).click();
    await page.getByRole('button', { name: 'Stop browser notifications' }).waitFor();
    await page.keyboard.press('Escape');

    expect(await fireReminders()).toBe(1);
    // The bell polls every 30 s; coming back to the tab asks at once.
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => page.getByRole('button', { name: 'Notifications, 1 unread' }).count(), { timeout: 40_000 }).toBe(1);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown), { timeout: 10_000 }).toEqual(['Call the bank']);

    await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.getByText('Call the bank').waitFor();
    expect(await accessibilityViolations(page), 'axe, the bell open').toEqual([]);
    await screenshot(page, 'bell-light-1280');
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    expect(await fireReminders()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('looks right in light and dark, on a phone and a desktop: the details with both pickers, the bell and the settings', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [360, 1280]) {
        const { page, context, problems } = await harness.newPerson({ colorScheme, width, timezoneId: 'Europe/Paris' });
        await signUp(page, 'Iris', `iris-${colorScheme}-${width}-${Date.now()}@example.com`, beforeAuth);
        await page.waitForLoadState('networkidle');
        await addTask(page, 'Gym 7 Jan 2030 6pm', 'Gym');
        await row(page, 'Gym').getByRole('button', { name: 'Details of “Gym”' }).click();
        const details = page.getByRole('dialog');
        await details.getByRole('combobox', { name: 'Repeat' }).selectOption({ label: 'Weekly' });
        await details.getByRole('combobox', { name: 'Remind me' }).selectOption({ label: '1 hour before' });
        await expect.poll(() => details.getByText(/^Reminder:/).first().isVisible()).toBe(true);
        expect(await accessibilityViolations(page), `axe, details ${colorScheme} ${width}`).toEqual([]);
        await screenshot(page, `details-pickers-${colorScheme}-${width}`);
        await details.getByRole('button', { name: 'Close' }).click();
        await screenshot(page, `tasks-recurring-${colorScheme}-${width}`);

        await page.getByRole('button', { name: /^Notifications/ }).click();
        expect(await accessibilityViolations(page), `axe, bell ${colorScheme} ${width}`).toEqual([]);
        await screenshot(page, `bell-${colorScheme}-${width}`);
        await page.keyboard.press('Escape');

        await page.goto('/settings');
        await page.getByRole('heading', { name: 'Settings' }).waitFor();
        await page.getByRole('checkbox', { name: 'Email me when a reminder fires' }).waitFor();
        expect(await accessibilityViolations(page), `axe, settings ${colorScheme} ${width}`).toEqual([]);
        await screenshot(page, `settings-${colorScheme}-${width}`);
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  });
});
