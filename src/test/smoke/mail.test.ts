/* eslint-disable no-restricted-properties -- starts npm start with the environment under test */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startApp, type Server } from '../../../support/processes';

/**
 * Mail in the production build: it needs SMTP_URL for email reminders (or the switch that turns
 * them off), sends a fired reminder through a real SMTP server with the links on BETTER_AUTH_URL,
 * and has no /dev/outbox.
 */

const CRON_SECRET = 'smoke-cron-secret-0123456789';
const SMTP_PASSWORD = 'smoke-smtp-password-9876';
const received: ParsedMail[] = [];
const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  logger: false,
  onAuth: (auth, _session, callback) => (auth.password === SMTP_PASSWORD ? callback(null, { user: auth.username }) : callback(new Error('Invalid login'))),
  onData: (stream, _session, callback) => void simpleParser(stream).then((mail) => (received.push(mail), callback()), callback),
});

let app: Server;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-smoke-mail-'));

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  app = await startApp({
    port: await freePort(),
    dataDir,
    env: {
      MAIL_REMINDERS: 'on',
      SMTP_URL: `smtp://tasklane:${SMTP_PASSWORD}@127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Tasklane <tasklane@smoke.example>',
      CRON_SECRET,
    },
  });
});

afterAll(async () => {
  await app?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('mail in production', () => {
  it('mails a fired reminder through SMTP_URL, with links on BETTER_AUTH_URL, and logs no address, link or password', async () => {
    const signUp = await fetch(`${app.origin}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.origin },
      body: JSON.stringify({ name: 'Mailed', email: 'mailed@smoke.example', password: 'correct-horse-battery' }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.getSetCookie().map((each) => each.split(';')[0]).join('; ');
    const created = await fetch(`${app.origin}/api/proxy/me/tasks`, {
      method: 'POST',
      headers: { cookie, origin: app.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Water the plants', remind_at: new Date(Date.now() - 60_000).toISOString() }),
    });
    expect(created.status).toBe(201);
    // The timer may have fired it already (it runs at start, then every 30 s): either way, one mail.
    const cron = await fetch(`${app.origin}/api/cron/reminders`, { method: 'POST', headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(cron.status).toBe(200);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((mail) => mail.subject)).toEqual(['Reminder: Water the plants']);
    const [mail] = received as [ParsedMail];
    expect(mail.from?.value).toEqual([{ name: 'Tasklane', address: 'tasklane@smoke.example' }]);
    expect(mail.text).toContain(`Open your tasks: ${app.origin}/tasks`);
    expect(mail.html).toContain(`href="${app.origin}/tasks"`);
    expect(app.output()).toMatch(/"event":"mail_sent","transport":"smtp","to_domain":"smoke.example"/);
    expect(app.output()).not.toMatch(/mailed@|Water the plants|\/tasks"|smoke-smtp-password/);
  });

  it('has no /dev/outbox: 404 signed out and signed in', async () => {
    const signedOut = await fetch(`${app.origin}/dev/outbox`, { redirect: 'manual' });
    expect(signedOut.status).toBe(404);
    const signIn = await fetch(`${app.origin}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.origin },
      body: JSON.stringify({ email: 'mailed@smoke.example', password: 'correct-horse-battery' }),
    });
    const cookie = signIn.headers.getSetCookie().map((each) => each.split(';')[0]).join('; ');
    const signedIn = await fetch(`${app.origin}/dev/outbox`, { headers: { cookie }, redirect: 'manual' });
    expect(signedIn.status).toBe(404);
    const page = await signedIn.text();
    expect(page).toContain('This page could not be found.');
    expect(page).not.toMatch(/Mails, newest first|No mail yet|Development only/);
  });
});

describe('npm start without SMTP_URL', () => {
  const start = (env: Record<string, string>) => {
    const { TEST: _test, ...inherited } = process.env;
    for (const name of Object.keys(inherited)) if (name.startsWith('VITEST') || name === 'SMTP_URL' || name === 'MAIL_REMINDERS' || name === 'MAIL_ACCOUNTS') delete inherited[name];
    return spawnSync(process.execPath, [path.join(process.cwd(), 'server.mjs')], {
      env: { ...inherited, NODE_ENV: 'production', PORT: '3298', HOSTNAME: '127.0.0.1', TASKLANE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tasklane-config-')), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  };

  it('stops in one line naming the features that need mail, and their switches', () => {
    const result = start({});
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('Tasklane cannot start: '));
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/SMTP_URL must be set in production for email reminders, password reset, email verification and email change .*MAIL_REMINDERS=off, MAIL_ACCOUNTS=off/);
  });

  it('refuses an SMTP_URL of another scheme without echoing its password', () => {
    const result = start({ SMTP_URL: 'http://user:leaky-password-42@mail.example.com', MAIL_FROM: 'x@example.com' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(result.stderr + result.stdout).not.toContain('leaky-password');
  });
});
