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
    expect(toTaskFields({ user_id: 'x', created_at: 'y' } as never)).toEqual({ userId: 'x', createdAt: 'y' });
  });
});
