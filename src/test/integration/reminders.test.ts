/* eslint-disable no-restricted-properties -- this file sets CRON_SECRET before the app loads */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notificationSchema } from '@/lib/api/notification-schemas';
import { taskSchema } from '@/lib/api/task-schemas';

// Before any app module loads: env.ts reads it once.
const CRON_SECRET = 'cron-secret-for-the-tests-0123456789';
process.env.CRON_SECRET = CRON_SECRET;
const { callApi, callProxy, signUp, tokenFor } = await import('@/test/app');
const { fireDueReminders } = await import('@/server/reminders');
const cron = await import('@/app/api/cron/reminders/route');
const { getDb } = await import('@/server/db/client');

/**
 * Reminders fire once each, whatever the number of claimers running at once (on PostgreSQL, each
 * on its own pooled connection), and become the person's notifications; a recurring task's
 * completion is one advance however many requests race on it. Runs on PGlite (`npm test`) and on
 * PostgreSQL (`npm run test:pg`).
 */

let token: string;
let cookie: string;

beforeAll(async () => {
  const user = await signUp('Rita');
  cookie = user.cookie;
  token = await tokenFor(user);
});

const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
async function create(body: Record<string, unknown>) {
  const response = await callApi('POST', 'me/tasks', { token, body });
  expect(response.status, await response.clone().text()).toBe(201);
  return taskSchema.parse(await response.json());
}
async function notifications(query = '') {
  const response = await callApi('GET', `me/notifications${query}`, { token });
  expect(response.status).toBe(200);
  return notificationSchema.array().parse(await response.json());
}
const callCron = (headers: Record<string, string> = {}) => cron.POST(new Request('http://localhost:3000/api/cron/reminders', { method: 'POST', headers }));

describe('reminders', () => {
  it('fires a due reminder once, as a notification of its task; not one ahead of time, nor a completed task’s', async () => {
    const due = await create({ title: 'Call the bank', remind_at: past(5) });
    await create({ title: 'Not yet', remind_at: new Date(Date.now() + 3_600_000).toISOString() });
    await create({ title: 'Done already', remind_at: past(5), completed: true });
    expect(await fireDueReminders()).toBe(1);
    expect(await fireDueReminders()).toBe(0);
    const [notification, ...others] = await notifications();
    expect(others).toEqual([]);
    expect(notification).toMatchObject({ task_id: due.id, title: 'Call the bank', fire_at: due.remind_at, read_at: null });
  });

  it('arms a reminder again when it moves, not when the same time is sent again', async () => {
    const task = await create({ title: 'Moved reminder', remind_at: past(10) });
    await fireDueReminders();
    await callApi('PATCH', `me/tasks/${task.id}`, { token, body: { remind_at: task.remind_at } });
    expect(await fireDueReminders()).toBe(0);
    await callApi('PATCH', `me/tasks/${task.id}`, { token, body: { remind_at: past(1) } });
    expect(await fireDueReminders()).toBe(1);
    expect((await notifications()).filter((each) => each.task_id === task.id)).toHaveLength(2);
  });

  it('fires each of 60 due reminders exactly once with eight claimers running at once', async () => {
    const db = await getDb();
    const user = await signUp('Claims');
    // 60 tasks with reminders due, written at once.
    await db.execute(sql`insert into tasks (user_id, title, remind_at) select ${user.id}, 'claim ' || n, now() - interval '1 minute' from generate_series(1, 60) n`);
    const fired = await Promise.all(Array.from({ length: 8 }, () => fireDueReminders()));
    expect(fired.reduce((sum, count) => sum + count, 0)).toBe(60);
    const { rows } = (await db.execute(sql`select count(*)::int as notifications, count(distinct task_id)::int as tasks from notifications where user_id = ${user.id}`)) as unknown as {
      rows: { notifications: number; tasks: number }[];
    };
    expect(rows[0]).toEqual({ notifications: 60, tasks: 60 });
  });

  it('lists notifications newest first, unread ones alone, and marks some or all read', async () => {
    const user = await signUp('Reader');
    const readerToken = await tokenFor(user);
    for (const title of ['first', 'second', 'third']) {
      await callApi('POST', 'me/tasks', { token: readerToken, body: { title, remind_at: past(1) } });
      await fireDueReminders();
    }
    const list = async (query = '') => notificationSchema.array().parse(await (await callApi('GET', `me/notifications${query}`, { token: readerToken })).json());
    const all = await list();
    expect(all.map((each) => each.title)).toEqual(['third', 'second', 'first']);
    const read = await callApi('POST', 'me/notifications/read', { token: readerToken, body: { ids: [all[0]!.id] } });
    expect(read.status).toBe(204);
    expect((await list('?unread=true')).map((each) => each.title)).toEqual(['second', 'first']);
    expect((await callApi('POST', 'me/notifications/read', { token: readerToken, body: { all: true } })).status).toBe(204);
    expect(await list('?unread=true')).toEqual([]);
    expect((await list()).every((each) => each.read_at !== null)).toBe(true);
    // Another user's notifications are not theirs to mark.
    const before = await notifications('?unread=true');
    await callApi('POST', 'me/notifications/read', { token: readerToken, body: { ids: before.map((each) => each.id) } });
    expect(await notifications('?unread=true')).toEqual(before);
  });

  it('refuses a bad query or body with a 422 naming it', async () => {
    expect((await callApi('GET', 'me/notifications?unread=maybe', { token })).status).toBe(422);
    for (const body of [{}, { ids: [] }, { ids: ['x'] }, { all: false }, { all: true, ids: [1] }]) {
      expect((await callApi('POST', 'me/notifications/read', { token, body })).status, JSON.stringify(body)).toBe(422);
    }
  });

  it('reaches the browser through the proxy', async () => {
    const response = await callProxy('GET', 'me/notifications?unread=true', { cookie });
    expect(response.status).toBe(200);
    notificationSchema.array().parse(await response.json());
  });
});

describe('POST /api/cron/reminders', () => {
  it('answers 401 without the secret or with another one, and fires nothing', async () => {
    await create({ title: 'Cron only', remind_at: past(1) });
    for (const headers of [{}, { authorization: 'Bearer wrong-secret-0123456789' }, { authorization: CRON_SECRET }] as Record<string, string>[]) {
      const response = await callCron(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('fires the due reminders with the secret: {"fired": n}', async () => {
    const response = await callCron({ authorization: `Bearer ${CRON_SECRET}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ fired: 1 });
    expect(await (await callCron({ authorization: `Bearer ${CRON_SECRET}` })).json()).toEqual({ fired: 0 });
  });
});

describe('completing a recurring task', () => {
  it('advances it once when ten completions race on one occurrence', async () => {
    const task = await create({ title: 'Race', due_date: '2026-12-03', recurrence: 'FREQ=DAILY' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => callApi('PATCH', `me/tasks/${task.id}/complete`, { token, body: { completed: true } })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    const after = taskSchema.parse(await (await callApi('GET', `me/tasks/${task.id}`, { token })).json());
    expect(after).toMatchObject({ due_date: '2026-12-04', completed: false });
  });

  it('with the ETag it read as If-Match, ten racing completions: one applies, nine are 412', async () => {
    const created = await callApi('POST', 'me/tasks', { token, body: { title: 'Race with If-Match', due_date: '2026-12-03', recurrence: 'FREQ=DAILY' } });
    const { id } = taskSchema.parse(await created.json());
    const etag = created.headers.get('etag')!;
    const answers = await Promise.all(Array.from({ length: 10 }, () => callApi('PATCH', `me/tasks/${id}/complete`, { token, headers: { 'if-match': etag } })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array(9).fill(412)]);
    expect(taskSchema.parse(await (await callApi('GET', `me/tasks/${id}`, { token })).json()).due_date).toBe('2026-12-04');
  });

  it('arms the moved reminder again: the next occurrence reminds too', async () => {
    const task = await create({ title: 'Daily pill', due_date: '2026-12-01', recurrence: 'FREQ=DAILY', remind_at: '2026-12-01T08:00:00.000Z' });
    await fireDueReminders();
    const next = taskSchema.parse(await (await callApi('PATCH', `me/tasks/${task.id}/complete`, { token })).json());
    expect(next.remind_at).toBe('2026-12-02T08:00:00.000Z');
    expect(await fireDueReminders()).toBe(1);
  });
});
