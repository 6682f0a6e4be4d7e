/* eslint-disable no-restricted-properties -- starts `next dev` with the environment under test */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, startServer, type Server } from '../../../support/processes';

// `npm run dev` opened at another address than http://localhost:3000 (127.0.0.1, another port)
// must still sign people up: in development the address the app is served on is trusted. A
// foreign page's origin still is not.

const CRON_SECRET = 'development-cron-secret-0123456789';
let dev: Server;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-dev-'));
  const port = await freePort();
  const { TEST: _test, NODE_ENV: _nodeEnv, DATABASE_URL: _url, BETTER_AUTH_URL: _base, ...inherited } = process.env;
  for (const name of Object.keys(inherited)) if (name.startsWith('VITEST') || name.startsWith('BETTER_AUTH_SECRET')) delete inherited[name];
  dev = await startServer({
    command: process.execPath,
    args: [path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next'), 'dev', '--port', String(port), '--hostname', '127.0.0.1'],
    port,
    readyPath: '/api/health',
    env: { ...inherited, TASKLANE_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1', CRON_SECRET } as unknown as NodeJS.ProcessEnv,
  });
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function signUp(origin: string, email: string) {
  return fetch(`${dev.origin}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ name: 'Dev', email, password: 'correct-horse-battery' }),
  });
}

it('signs up at http://127.0.0.1:<any port> under npm run dev, and still refuses a foreign origin', async () => {
  const here = await signUp(dev.origin, 'dev@example.com');
  expect(here.status, await here.clone().text()).toBe(200);
  const foreign = await signUp('https://evil.example', 'evil@example.com');
  expect(foreign.status).toBe(403);
  // The proxy's own origin check agrees: the cookie from this address works through it.
  const cookie = here.headers.getSetCookie().map((set) => set.split(';')[0]).join('; ');
  const created = await fetch(`${dev.origin}/api/proxy/me/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: dev.origin, cookie },
    body: JSON.stringify({ title: 'made in development' }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
}, 120_000);

it('mails a fired reminder to the outbox, which /dev/outbox lists with its links (and keeps in <data dir>/outbox)', async () => {
  const signedUp = await signUp(dev.origin, 'outbox@example.com');
  expect(signedUp.status).toBe(200);
  const cookie = signedUp.headers.getSetCookie().map((set) => set.split(';')[0]).join('; ');
  const created = await fetch(`${dev.origin}/api/proxy/me/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: dev.origin, cookie },
    body: JSON.stringify({ title: 'Feed the cat', remind_at: new Date(Date.now() - 60_000).toISOString() }),
  });
  expect(created.status).toBe(201);
  // The server's own timer may have fired it first: either way it is mailed once.
  expect((await fetch(`${dev.origin}/api/cron/reminders`, { method: 'POST', headers: { authorization: `Bearer ${CRON_SECRET}` } })).status).toBe(200);

  const page = await fetch(`${dev.origin}/dev/outbox`);
  expect(page.status).toBe(200);
  // Links are on the app's URL: BETTER_AUTH_URL, else http://localhost:$PORT (next dev sets PORT).
  const { port } = new URL(dev.origin);
  const html = await page.text();
  // One mail: one heading (the page's payload repeats the text for React, hence not a plain count).
  expect(html.match(/<h2[^>]*>Reminder: Feed the cat<\/h2>/g)).toHaveLength(1);
  expect(html).toContain('outbox@example.com');
  const links = [...html.matchAll(/<a [^>]*href="(http[^"]*)"/g)].map((match) => match[1]!);
  expect(links).toEqual(expect.arrayContaining([`http://localhost:${port}/tasks`, `http://localhost:${port}/settings#reminders`]));
  expect(links.filter((link) => !link.startsWith(`http://localhost:${port}/`))).toEqual([]);
  // The reminder, and the verification mail of each of this file's two sign-ups.
  expect(readdirSync(path.join(dataDir, 'outbox')).filter((name) => name.endsWith('.json'))).toHaveLength(3);
}, 120_000);
