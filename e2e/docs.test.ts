import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

/**
 * The API reference at /docs, as a developer uses it: open it signed out, paste a token from
 * /api/auth/token, and try an endpoint against this app. It runs under the page's real CSP (its
 * bundle is served by the app), and any violation or console error fails the test.
 */

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** A developer's account and a token, over plain HTTP as a script would get them. */
async function developerToken(origin: string): Promise<string> {
  const signUp = await fetch(`${origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ name: 'Dev', email: `dev-${Date.now()}@example.com`, password: 'correct-horse-battery' }),
  });
  expect(signUp.status).toBe(200);
  const cookie = signUp.headers
    .getSetCookie()
    .map((set) => set.split(';')[0])
    .join('; ');
  const { token } = (await (await fetch(`${origin}/api/auth/token`, { headers: { cookie } })).json()) as { token: string };
  const created = await fetch(`${origin}/api/me/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Tried from the reference' }),
  });
  expect(created.status).toBe(201);
  return token;
}

it('lists every operation, and a pasted token tries one against this app', async () => {
  const token = await developerToken(harness.app.origin);
  const { page, problems } = await harness.newPerson();
  await page.goto('/docs');
  for (const operation of ['Find tasks: filter, search, sort, page', 'Create a task', 'Get a task', 'Delete a task', 'Change many tasks at once (ids or a filter), in one transaction']) {
    await page.getByText(operation, { exact: true }).first().waitFor();
  }
  // The other groups open from the sidebar.
  for (const [group, operation] of [
    ['Lists', 'Your lists, in order'],
    ['Tags', 'Every tag your tasks carry, with counts'],
    ['Authentication', 'A 15-minute access token for the task API (with a session cookie)'],
  ] as const) {
    await page.getByText(group, { exact: true }).first().click();
    await page.getByText(operation, { exact: true }).first().waitFor();
  }
  await page.getByPlaceholder('Token').first().fill(token);
  await page.getByRole('button', { name: 'Test Request' }).first().click();
  const answer = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/me/tasks');
  await page.getByRole('button', { name: /^Send/ }).first().click();
  const response = await answer;
  expect(response.status()).toBe(200);
  expect(response.request().headers().authorization).toBe(`Bearer ${token}`);
  await page.getByText('Tried from the reference').first().waitFor();
  // Zod inside Scalar's bundle probes for eval with `Function('')` in a try/catch and runs without
  // it when the CSP refuses: that refusal is the one report this page may make.
  expect(problems.filter((problem) => problem !== 'console: CSP violation: script-src blocked eval')).toEqual([]);
});
