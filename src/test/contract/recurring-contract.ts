import { beforeAll, describe, expect, it } from 'vitest';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { addDays, zonedNow } from '@/lib/dates';
import { problemOf, type ContractRequest, type TaskApiTarget, type User } from './task-api-contract';

/**
 * The contract's recurring tasks and reminders fields (`recurrence`, `recur_from`, `remind_at`,
 * `completed_at`): what a write stores, what it refuses, and what completing does. Part of the
 * one contract suite, so the handlers, the proxy and the msw mock answer alike. User e's tasks.
 */
export function describeRecurringContract(target: () => TaskApiTarget) {
  let api: TaskApiTarget;
  const USER: User = 'e';
  beforeAll(() => {
    api = target();
  });

  const send = (method: string, path: string, request?: ContractRequest) => api.send(USER, method, path, request);
  const bodyOf = async <T>(response: Response, status: number): Promise<T> => {
    expect(response.status, await response.clone().text()).toBe(status);
    return (await response.json()) as T;
  };
  const create = async (body: Record<string, unknown>): Promise<TaskDto> => taskSchema.parse(await bodyOf(await send('POST', 'me/tasks', { body }), 201));
  const complete = async (id: number, body?: Record<string, unknown>): Promise<TaskDto> =>
    taskSchema.parse(await bodyOf(await send('PATCH', `me/tasks/${id}/complete`, body ? { body } : {}), 200));
  const refusedOn = async (response: Response) => {
    expect(response.status).toBe(422);
    return (await problemOf(response)).errors!.map((error) => error.path);
  };

  describe('recurring tasks and reminders (fields)', () => {
    it('stores a rule in its canonical spelling, recur_from, and remind_at as an instant', async () => {
      const task = await create({ title: 'Water the plants', due_date: '2026-12-03', recurrence: 'byday=TH,MO;freq=weekly', remind_at: '2026-12-03T08:00:00+01:00' });
      expect(task).toMatchObject({ recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH', recur_from: 'due', remind_at: '2026-12-03T07:00:00.000Z', completed_at: null, completed: false });
      const changed = taskSchema.parse(await bodyOf(await send('PATCH', `me/tasks/${task.id}`, { body: { recur_from: 'completion', remind_at: null } }), 200));
      expect(changed).toMatchObject({ recur_from: 'completion', remind_at: null, recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH' });
    });

    it('refuses a malformed or unsupported rule, a rule without a due date or with no occurrence, and a reminder past ten years, naming the field', async () => {
      const body = (fields: Record<string, unknown>) => ({ body: { title: 't', due_date: '2026-04-30', ...fields } });
      expect(await refusedOn(await send('POST', 'me/tasks', body({ recurrence: 'FREQ=HOURLY' })))).toEqual(['recurrence']);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ recurrence: 'RRULE:FREQ=DAILY' })))).toEqual(['recurrence']);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ recurrence: 'FREQ=DAILY;COUNT=2;UNTIL=20270101' })))).toEqual(['recurrence']);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ recurrence: 'FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31' })))).toEqual(['recurrence']);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ recurrence: 'FREQ=DAILY;UNTIL=20260101' })))).toEqual(['recurrence']);
      expect(await refusedOn(await send('POST', 'me/tasks', { body: { title: 't', recurrence: 'FREQ=DAILY' } }))).toEqual(['recurrence']);
      const far = new Date();
      far.setUTCFullYear(far.getUTCFullYear() + 11);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ remind_at: far.toISOString() })))).toEqual(['remind_at']);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ remind_at: 'tomorrow at 9' })))).toEqual(['remind_at']);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ recur_from: 'sometimes' })))).toEqual(['recur_from']);
      expect(await refusedOn(await send('POST', 'me/tasks', body({ completed_at: '2026-01-01T00:00:00Z' })))).toEqual(['completed_at']);

      const task = await create({ title: 'repeats', due_date: '2026-12-03', recurrence: 'FREQ=DAILY' });
      expect(await refusedOn(await send('PATCH', `me/tasks/${task.id}`, { body: { due_date: null, recurrence: 'FREQ=DAILY' } }))).toEqual(['recurrence']);
      expect(await refusedOn(await send('PATCH', `me/tasks/${task.id}`, { body: { recurrence: 'FREQ=YEARLY;BYDAY=MO' } }))).toEqual(['recurrence']);
      // Nothing was applied.
      expect(taskSchema.parse(await bodyOf(await send('GET', `me/tasks/${task.id}`), 200))).toMatchObject({ recurrence: 'FREQ=DAILY', due_date: '2026-12-03' });
    });

    it('clears the repetition with the due date it repeats from', async () => {
      const task = await create({ title: 'undated later', due_date: '2026-12-03', due_time: '09:00', recurrence: 'FREQ=DAILY' });
      const changed = taskSchema.parse(await bodyOf(await send('PATCH', `me/tasks/${task.id}`, { body: { due_date: null } }), 200));
      expect(changed).toMatchObject({ due_date: null, due_time: null, recurrence: null });
    });

    it('completing a task that does not repeat sets completed_at; reopening clears it', async () => {
      const task = await create({ title: 'once' });
      const done = await complete(task.id);
      expect(done.completed).toBe(true);
      expect(Date.parse(done.completed_at!)).toBeGreaterThan(Date.now() - 60_000);
      // Completing it again is no new completion.
      expect((await complete(task.id, { completed: true })).completed_at).toBe(done.completed_at);
      expect(await complete(task.id, { completed: false })).toMatchObject({ completed: false, completed_at: null });
    });

    it('completing a weekly task moves it to the next occurrence, keeps its time, moves its reminder, and keeps it open', async () => {
      await api.setTimeZone(USER, 'Europe/Paris');
      const task = await create({ title: 'Gym', due_date: '2026-12-03', due_time: '18:00', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH', remind_at: '2026-12-03T16:30:00.000Z' });
      const next = await complete(task.id);
      expect(next).toMatchObject({ id: task.id, completed: false, due_date: '2026-12-07', due_time: '18:00', remind_at: '2026-12-07T16:30:00.000Z', recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH' });
      expect(next.completed_at).not.toBeNull();
      expect((await complete(task.id)).due_date).toBe('2026-12-10');
    });

    it('keeps a reminder at the same wall-clock time across a daylight-saving change', async () => {
      await api.setTimeZone(USER, 'Europe/Paris');
      // 08:00 in Paris: 07:00Z in winter, 06:00Z from 29 March 2026.
      const task = await create({ title: 'Standup', due_date: '2026-03-23', due_time: '09:00', recurrence: 'FREQ=WEEKLY;BYDAY=MO', remind_at: '2026-03-23T07:00:00.000Z' });
      expect(await complete(task.id)).toMatchObject({ due_date: '2026-03-30', due_time: '09:00', remind_at: '2026-03-30T06:00:00.000Z' });
    });

    it('closes a task whose COUNT is used up, and one past its UNTIL, like any task', async () => {
      const counted = await create({ title: 'Twice', due_date: '2026-12-01', recurrence: 'FREQ=DAILY;COUNT=2' });
      expect(await complete(counted.id)).toMatchObject({ completed: false, due_date: '2026-12-02' });
      expect(await complete(counted.id)).toMatchObject({ completed: true, due_date: '2026-12-02' });
      const until = await create({ title: 'Until Friday', due_date: '2026-12-04', recurrence: 'FREQ=DAILY;UNTIL=20261204' });
      expect(await complete(until.id)).toMatchObject({ completed: true, due_date: '2026-12-04' });
      // Reopened, it keeps when it was last completed.
      expect((await complete(until.id, { completed: false })).completed_at).not.toBeNull();
    });

    it('counts from the completion day in the person’s zone with recur_from: completion', async () => {
      await api.setTimeZone(USER, 'UTC');
      const task = await create({ title: 'Water the cactus', due_date: '2026-01-01', recurrence: 'FREQ=DAILY;INTERVAL=3', recur_from: 'completion' });
      const today = zonedNow('UTC').date;
      expect(await complete(task.id)).toMatchObject({ completed: false, due_date: addDays(today, 3) });
    });

    it('turns a reminder that has come into one unread notification, which can be marked read', async () => {
      const due = new Date(Date.now() - 60_000).toISOString();
      const task = await create({ title: 'Call the bank (contract)', remind_at: due });
      await api.fireReminders();
      await api.fireReminders();
      const unread = await bodyOf<{ id: number; task_id: number | null; title: string; fire_at: string; read_at: string | null }[]>(await send('GET', 'me/notifications?unread=true'), 200);
      const mine = unread.filter((each) => each.task_id === task.id);
      expect(mine).toEqual([{ id: expect.any(Number), task_id: task.id, title: 'Call the bank (contract)', fire_at: task.remind_at, read_at: null }]);
      expect((await send('POST', 'me/notifications/read', { body: { ids: [mine[0]!.id] } })).status).toBe(204);
      const after = await bodyOf<{ id: number }[]>(await send('GET', 'me/notifications?unread=true'), 200);
      expect(after.some((each) => each.id === mine[0]!.id)).toBe(false);
      expect(await refusedOn(await send('POST', 'me/notifications/read', { body: { all: false } }))).toEqual(['all']);
    });

    it('moves each recurring task of a bulk completion the same way, and completes the others', async () => {
      const weekly = await create({ title: 'bulk weekly', due_date: '2026-12-03', recurrence: 'FREQ=WEEKLY' });
      const plain = await create({ title: 'bulk plain', due_date: '2026-12-03' });
      const result = await bodyOf<{ affected: number }>(await send('POST', 'me/tasks/bulk', { body: { ids: [weekly.id, plain.id], action: 'complete' } }), 200);
      expect(result.affected).toBe(2);
      expect(taskSchema.parse(await bodyOf(await send('GET', `me/tasks/${weekly.id}`), 200))).toMatchObject({ completed: false, due_date: '2026-12-10' });
      const done = taskSchema.parse(await bodyOf(await send('GET', `me/tasks/${plain.id}`), 200));
      expect(done.completed).toBe(true);
      expect(done.completed_at).not.toBeNull();
    });
  });
}
