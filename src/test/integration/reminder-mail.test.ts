import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { taskSchema } from '@/lib/api/task-schemas';
import { getDb } from '@/server/db/client';
import { clearOutbox, readOutbox } from '@/server/mail';
import { fireDueReminders } from '@/server/reminders';
import { callApi, callAuth, signUp, tokenFor, type TestUser } from '@/test/app';

/**
 * Email reminders, read from the outbox (no SMTP_URL under test): a fired reminder is mailed to its
 * owner once, with the task's title and due date and a link to the app; not to someone who turned
 * them off in /settings (Better Auth's update-user); and never twice however many claimers race.
 */

const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function create(token: string, body: Record<string, unknown>) {
  const response = await callApi('POST', 'me/tasks', { token, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return taskSchema.parse(await response.json());
}

/** The reminders mailed to `user` (a sign-up also mails a verification link: not counted here). */
const mailsTo = async (user: TestUser) => (await readOutbox()).filter((mail) => mail.to === user.email && mail.subject.startsWith('Reminder: '));
const setEmailReminders = (user: TestUser, value: unknown) => callAuth('POST', 'update-user', { cookie: user.cookie, body: { emailReminders: value } });

beforeEach(async () => {
  await clearOutbox();
});

describe('email reminders', () => {
  it('mails a fired reminder to its owner: the title, the due date and time in their zone, links on BETTER_AUTH_URL', async () => {
    const user = await signUp('Mona');
    const token = await tokenFor(user);
    await callAuth('POST', 'update-user', { cookie: user.cookie, body: { timezone: 'Europe/Paris' } });
    await create(token, { title: 'Renew the passport', due_date: '2026-12-24', due_time: '09:30', remind_at: past(2) });
    expect(await fireDueReminders()).toBe(1);

    const [mail, ...others] = await mailsTo(user);
    expect(others).toEqual([]);
    expect(mail).toMatchObject({ to: user.email, from: 'Tasklane <tasklane@localhost>', subject: 'Reminder: Renew the passport' });
    expect(mail!.text).toContain('Due Thursday, 24 December 2026 at 09:30 (Europe/Paris).');
    expect(mail!.text).toContain('Open your tasks: http://localhost:3000/tasks');
    expect(mail!.text).toContain('http://localhost:3000/settings#reminders');
    expect(mail!.html).toContain('<a href="http://localhost:3000/tasks"');
    // Fired once: a second run mails nothing more.
    await fireDueReminders();
    expect(await mailsTo(user)).toHaveLength(1);
  });

  it('says no due date when the task has none, and escapes the title in the HTML part', async () => {
    const user = await signUp('Escaper');
    await create(await tokenFor(user), { title: '<img src=x onerror=alert(1)> & "quotes"', remind_at: past(1) });
    await fireDueReminders();
    const [mail] = await mailsTo(user);
    expect(mail!.subject).toBe('Reminder: <img src=x onerror=alert(1)> & "quotes"');
    expect(mail!.text).not.toContain('Due ');
    expect(mail!.html).toContain('Reminder: &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(mail!.html).not.toContain('<img');
  });

  it('sends nothing to someone who turned email reminders off, and keeps their notification; on again, mails again', async () => {
    const user = await signUp('Quiet');
    const token = await tokenFor(user);
    const session = async () => ((await (await callAuth('GET', 'get-session', { cookie: user.cookie })).json()) as { user: { emailReminders: boolean } }).user;
    expect((await session()).emailReminders).toBe(true);

    expect((await setEmailReminders(user, false)).status).toBe(200);
    expect((await session()).emailReminders).toBe(false);
    const task = await create(token, { title: 'Silent one', remind_at: past(1) });
    expect(await fireDueReminders()).toBe(1);
    expect(await mailsTo(user)).toEqual([]);
    const notifications = (await (await callApi('GET', 'me/notifications', { token })).json()) as { task_id: number }[];
    expect(notifications.map((each) => each.task_id)).toEqual([task.id]);

    expect((await setEmailReminders(user, true)).status).toBe(200);
    await create(token, { title: 'Loud one', remind_at: past(1) });
    await fireDueReminders();
    expect((await mailsTo(user)).map((mail) => mail.subject)).toEqual(['Reminder: Loud one']);
  });

  it('refuses a setting that is not a boolean, and changes nothing', async () => {
    const user = await signUp('Typo');
    expect((await setEmailReminders(user, 'no')).status).toBe(400);
    const db = await getDb();
    const { rows } = (await db.execute(sql`select email_reminders from "user" where id = ${user.id}`)) as unknown as { rows: { email_reminders: boolean }[] };
    expect(rows[0]!.email_reminders).toBe(true);
  });

  it('mails each of 40 reminders exactly once when two runs claim at the same time', async () => {
    const user = await signUp('Racer');
    const db = await getDb();
    await db.execute(sql`insert into tasks (user_id, title, remind_at) select ${user.id}, 'race ' || n, now() - interval '1 minute' from generate_series(1, 40) n`);
    const fired = await Promise.all([fireDueReminders(), fireDueReminders()]);
    expect(fired[0]! + fired[1]!).toBe(40);
    const subjects = (await mailsTo(user)).map((mail) => mail.subject);
    expect(subjects).toHaveLength(40);
    expect(new Set(subjects).size).toBe(40);
  });
});
