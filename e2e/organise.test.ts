import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, authLimiter, signUp, startHarness, type Harness } from './harness';

/**
 * Organising a week in Chromium against the production build: lists made, renamed and deleted in
 * the sidebar, tasks added with a quick-add line, found by tag, due date and search, sorted,
 * completed as a selection, and a view that survives a reload. Screenshots of every new view,
 * light and dark, at 360 and 1280 px, each checked by axe.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

let harness: Harness;
const beforeAuth = authLimiter();

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const titles = (page: Page) => page.locator('[data-task-id] p[id$="-title"]').allTextContents();
const row = (page: Page, title: string) => page.locator('[data-task-id]', { has: page.locator('p[id$="-title"]', { hasText: title }) });
const sidebar = (page: Page) => page.getByRole('navigation', { name: 'Places, lists and tags' }).first();


/** Types a quick-add line, checks the chips it shows, and adds it. */
async function quickAdd(page: Page, line: string, chips: string[], title: string) {
  const field = page.getByLabel('New task');
  await field.fill(line);
  if (chips.length > 0) {
    const understood = page.getByRole('list', { name: 'Understood from what you typed' });
    await expect.poll(() => understood.getByRole('button').allTextContents()).toEqual(chips.map((chip) => `${chip}✕`));
  }
  await field.press('Enter');
  await row(page, title).and(page.locator(':not([aria-busy])')).first().waitFor();
}

async function screenshots(page: Page, name: string, prepare?: (width: number) => Promise<void>) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 860 });
      await prepare?.(width);
      await page.mouse.move(0, 0);
      expect(await accessibilityViolations(page), `axe, ${name} ${scheme} ${width}`).toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${scheme}-${width}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('Organising tasks in a browser', () => {
  it('makes lists, adds tasks with a quick-add line, finds them by tag, due date and search, sorts them and completes a selection', async () => {
    const { page, context, problems } = await harness.newPerson();
    await signUp(page, 'Grace', 'grace@example.com', beforeAuth);
    await page.getByText('No tasks yet').waitFor();
    // Hydrated (the sidebar's counts are asked for from the browser): Enter in a form is React's.
    await page.waitForLoadState('networkidle');

    // Lists from the sidebar.
    for (const name of ['Work', 'Home']) {
      await sidebar(page).getByLabel('New list').fill(name);
      await sidebar(page).getByLabel('New list').press('Enter');
      await sidebar(page).getByRole('link', { name: new RegExp(`^${name}`) }).waitFor();
    }

    // Quick add: the date, tags, priority and list it understood show as chips, and are saved.
    await quickAdd(page, 'Pay rent tomorrow 9am #home !high', ['Tomorrow 09:00', '#home', 'High priority'], 'Pay rent');
    await quickAdd(page, 'Write the report in 3 days #work !medium @Work', [], 'Write the report');
    await quickAdd(page, 'Buy milk #home', ['#home'], 'Buy milk');
    await quickAdd(page, 'Renew passport yesterday', [], 'Renew passport');
    await quickAdd(page, 'Read a novel', [], 'Read a novel');
    const rent = row(page, 'Pay rent');
    expect(await rent.textContent()).toContain('Tomorrow');
    expect(await rent.textContent()).toContain('#home');
    expect(await rent.textContent()).toContain('High');
    // Overdue shows in red, and says so to a screen reader.
    expect(await row(page, 'Renew passport').textContent()).toContain('Overdue, due');
    expect(await row(page, 'Write the report').textContent()).toContain('Work');

    // The sidebar counts.
    await expect.poll(() => sidebar(page).getByRole('link', { name: /^Overdue/ }).textContent()).toMatch(/1/);
    await expect.poll(() => sidebar(page).getByRole('link', { name: /^#home/ }).textContent()).toMatch(/2/);

    // A tag from the sidebar, then a due-date filter: both in the URL, and a reload keeps them.
    await sidebar(page).getByRole('link', { name: /^#home/ }).click();
    await page.waitForURL('**/tasks?tag=home');
    await expect.poll(() => titles(page)).toEqual(['Buy milk', 'Pay rent']);
    await page.getByLabel('Due date').selectOption('week');
    await page.waitForURL(/tag=home/);
    await expect.poll(() => page.url()).toMatch(/due=week/);
    await expect.poll(() => titles(page)).toEqual(['Pay rent']);
    await page.reload();
    expect(await titles(page)).toEqual(['Pay rent']);
    expect(await page.getByLabel('Due date').inputValue()).toBe('week');
    // Nothing matches: the empty state says why and how to clear it. The due window is the
    // sidebar's Overdue place, which clearing the filters keeps (as leaving a tag filter in
    // Todoist's Today keeps Today).
    await page.getByLabel('Due date').selectOption('overdue');
    await page.getByText(/No tasks match/).waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await expect.poll(() => titles(page)).toEqual(['Renew passport']);
    expect(new URL(page.url()).search).toBe('?due=overdue');
    expect(await sidebar(page).getByRole('link', { name: /^Overdue/ }).getAttribute('aria-current')).toBe('page');
    await sidebar(page).getByRole('link', { name: 'All tasks' }).click();
    await expect.poll(() => titles(page)).toHaveLength(5);
    expect(new URL(page.url()).search).toBe('');

    // Search as you type ("/" focuses the box), into the URL.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    await page.keyboard.type('RENT pay');
    await expect.poll(() => titles(page)).toEqual(['Pay rent']);
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('RENT pay');
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
    await expect.poll(() => titles(page)).toHaveLength(5);

    // Sort by title and by due date (nulls last), both directions.
    await page.getByLabel('Sort').selectOption('title');
    await expect.poll(() => titles(page)).toEqual(['Buy milk', 'Pay rent', 'Read a novel', 'Renew passport', 'Write the report']);
    await page.getByRole('button', { name: /Ascending order/ }).click();
    await expect.poll(() => titles(page)).toEqual(['Write the report', 'Renew passport', 'Read a novel', 'Pay rent', 'Buy milk']);
    await page.getByLabel('Sort').selectOption('due');
    await expect.poll(() => titles(page)).toEqual(['Renew passport', 'Pay rent', 'Write the report', 'Read a novel', 'Buy milk']);
    await page.reload();
    expect(await titles(page)).toEqual(['Renew passport', 'Pay rent', 'Write the report', 'Read a novel', 'Buy milk']);
    expect(await page.getByLabel('Sort').inputValue()).toBe('due');

    // Select the first three (click, shift-click) and complete them in one change.
    await row(page, 'Renew passport').click({ position: { x: 400, y: 8 } });
    await row(page, 'Write the report').click({ position: { x: 400, y: 8 }, modifiers: ['Shift'] });
    const bulk = page.getByRole('region', { name: 'Change the selected tasks' });
    await bulk.getByText('3 tasks selected').waitFor();
    await screenshots(page, 'organise-selection');
    const bulkRequests: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/tasks/bulk')) bulkRequests.push(request.url());
    });
    await bulk.getByRole('button', { name: 'Complete', exact: true }).click();
    for (const title of ['Renew passport', 'Pay rent', 'Write the report']) {
      await expect.poll(() => page.getByRole('checkbox', { name: title, exact: true }).isChecked()).toBe(true);
    }
    expect(await page.getByRole('checkbox', { name: 'Read a novel', exact: true }).isChecked()).toBe(false);
    expect(bulkRequests).toHaveLength(1);
    await page.reload();
    expect(await page.getByRole('checkbox', { name: 'Pay rent', exact: true }).isChecked()).toBe(true);

    // The detail panel: "Enter" on the active row opens it; changes save as you go.
    await page.getByLabel('Sort').selectOption('created');
    await expect.poll(() => titles(page)).toEqual(['Read a novel', 'Renew passport', 'Buy milk', 'Write the report', 'Pay rent']);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-task-id]')?.textContent ?? '')).toContain('Read a novel');
    await page.keyboard.press('Enter');
    const detail = page.getByRole('dialog');
    await detail.getByLabel('Priority').selectOption('low');
    await detail.getByLabel('Add a tag').fill('books');
    await detail.getByLabel('Add a tag').press('Enter');
    await expect.poll(() => row(page, 'Read a novel').textContent()).toMatch(/#books/);
    await screenshots(page, 'organise-detail');
    await page.keyboard.press('Escape');
    await page.reload();
    expect(await row(page, 'Read a novel').textContent()).toMatch(/Low.*#books/);

    // Rename the list, then delete it: the confirmation says how many tasks go with it.
    await sidebar(page).getByRole('button', { name: 'Edit the list “Work”' }).click();
    const listDialog = page.getByRole('dialog');
    await listDialog.getByLabel('Name').fill('Office');
    await listDialog.locator('label', { hasText: 'Blue' }).click();
    expect(await listDialog.getByRole('radio', { name: 'Blue' }).isChecked()).toBe(true);
    await listDialog.getByRole('button', { name: 'Save' }).click();
    await sidebar(page).getByRole('link', { name: /^Office/ }).waitFor();
    expect(await row(page, 'Write the report').textContent()).toContain('Office');
    await sidebar(page).getByRole('link', { name: /^Office/ }).click();
    await page.waitForURL(/\/tasks\?list=\d+/);
    await expect.poll(() => titles(page)).toEqual(['Write the report']);
    await screenshots(page, 'organise-list');
    await sidebar(page).getByRole('button', { name: 'Edit the list “Office”' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete the list and 1 task' }).click();
    await expect.poll(() => sidebar(page).getByRole('link', { name: /^Office/ }).count()).toBe(0);
    await page.goto('/tasks');
    await expect.poll(() => titles(page)).toEqual(['Read a novel', 'Renew passport', 'Buy milk', 'Pay rent']);

    // The whole dashboard with its sidebar, and the drawer it becomes on a phone.
    const drawer = page.getByRole('dialog', { name: 'Places, lists and tags' });
    await screenshots(page, 'organise-dashboard', async (width) => {
      if (width === 360) {
        await page.getByRole('button', { name: 'Open places, lists and tags' }).click();
        await drawer.getByRole('link', { name: /^Inbox/ }).waitFor();
      } else if (await drawer.isVisible()) {
        await page.keyboard.press('Escape');
        await drawer.waitFor({ state: 'hidden' });
      }
    });

    // On a phone, choosing a place in the drawer shows it and puts the drawer away.
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByRole('button', { name: 'Open places, lists and tags' }).click();
    await drawer.getByRole('link', { name: /^Inbox/ }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.waitForURL('**/tasks?list=inbox');
    await expect.poll(() => titles(page)).toEqual(['Read a novel', 'Renew passport', 'Buy milk', 'Pay rent']);

    expect(problems).toEqual([]);
    await context.close();
  });
});
