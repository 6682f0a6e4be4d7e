import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, authLimiter, PASSWORD, signUp, startHarness, type Harness } from './harness';

/**
 * Two-factor authentication in Chromium against the production build, as a person with an
 * authenticator app: turned on in /settings (the setup key read off the page, the codes computed
 * here as the app would), then sign-in asks for a code after the password, refuses a wrong one and
 * lands on /tasks with the right one. Then the settings part and the code step in light and dark,
 * on a phone and a desktop, with axe.
 */

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');
let harness: Harness;
// Better Auth's limiter (production): 3 per 10 s per path from this one address.
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

const twoFactorPart = (page: Page) => page.getByRole('group', { name: 'Two-factor authentication' });
const codeBox = (page: Page) => page.getByRole('textbox', { name: '6-digit code', exact: true });

/** The authenticator app: its codes, each handed out once (the app refuses a code used already). */
function authenticator(setupKey: string) {
  const totp = new TOTP({ secret: Secret.fromBase32(setupKey), digits: 6, period: 30 });
  const used = new Set<string>();
  return {
    /** A code the app accepts now (this period's, else the next one's) and not used before. */
    code(): string {
      const code = [0, 30_000].map((offset) => totp.generate({ timestamp: Date.now() + offset })).find((candidate) => !used.has(candidate))!;
      used.add(code);
      return code;
    },
    /** Six digits that are no code of the last, this or the next period. */
    wrongCode(): string {
      const valid = new Set([-30_000, 0, 30_000].map((offset) => totp.generate({ timestamp: Date.now() + offset })));
      return ['000000', '111111', '222222'].find((candidate) => !valid.has(candidate))!;
    },
  };
}

/** Settings → Security → Two-factor authentication, up to the QR code: the setup key on the page. */
async function startSetup(page: Page): Promise<string> {
  await page.goto('/settings');
  const part = twoFactorPart(page);
  await part.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await part.getByLabel('Confirm with your password', { exact: true }).fill(PASSWORD);
  await beforeAuth('/two-factor/enable');
  await part.getByRole('button', { name: 'Continue' }).click();
  await part.getByRole('img', { name: /Scan this QR code/ }).waitFor();
  const setupKey = await part.getByRole('textbox', { name: 'Setup key', exact: true }).inputValue();
  expect(setupKey).toMatch(/^[A-Z2-7]{32,}$/);
  return setupKey;
}

async function confirmSetup(page: Page, app: ReturnType<typeof authenticator>) {
  const part = twoFactorPart(page);
  await codeBox(page).fill(app.code());
  await beforeAuth('/two-factor/verify-totp');
  await part.getByRole('button', { name: 'Turn on', exact: true }).click();
  await part.getByText('Two-factor authentication is on.').waitFor();
}

/** The password step of sign-in; on a two-factor account it ends on the code step. */
async function signInWithPassword(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await beforeAuth('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await codeBox(page).waitFor();
}

const hasSession = async (page: Page) => (await page.context().cookies()).some((cookie) => cookie.name.endsWith('session_token') && cookie.value !== '');

describe('two-factor authentication in a browser', () => {
  it('is turned on in settings; sign-in then asks for the code, refuses a wrong one and lands on /tasks', { timeout: 180_000 }, async () => {
    const email = `otto-${Date.now()}@example.com`;
    const { page, context, problems } = await harness.newPerson();
    await signUp(page, 'Otto', email, beforeAuth);
    const app = authenticator(await startSetup(page));
    // Backup codes are offered to keep.
    expect(await twoFactorPart(page).getByRole('list', { name: /Backup codes/ }).getByRole('listitem').count()).toBe(10);
    // A wrong code: said plainly, still off.
    await codeBox(page).fill(app.wrongCode());
    await beforeAuth('/two-factor/verify-totp');
    await twoFactorPart(page).getByRole('button', { name: 'Turn on', exact: true }).click();
    await twoFactorPart(page).getByRole('alert').filter({ hasText: 'That code is not right.' }).waitFor();
    await confirmSetup(page, app);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    expect(await hasSession(page)).toBe(false);

    await signInWithPassword(page, email);
    // The password was right, yet no session until the code.
    expect(page.url()).toContain('/sign-in');
    expect(await hasSession(page)).toBe(false);
    expect(await codeBox(page).evaluate((element) => element === document.activeElement)).toBe(true);

    await codeBox(page).fill(app.wrongCode());
    await beforeAuth('/two-factor/verify-totp');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right.' }).waitFor();
    expect(page.url()).toContain('/sign-in');
    expect(await hasSession(page)).toBe(false);

    await codeBox(page).fill(app.code());
    await beforeAuth('/two-factor/verify-totp');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/tasks');
    await page.getByLabel('New task').waitFor();
    expect(await hasSession(page)).toBe(true);
    // The wrong codes (401) were provoked on purpose; Chromium logs those as failed resources.
    expect(problems.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
    await context.close();
  });

  it('signs a two-factor account in again in place, code included, when its session ends during an edit, and saves the edit', { timeout: 180_000 }, async () => {
    const { page, context, problems } = await harness.newPerson();
    await signUp(page, 'Wanda', `wanda-${Date.now()}@example.com`, beforeAuth);
    const app = authenticator(await startSetup(page));
    await confirmSetup(page, app);
    await page.goto('/tasks');
    await page.getByLabel('New task').fill('Water the plants');
    await page.getByLabel('New task').press('Enter');
    await page.locator('[data-task-id]:not([aria-busy])', { hasText: 'Water the plants' }).waitFor();

    // The session goes (every cookie, the trusted-device one too) while the title is being edited.
    await page.getByRole('button', { name: 'Edit “Water the plants”', exact: true }).click();
    const title = page.getByRole('textbox', { name: 'Title', exact: true });
    await title.fill('Water the plants and the herbs');
    await context.clearCookies();
    await title.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Your session ended — sign in again to save' });
    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await beforeAuth('/sign-in');
    await dialog.getByRole('button', { name: 'Sign in and save', exact: true }).click();
    // The code step, in the dialog: the page (and the edit on it) stays.
    await codeBox(page).waitFor();
    expect(new URL(page.url()).pathname).toBe('/tasks');
    await page.getByText('Water the plants and the herbs').waitFor();
    await codeBox(page).fill(app.code());
    await beforeAuth('/two-factor/verify-totp');
    await dialog.getByRole('button', { name: 'Verify', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect
      .poll(() => page.evaluate(async () => ((await (await fetch('/api/proxy/me/tasks', { cache: 'no-store' })).json()) as { title: string }[]).map((task) => task.title)), { timeout: 10_000 })
      .toEqual(['Water the plants and the herbs']);
    expect(await hasSession(page)).toBe(true);
    // The refused save (401) was the point; Chromium logs it as a failed resource.
    expect(problems.filter((problem) => !problem.includes('status of 401'))).toEqual([]);
    await context.close();
  });

  it('looks right in light and dark, on a phone and a desktop, with no axe violations', { timeout: 300_000 }, async () => {
    // One account with two-factor on, for the code step.
    const email = `vera-${Date.now()}@example.com`;
    const setup = await harness.newPerson();
    await signUp(setup.page, 'Vera', email, beforeAuth);
    await confirmSetup(setup.page, authenticator(await startSetup(setup.page)));
    await setup.context.close();

    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [360, 1280]) {
        const name = `${colorScheme}-${width}`;
        // The settings part, half-way through the setup.
        const person = await harness.newPerson({ colorScheme, width });
        await signUp(person.page, 'Ugo', `ugo-${name}-${Date.now()}@example.com`, beforeAuth);
        await startSetup(person.page);
        expect(await accessibilityViolations(person.page), `axe, settings two-factor setup ${name}`).toEqual([]);
        await twoFactorPart(person.page).screenshot({ path: path.join(SCREENSHOTS, `two-factor-setup-${name}.png`) });
        expect(person.problems).toEqual([]);
        await person.context.close();

        // The code step of sign-in.
        const visitor = await harness.newPerson({ colorScheme, width });
        await signInWithPassword(visitor.page, email);
        expect(await accessibilityViolations(visitor.page), `axe, sign-in code step ${name}`).toEqual([]);
        await screenshot(visitor.page, `two-factor-sign-in-${name}`);
        expect(visitor.problems).toEqual([]);
        await visitor.context.close();
      }
    }
  });
});
