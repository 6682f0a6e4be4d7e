import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, authLimiter, PASSWORD, signUp, startHarness, type Harness } from './harness';

/**
 * A person's first day with Tasklane, in Chromium against the production build: sign up, add,
 * complete, filter, edit, delete, reload, sign out and back in; a second person sees none of it.
 * The pages run under the real Content-Security-Policy: any violation, console error, uncaught
 * error or alert() fails the test.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
const XSS_TITLE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

let harness: Harness;
const beforeAuth = authLimiter();

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const itemsLeft = (page: Page) => page.getByTestId('items-left').textContent().then((text) => text?.replace(/\s+/g, ' ').trim());
const titles = (page: Page) => page.locator('[data-task-id] p[id$="-title"]').allTextContents();

async function addTask(page: Page, title: string, description?: string) {
  const field = page.getByLabel('New task');
  await field.fill(title);
  if (description) {
    await page.getByRole('button', { name: '+ Add a description' }).click();
    await page.getByLabel('Description (optional)').fill(description);
    await field.focus();
  }
  await field.press('Enter');
  // Saved: the row is no longer the optimistic placeholder.
  await page.locator('[data-task-id]:not([aria-busy])', { hasText: title.slice(0, 20) }).first().waitFor();
}


async function screenshot(page: Page, name: string) {
  // No hover state left over from the last click in the picture.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('Tasklane in a browser', () => {
  it('takes a new person from sign-up through every task action, sign-out and back', async () => {
    const { page, context, problems } = await harness.newPerson();

    // Signed out: /tasks sends to sign-in.
    await page.goto('/tasks');
    await page.waitForURL('**/sign-in');

    // Sign-up shows the password rule before submitting, and checks it without asking the server.
    await page.goto('/sign-up');
    await expect.poll(() => page.getByText('At least 8 characters.').isVisible()).toBe(true);
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 8 characters.').waitFor();
    expect(page.url()).toMatch(/\/sign-up$/);
    await page.getByLabel('Password').fill(PASSWORD);
    await beforeAuth('/sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/tasks');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByText('Ada', { exact: true }).isVisible()).toBe(true);
    await page.getByText('No tasks yet').waitFor();

    // Add three tasks: Enter adds, the field empties and keeps focus; text is text.
    await addTask(page, 'Buy milk');
    await addTask(page, 'Write report', 'Quarterly numbers');
    await addTask(page, XSS_TITLE);
    expect(await page.getByLabel('New task').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('What needs to be done?');
    expect(await titles(page)).toEqual([XSS_TITLE, 'Write report', 'Buy milk']);
    expect(await page.getByText('Quarterly numbers').isVisible()).toBe(true);
    expect(await itemsLeft(page)).toBe('3 items left');
    // Whitespace-only is ignored.
    await page.getByLabel('New task').fill('   ');
    await page.getByLabel('New task').press('Enter');
    expect(await titles(page)).toHaveLength(3);

    // Complete one.
    await page.getByRole('checkbox', { name: 'Buy milk' }).check();
    await expect.poll(() => itemsLeft(page)).toBe('2 items left');

    // Filters live in the URL and survive back/forward and reload.
    await page.getByRole('link', { name: 'Active' }).click();
    await page.waitForURL('**/tasks?filter=active');
    await expect.poll(() => titles(page)).toEqual([XSS_TITLE, 'Write report']);
    await page.getByRole('link', { name: 'Completed' }).click();
    await page.waitForURL('**/tasks?filter=completed');
    await expect.poll(() => titles(page)).toEqual(['Buy milk']);
    await page.goBack();
    await page.waitForURL('**/tasks?filter=active');
    await expect.poll(() => titles(page)).toEqual([XSS_TITLE, 'Write report']);
    await page.reload();
    expect(await titles(page)).toEqual([XSS_TITLE, 'Write report']);
    expect(await page.getByRole('link', { name: 'Active' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('link', { name: 'All', exact: true }).click();
    await page.waitForURL(/\/tasks$/);
    await expect.poll(() => titles(page)).toEqual([XSS_TITLE, 'Write report', 'Buy milk']);

    // Edit: double-click, type, Enter saves.
    await page.getByText('Write report', { exact: true }).dblclick();
    const editTitle = page.getByRole('group', { name: 'Editing “Write report”' }).getByLabel('Title');
    await editTitle.fill('Write the report');
    await editTitle.press('Enter');
    await expect.poll(() => titles(page)).toEqual([XSS_TITLE, 'Write the report', 'Buy milk']);
    // Focus went back to the task's Edit button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit “Write the report”');

    // Edit button, type, Escape cancels.
    await page.getByRole('button', { name: 'Edit “Write the report”' }).click();
    const again = page.getByRole('group', { name: 'Editing “Write the report”' }).getByLabel('Title');
    await again.fill('Something else');
    await again.press('Escape');
    await expect.poll(() => titles(page)).toEqual([XSS_TITLE, 'Write the report', 'Buy milk']);

    // Delete the hostile-looking one; focus moves to the next task.
    await page.getByRole('button', { name: `Delete “${XSS_TITLE}”` }).click();
    await expect.poll(() => titles(page)).toEqual(['Write the report', 'Buy milk']);
    await expect.poll(() => itemsLeft(page)).toBe('1 item left');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-task-id]')?.textContent ?? '')).toContain('Write the report');

    // Everything was saved: a reload shows the same.
    await page.reload();
    expect(await titles(page)).toEqual(['Write the report', 'Buy milk']);
    expect(await page.getByRole('checkbox', { name: 'Buy milk' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Write the report' }).isChecked()).toBe(false);
    expect(await itemsLeft(page)).toBe('1 item left');
    // The tasks are in the HTML itself (rendered on the server): no blank list before the JS runs.
    const html = await (await context.request.get('/tasks')).text();
    expect(html).toContain('Write the report');
    expect(html).toMatch(/>1<\/strong>\s*(<!-- -->)?item(<!-- -->)? left/);

    // Screenshots of the dashboard, light and dark, desktop and phone width.
    await addTask(page, 'Call the plumber about the kitchen sink before Friday', 'Ask about the leak under the dishwasher too, and whether they can come in the morning.');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await accessibilityViolations(page), `axe, ${scheme}`).toEqual([]);
      await screenshot(page, `tasks-${scheme}-desktop`);
      await page.setViewportSize({ width: 360, height: 780 });
      await screenshot(page, `tasks-${scheme}-360`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Sign out: /tasks sends to sign-in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.goto('/tasks?filter=completed');
    await page.waitForURL('**/sign-in?next=%2Ftasks%3Ffilter%3Dcompleted');

    // Sign back in: back to the page asked for.
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await beforeAuth('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/tasks?filter=completed');
    await expect.poll(() => titles(page)).toEqual(['Buy milk']);
    // Signed in, the home page goes straight to the dashboard.
    await page.goto('/');
    await page.waitForURL(/\/tasks$/);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a second person none of the first one’s tasks', async () => {
    const { page, context, problems } = await harness.newPerson();
    await signUp(page, 'Bob', 'bob@example.com', beforeAuth);
    await page.getByText('No tasks yet').waitFor();
    expect(await itemsLeft(page)).toBe('0 items left');
    const viaApi = await page.evaluate(async () => {
      const response = await fetch('/api/proxy/me/tasks');
      return { status: response.status, total: response.headers.get('x-total-count') };
    });
    expect(viaApi).toEqual({ status: 200, total: '0' });

    // What /tasks costs a browser in JavaScript, on a load with an empty cache.
    const fresh = await context.newPage();
    const scripts = new Map<string, Promise<Buffer>>();
    fresh.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.set(response.url(), response.body());
    });
    await fresh.goto('/tasks', { waitUntil: 'networkidle' });
    const bodies = await Promise.all(scripts.values());
    const raw = bodies.reduce((sum, body) => sum + body.length, 0);
    const gzip = bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
    const weight = { page: '/tasks', files: bodies.length, rawKB: Math.round(raw / 1024), gzipKB: Math.round(gzip / 1024) };
    console.log(`JS of /tasks: ${JSON.stringify(weight)}`);
    writeFileSync(path.join(SCREENSHOTS, 'js-weight.json'), `${JSON.stringify(weight, null, 2)}\n`);
    // The budget: React + Next's runtime are most of it; a dependency that doubles it fails here.
    // 210 since the reminders' bell and the repeat words joined every page (202 KB on 3 Dec 2026,
    // with rrule, the pickers, the detail panel and the settings' code kept off this page); 220
    // since the accounts' part of the shell (the email-verification banner; 216 KB the same day).
    expect(weight.gzipKB).toBeLessThan(220);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks a person whose session ended to sign in again where they are, and then adds what they were adding', async () => {
    const { page, context, problems } = await harness.newPerson();
    await signUp(page, 'Cleo', 'cleo@example.com', beforeAuth);
    await addTask(page, 'Before the session ended');
    // The session cookie disappears (expired, or cleared) while the page stays open.
    await context.clearCookies();
    await page.getByLabel('New task').fill('Typed after it ended');
    await page.getByLabel('New task').press('Enter');
    // Not a trip to the sign-in page: a dialog, the new task kept on the page meanwhile
    // (e2e/sessions.test.ts tells the rest of that story).
    const dialog = page.getByRole('dialog', { name: 'Your session ended — sign in again to save' });
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    expect(await dialog.getByLabel('Email', { exact: true }).inputValue()).toBe('cleo@example.com');
    await beforeAuth('/sign-in');
    await dialog.getByRole('button', { name: 'Sign in and save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(page.url()).toMatch(/\/tasks$/);
    await page.locator('[data-task-id]:not([aria-busy])', { hasText: 'Typed after it ended' }).waitFor();
    expect(await titles(page)).toEqual(['Typed after it ended', 'Before the session ended']);

    // By keyboard alone: Tab reaches the task's checkbox, Space completes, Enter on Edit opens the
    // editor, Escape closes it.
    await page.getByLabel('New task').focus();
    await page.keyboard.press('Tab'); // Add
    await page.keyboard.press('Tab'); // + Add a description
    await page.keyboard.press('Tab'); // the first task's checkbox
    expect(await page.evaluate(() => document.activeElement?.closest('[data-task-id]')?.textContent)).toContain('Typed after it ended');
    await page.keyboard.press('Space');
    await expect.poll(() => itemsLeft(page)).toBe('1 item left');
    await page.keyboard.press('Tab'); // Details
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Details of “Typed after it ended”');
    await page.keyboard.press('Tab'); // Edit
    await page.keyboard.press('Enter');
    // The caret lands at the end of the title: typing adds to it.
    await page.keyboard.type(' (edited)');
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Typed after it ended (edited)');
    await page.setViewportSize({ width: 360, height: 640 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'tasks-editing-dark-360');
    await page.keyboard.press('Escape');
    expect(await titles(page)).toEqual(['Typed after it ended', 'Before the session ended']);
    await page.keyboard.press('n');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('What needs to be done?');

    // A change the server refuses is rolled back, with a toast that offers to retry.
    await page.route('**/api/proxy/me/tasks/*/complete', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'retry-after': '5' }, body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The database is not answering. Please retry shortly.' }) }),
    );
    await page.getByRole('checkbox', { name: 'Before the session ended' }).click();
    await page.getByText('Couldn’t mark “Before the session ended” as done.', { exact: false }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Before the session ended' }).isChecked()).toBe(false);
    // Let sonner's entrance animation finish before the picture.
    await page.waitForTimeout(600);
    expect(await accessibilityViolations(page), 'axe, toast').toEqual([]);
    await screenshot(page, 'tasks-failed-toast-dark-360');
    await page.unroute('**/api/proxy/me/tasks/*/complete');
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Before the session ended' }).isChecked()).toBe(true);
    expect(problems.filter((problem) => !/status of 503|HTTP 503/.test(problem))).toEqual([]);
    await context.close();
  });

  it('shows the server’s message for a taken email and a wrong password, and the sign-in page in dark mode', async () => {
    const { page, context, problems } = await harness.newPerson({ colorScheme: 'dark' });
    await page.goto('/');
    await page.getByRole('link', { name: 'Create an account' }).waitFor();
    expect(await accessibilityViolations(page), 'axe, home').toEqual([]);
    await screenshot(page, 'home-dark-desktop');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'home-light-360');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/sign-up');
    await page.getByLabel('Name').fill('Ada again');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await beforeAuth('/sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: /already exists/i }).waitFor();
    // A password on the common-passwords list: the server's own sentence.
    await page.getByLabel('Email').fill('newcomer@example.com');
    await page.getByLabel('Password').fill('password1');
    await beforeAuth('/sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: /most common/i }).waitFor();

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    await beforeAuth('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /invalid email or password/i }).waitFor();
    expect(await accessibilityViolations(page), 'axe, sign-in dark').toEqual([]);
    await screenshot(page, 'sign-in-dark-desktop');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await accessibilityViolations(page), 'axe, sign-in light').toEqual([]);
    await screenshot(page, 'sign-in-light-360');
    expect(problems.filter((problem) => !/status of (400|401|422)/.test(problem))).toEqual([]);
    await context.close();
  });

  it('serves pages with the security headers and no X-Powered-By', async () => {
    const response = await fetch(`${harness.app.origin}/sign-in`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toContain('unsafe-eval');
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) expect(csp).toContain(directive);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
    // npm start (server.mjs) drops a client's own X-Forwarded-Proto unless TRUST_PROXY=1: plain
    // http, so no HSTS. The https cases of src/proxy.ts are unit-tested in src/proxy.test.ts.
    const spoofed = await fetch(`${harness.app.origin}/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();
    // Two requests, two nonces.
    expect(spoofed.headers.get('content-security-policy')).not.toBe(csp);
  });
});
