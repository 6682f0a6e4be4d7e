import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AUTH_RATE_LIMIT } from '../src/lib/auth-rules';
import { freePort, startApp, type Server } from '../support/processes';

/** The built app on a fresh embedded database and Debian's Chromium, for the browser tests. */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface PersonOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
  /** Permissions the person already granted the site (e.g. `notifications`). */
  permissions?: string[];
  /** The browser's IANA zone (sign-up records it as the person's). */
  timezoneId?: string;
}

export interface Harness {
  app: Server;
  browser: Browser;
  /** A new browser context (its own cookies): one person. */
  newPerson: (options?: PersonOptions) => Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  close: () => Promise<void>;
}

/** `env`: the app's configuration beyond a fresh embedded database (BACKEND_URL, say). */
export async function startHarness(options: { env?: Record<string, string> } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-e2e-data-'));
  // Ports 3200-3299 are this suite's (other suites and people use 3000-3199).
  const port = await freePort({ from: 3200, to: 3299 });
  const app = await startApp({ port, dataDir, env: options.env });
  // launch() gives Chromium a fresh --user-data-dir of its own (a mkdtemp, removed on close) and
  // refuses one in args; each newContext() is then an isolated cookie jar, one per person.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });

  async function newPerson(options: PersonOptions = {}) {
    const context = await browser.newContext({
      baseURL: app.origin,
      colorScheme: options.colorScheme ?? 'light',
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      ...(options.permissions ? { permissions: options.permissions } : {}),
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    });
    const problems: string[] = [];
    // Any CSP violation, uncaught error, console error or alert() is a failure of the test.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
      });
    });
    context.on('page', (page) => watch(page, problems));
    const page = await context.newPage();
    return { context, page, problems };
  }

  return {
    app,
    browser,
    newPerson,
    close: async () => {
      await browser.close().catch(() => {});
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Expected console noise: a 401 the page handles (session expiry) is logged by Chromium as a failed resource. */
const EXPECTED_CONSOLE = [/Failed to load resource: the server responded with a status of (401|429)/];

function watch(page: Page, problems: string[]) {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (EXPECTED_CONSOLE.some((pattern) => pattern.test(text))) return;
    problems.push(`console: ${text}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !/\/api\/(auth|proxy)\//.test(response.url())) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
}

/**
 * Better Auth's limiter allows AUTH_RATE_LIMIT.max sign-ups (and, separately, sign-ins, and each
 * /two-factor/ endpoint) per client,
 * and a bucket empties only after its window without a request on that path: wait that out (and a
 * little more) before the next.
 */
export function authLimiter(windowMs = AUTH_RATE_LIMIT.window * 1000 + 500, max: number = AUTH_RATE_LIMIT.max) {
  const buckets = new Map<string, { count: number; last: number }>();
  return async (path: '/sign-in' | '/sign-up' | `/two-factor/${string}`) => {
    const bucket = buckets.get(path) ?? { count: 0, last: 0 };
    if (Date.now() - bucket.last >= windowMs) bucket.count = 0;
    if (bucket.count >= max) {
      await new Promise((resolve) => setTimeout(resolve, bucket.last + windowMs - Date.now()));
      bucket.count = 0;
    }
    bucket.count += 1;
    bucket.last = Date.now();
    buckets.set(path, bucket);
  };
}

/** The password every person in the browser tests signs up with. */
export const PASSWORD = 'correct-horse-battery';

/** Signs a new person up through the form and waits for the dashboard. */
export async function signUp(page: Page, name: string, email: string, beforeAuth: ReturnType<typeof authLimiter>) {
  await page.goto('/sign-up');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await beforeAuth('/sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/tasks');
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * WCAG 2 A/AA violations axe-core finds on the page as it is now (contrast included), as readable
 * lines. axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  return violations;
}
