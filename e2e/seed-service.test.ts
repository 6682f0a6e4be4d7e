import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastApiAvailable, startFastApi, type FastApi } from '../support/fastapi';
import { freePort } from '../support/processes';
import { accessibilityViolations, authLimiter, signUp, startHarness, type Harness } from './harness';

/**
 * Tasklane's web app in front of the seeds' FastAPI task service (interop/fastapi): BACKEND_URL
 * points the proxy there, tokens are HS256 with a secret both share (PyJWT, issuer and audience:
 * seed 002's verifier). A person signs up, adds, completes and deletes; the rows land in the
 * service's own table; what the service lacks (lists, tags, dates, search) is not on the page.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
const SECRET = 'shared-with-the-fastapi-service-0123456789';
const ISSUER = 'tasklane-e2e';
const AUDIENCE = 'seed-task-service';

let service: FastApi;
let harness: Harness;
let database: pg.Client;
const beforeAuth = authLimiter();

beforeAll(async () => {
  if (!fastApiAvailable()) throw new Error("Debian's FastAPI packages are missing (see interop/fastapi/README.md); .ci/run installs them");
  mkdirSync(SCREENSHOTS, { recursive: true });
  service = await startFastApi({ style: 'pyjwt-hs256', port: await freePort(), secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
  database = new pg.Client({ connectionString: service.databaseUrl });
  await database.connect();
  harness = await startHarness({
    env: { BACKEND_URL: service.url, ACCESS_TOKEN_ALG: 'HS256', ACCESS_TOKEN_SECRET: SECRET, ACCESS_TOKEN_ISSUER: ISSUER, ACCESS_TOKEN_AUDIENCE: AUDIENCE },
  });
});

afterAll(async () => {
  await harness?.close();
  await database?.end();
  await service?.stop();
});

const titles = (page: Page) => page.locator('[data-task-id] p[id$="-title"]').allTextContents();
const itemsLeft = (page: Page) => page.getByTestId('items-left').textContent().then((text) => text?.replace(/\s+/g, ' ').trim());

async function rowsOf(email: string) {
  // The service knows users by the id in the token; the page shows whose tasks these are by email.
  const { rows } = await database.query<{ title: string; completed: boolean }>(
    'SELECT title, completed FROM interop_task WHERE user_id = (SELECT user_id FROM interop_task WHERE title = $1 LIMIT 1) ORDER BY id',
    [`first task of ${email}`],
  );
  return rows;
}

async function addTask(page: Page, title: string) {
  await page.getByLabel('New task').fill(title);
  await page.getByLabel('New task').press('Enter');
  await page.locator('[data-task-id]:not([aria-busy])', { hasText: title }).first().waitFor();
}

describe("Tasklane's web app in front of the seeds' FastAPI service", () => {
  it('signs up, adds, completes and deletes tasks that land in the service, showing only what the service can do', async () => {
    const { page, problems } = await harness.newPerson();
    const email = `seed-${Date.now()}@example.com`;
    await signUp(page, 'Grace', email, beforeAuth);
    await page.waitForLoadState('networkidle');
    await page.getByText('No tasks yet').waitFor();

    await addTask(page, `first task of ${email}`);
    await addTask(page, 'Water the plants #home tomorrow !high');
    await addTask(page, 'Call the plumber');
    expect(await titles(page)).toEqual(['Call the plumber', 'Water the plants #home tomorrow !high', `first task of ${email}`]);
    await expect.poll(() => itemsLeft(page)).toBe('3 items left');
    // Not understood as a tag, a date or a priority: that service keeps none of them.
    expect(await rowsOf(email)).toEqual([
      { title: `first task of ${email}`, completed: false },
      { title: 'Water the plants #home tomorrow !high', completed: false },
      { title: 'Call the plumber', completed: false },
    ]);

    // Nothing the service cannot do is on the page.
    expect(await page.getByRole('navigation', { name: 'Places, lists and tags' }).count()).toBe(0);
    expect(await page.getByRole('search').count()).toBe(0);

    await page.getByRole('checkbox', { name: 'Call the plumber' }).check();
    await expect.poll(() => itemsLeft(page)).toBe('2 items left');
    await expect.poll(async () => (await rowsOf(email)).find((row) => row.title === 'Call the plumber')?.completed).toBe(true);

    await page.getByRole('button', { name: 'Delete “Water the plants #home tomorrow !high”' }).click();
    await expect.poll(() => titles(page)).toEqual(['Call the plumber', `first task of ${email}`]);
    await expect.poll(async () => (await rowsOf(email)).map((row) => row.title)).toEqual([`first task of ${email}`, 'Call the plumber']);

    // The Completed filter works in the browser on the service's one answer; a reload reads it again.
    await page.getByRole('link', { name: 'Completed' }).click();
    await expect.poll(() => titles(page)).toEqual(['Call the plumber']);
    await page.reload();
    await expect.poll(() => titles(page)).toEqual(['Call the plumber']);
    await page.getByRole('link', { name: 'All' }).click();

    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('looks right in light and dark, on a phone and a desktop', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [360, 1280]) {
        const { page, context, problems } = await harness.newPerson({ colorScheme, width });
        const email = `seed-${colorScheme}-${width}-${Date.now()}@example.com`;
        await signUp(page, 'Grace', email, beforeAuth);
        await page.waitForLoadState('networkidle');
        await addTask(page, `first task of ${email}`);
        await addTask(page, 'Review the pull request');
        await page.getByRole('checkbox', { name: 'Review the pull request' }).check();
        await expect.poll(() => itemsLeft(page)).toBe('1 item left');
        await page.mouse.move(0, 0);
        await page.screenshot({ path: path.join(SCREENSHOTS, `seed-service-${colorScheme}-${width}.png`), fullPage: true });
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  });
});
