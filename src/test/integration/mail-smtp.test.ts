/* eslint-disable no-restricted-properties -- this file points the app at its SMTP server before the app loads */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The production path of mail: nodemailer over SMTP_URL to a real SMTP server (smtp-server,
 * started here), each mail parsed back with mailparser. A server that refuses the login or is not
 * there is logged (codes only: no password, address or body) and never stops a reminder run.
 */

const USER = 'tasklane';
const PASSWORD = 'p@ss word-0123456789';
let acceptLogin = true;
const logins: { username: string; password: string }[] = [];
const received: { envelope: { from: string; to: string[] }; mail: ParsedMail }[] = [];

const smtp = new SMTPServer({
  // The app's production transport over plain smtp:// to a loopback address: no STARTTLS needed.
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, _session, callback) {
    logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
    if (acceptLogin && auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
    else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        received.push({ envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((each) => each.address) }, mail });
        callback();
      })
      .catch(callback);
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const port = (smtp.server.address() as AddressInfo).port;
// Before any app module loads: env.ts reads them once. The password is percent-encoded in the URL.
process.env.SMTP_URL = `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`;
process.env.MAIL_FROM = 'Tasklane Reminders <reminders@tasklane.example>';
// Sign-ups here would also mail a verification link in the background, racing the counts below;
// account mail has its own tests (password-reset, email-verification, and e2e over SMTP).
process.env.MAIL_ACCOUNTS = 'off';

const { sendMail, MailError } = await import('@/server/mail');
const { fireDueReminders, startReminderTimer } = await import('@/server/reminders');
const { callApi, signUp, tokenFor } = await import('@/test/app');

let logs: string[] = [];
beforeEach(() => {
  logs = [];
  acceptLogin = true;
  received.length = 0;
  const keep = (...args: unknown[]) => void logs.push(args.map(String).join(' '));
  vi.spyOn(console, 'log').mockImplementation(keep);
  vi.spyOn(console, 'error').mockImplementation(keep);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const events = (name: string) => logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === name);
const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('mail over SMTP_URL', () => {
  it('logs in with the URL’s user and password and delivers From, To, Subject, a text and an HTML part', async () => {
    const { messageId } = await sendMail({ to: 'ada@example.org', subject: 'Hello <there> & welcome', text: 'Plain words.', html: '<p>HTML words.</p>' });
    expect(logins).toContainEqual({ username: USER, password: PASSWORD });
    expect(received).toHaveLength(1);
    const [{ envelope, mail }] = received as [(typeof received)[0]];
    expect(envelope).toEqual({ from: 'reminders@tasklane.example', to: ['ada@example.org'] });
    expect(mail.from?.value).toEqual([{ name: 'Tasklane Reminders', address: 'reminders@tasklane.example' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ name: '', address: 'ada@example.org' }]);
    expect(mail.subject).toBe('Hello <there> & welcome');
    expect(mail.text?.trim()).toBe('Plain words.');
    expect(mail.html).toBe('<p>HTML words.</p>');
    expect(mail.messageId).toBe(messageId);
    // One line per mail: the recipient's domain and the message id, not the address or the body.
    expect(events('mail_sent')).toEqual([expect.objectContaining({ transport: 'smtp', to_domain: 'example.org', message_id: messageId })]);
    expect(logs.join('\n')).not.toMatch(/ada@|Plain words|HTML words/);
  });

  it('mails a fired reminder with its links on BETTER_AUTH_URL, the title escaped in the HTML part', async () => {
    const user = await signUp('Smtp Reader');
    const token = await tokenFor(user);
    const created = await callApi('POST', 'me/tasks', { token, body: { title: 'Pay <rent> & bills', due_date: '2026-12-31', remind_at: past(1) } });
    expect(created.status).toBe(201);
    expect(await fireDueReminders()).toBe(1);

    const mine = received.filter((each) => each.envelope.to.includes(user.email));
    expect(mine).toHaveLength(1);
    const { mail } = mine[0]!;
    expect(mail.subject).toBe('Reminder: Pay <rent> & bills');
    expect(mail.from?.text).toBe('"Tasklane Reminders" <reminders@tasklane.example>');
    expect(mail.text).toContain('Due Thursday, 31 December 2026.');
    expect(mail.text).toContain('Open your tasks: http://localhost:3000/tasks');
    expect(mail.html).toContain('Reminder: Pay &lt;rent&gt; &amp; bills');
    expect(mail.html).not.toContain('<rent>');
    const links = [...(mail.html as string).matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toEqual(['http://localhost:3000/tasks', 'http://localhost:3000/settings#reminders']);
    // The log names no link (later mails carry tokens in theirs), no address, no title.
    expect(logs.join('\n')).not.toMatch(/localhost:3000|Pay <rent>|user-/);
  });

  it('a refused login is logged with its codes, never the password, and sendMail throws a MailError', async () => {
    acceptLogin = false;
    await expect(sendMail({ to: 'bob@example.net', subject: 'x', text: 'x', html: 'x' })).rejects.toBeInstanceOf(MailError);
    expect(received).toEqual([]);
    expect(events('mail_failed')).toEqual([expect.objectContaining({ transport: 'smtp', to_domain: 'example.net', error: 'EAUTH', response_code: 535 })]);
    expect(logs.join('\n')).not.toMatch(/p@ss|p%40ss|bob@/);
  });

  it('with the SMTP server down, a reminder run still fires (notifications kept), logs the failure and keeps its timer going', async () => {
    const user = await signUp('Offline');
    const token = await tokenFor(user);
    await callApi('POST', 'me/tasks', { token, body: { title: 'While the mail server sleeps', remind_at: past(1) } });
    await new Promise<void>((resolve) => smtp.close(() => resolve()));

    expect(await fireDueReminders()).toBe(1);
    const notifications = (await (await callApi('GET', 'me/notifications', { token })).json()) as { title: string }[];
    expect(notifications.map((each) => each.title)).toEqual(['While the mail server sleeps']);
    expect(events('mail_failed')).toEqual([expect.objectContaining({ transport: 'smtp', error: expect.stringMatching(/^E[A-Z]+$/) })]);
    expect(events('reminders_fired')).toEqual([expect.objectContaining({ count: 1, mailed: 0, mail_failed: 1 })]);
    expect(logs.join('\n')).not.toMatch(/p@ss|p%40ss|sleeps/);

    // The timer's own run: nothing thrown out of it, nothing left unhandled, the run logged.
    await callApi('POST', 'me/tasks', { token, body: { title: 'Second try', remind_at: past(1) } });
    const timer = startReminderTimer(60_000);
    await vi.waitFor(() => expect(events('reminders_fired')).toHaveLength(2), { timeout: 15_000 });
    timer.stop();
    expect(events('reminders_failed')).toEqual([]);
  });
});
