import { describe, expect, it } from 'vitest';
import { toTaskFields, toTaskJson, type TaskRecord } from './task-json';
import { taskSchema } from './task-schemas';

const record: TaskRecord = {
  id: 7,
  userId: 'u1',
  title: 'Buy milk',
  description: null,
  completed: true,
  priority: 'high',
  tags: ['errands'],
  listId: 3,
  dueDate: '2026-12-03',
  dueTime: '18:00',
  recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
  recurFrom: 'due',
  remindAt: new Date('2026-12-03T17:30:00.000Z'),
  completedAt: new Date('2026-12-01T09:00:00.000Z'),
  createdAt: new Date('2026-11-22T10:00:00.000Z'),
  updatedAt: new Date('2026-11-22T10:00:01.500Z'),
};

describe('toTaskJson', () => {
  it('answers every wire field in snake_case, instants as ISO-8601, and passes the published schema', () => {
    const json = toTaskJson(record);
    expect(json).toEqual({
      id: 7,
      user_id: 'u1',
      title: 'Buy milk',
      description: null,
      completed: true,
      priority: 'high',
      tags: ['errands'],
      list_id: 3,
      due_date: '2026-12-03',
      due_time: '18:00',
      recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
      recur_from: 'due',
      remind_at: '2026-12-03T17:30:00.000Z',
      completed_at: '2026-12-01T09:00:00.000Z',
      created_at: '2026-11-22T10:00:00.000Z',
      updated_at: '2026-11-22T10:00:01.500Z',
    });
    expect(taskSchema.parse(json)).toEqual(json);
  });

  it('leaves out what is not a wire field (internal columns)', () => {
    const json = toTaskJson({ ...record, internalSecret: 'x' } as TaskRecord);
    expect(Object.keys(json).sort()).toEqual(Object.keys(taskSchema.shape).sort());
  });
});

describe('toTaskFields', () => {
  it('names a body’s fields as the record does', () => {
    expect(toTaskFields({ title: 't', list_id: 2, due_date: null })).toEqual({ title: 't', listId: 2, dueDate: null });
    expect(toTaskFields({ user_id: 'x', recur_from: 'completion' } as never)).toEqual({ userId: 'x', recurFrom: 'completion' });
  });

  it('keeps instants as Dates, as the record holds them', () => {
    expect(toTaskFields({ remind_at: '2026-12-03T09:00:00+01:00' })).toEqual({ remindAt: new Date('2026-12-03T08:00:00.000Z') });
    expect(toTaskFields({ remind_at: null })).toEqual({ remindAt: null });
  });
});
