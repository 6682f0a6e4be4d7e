import { describe, expect, it } from 'vitest';
import { completeTaskSchema, createTaskSchema, decodeCursor, encodeCursor, parseListQuery, parseTaskId, updateTaskSchema } from './task-schemas';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.')).sort();

describe('createTaskSchema', () => {
  it('trims the title and takes an optional description and completed', () => {
    expect(createTaskSchema.parse({ title: '  Buy milk \n' })).toEqual({ title: 'Buy milk' });
    expect(createTaskSchema.parse({ title: 'x', description: null, completed: true })).toEqual({ title: 'x', description: null, completed: true });
  });

  it('bounds the title at 1..255 characters after trimming, the description at 10,000', () => {
    expect(createTaskSchema.safeParse({ title: 'x'.repeat(255) }).success).toBe(true);
    expect(paths(createTaskSchema.safeParse({ title: 'x'.repeat(256) }))).toEqual(['title']);
    expect(paths(createTaskSchema.safeParse({ title: ' \t ' }))).toEqual(['title']);
    expect(createTaskSchema.safeParse({ title: 'x', description: 'd'.repeat(10_000) }).success).toBe(true);
    expect(paths(createTaskSchema.safeParse({ title: 'x', description: 'd'.repeat(10_001) }))).toEqual(['description']);
  });

  it('refuses text PostgreSQL cannot store as sent: NUL and lone surrogates', () => {
    expect(paths(createTaskSchema.safeParse({ title: 'a\u0000b' }))).toEqual(['title']);
    expect(paths(createTaskSchema.safeParse({ title: 'ok', description: 'bad \ud800 half' }))).toEqual(['description']);
    expect(createTaskSchema.safeParse({ title: 'emoji 🧪 and 日本語' }).success).toBe(true);
  });

  it('names unknown and server-owned fields, and reports every problem at once', () => {
    const result = createTaskSchema.safeParse({ title: 5, completed: 'no', id: 1, user_id: 'u' });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((issue) => issue.message).join(' | ');
    expect(messages).toMatch(/id/);
    expect(messages).toMatch(/user_id/);
    expect(paths(result)).toEqual(['', 'completed', 'title']);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'x', 1]) expect(createTaskSchema.safeParse(body).success).toBe(false);
  });
});

describe('updateTaskSchema and completeTaskSchema', () => {
  it('takes any non-empty subset, and refuses an empty one', () => {
    expect(updateTaskSchema.parse({ completed: false })).toEqual({ completed: false });
    expect(updateTaskSchema.parse({ title: ' t ', description: null })).toEqual({ title: 't', description: null });
    expect(updateTaskSchema.safeParse({}).success).toBe(false);
    expect(updateTaskSchema.safeParse({ done: true }).success).toBe(false);
  });

  it('complete takes exactly {completed: boolean}', () => {
    expect(completeTaskSchema.parse({ completed: true })).toEqual({ completed: true });
    for (const body of [{}, { completed: 'true' }, { completed: true, title: 'x' }]) expect(completeTaskSchema.safeParse(body).success).toBe(false);
  });
});

describe('parseListQuery', () => {
  const parse = (query: string) => parseListQuery(new URLSearchParams(query));

  it('defaults to all, 50, no cursor, and ignores unknown parameters', () => {
    expect(parse('user_id=someone&sort=asc').data).toEqual({ status: 'all', limit: 50 });
  });

  it('takes limits 1..200 and statuses all, pending, completed', () => {
    expect(parse('limit=1&status=pending').data).toEqual({ status: 'pending', limit: 1 });
    expect(parse('limit=200&status=completed').data).toMatchObject({ limit: 200 });
    for (const query of ['limit=0', 'limit=201', 'limit=', 'limit=1e2', 'limit=-5', 'limit=2.5', 'limit=99999', 'status=done', 'status=']) {
      expect(parse(query).success, query).toBe(false);
    }
  });

  it('decodes the cursors it issues and refuses anything else', () => {
    expect(parse(`cursor=${encodeCursor(42)}`).data).toMatchObject({ cursor: 42 });
    for (const cursor of ['42', 'abc', '', 'dDow', encodeCursor(42) + '!', 'x'.repeat(100)]) {
      expect(parse(`cursor=${encodeURIComponent(cursor)}`).success, cursor).toBe(false);
    }
  });
});

describe('cursors and task ids', () => {
  it('round-trips cursors and rejects forged ones', () => {
    for (const id of [1, 42, 9_007_199_254_740_991]) expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor(Buffer.from('t:0').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('t:99999999999999999').toString('base64url'))).toBeUndefined();
    expect(decodeCursor('%%%')).toBeUndefined();
  });

  it('parses positive integer task ids only', () => {
    expect(parseTaskId('1')).toBe(1);
    expect(parseTaskId('9007199254740991')).toBe(9_007_199_254_740_991);
    for (const raw of ['0', '-1', '1.5', '007', '1e3', 'abc', '', '9007199254740993', '99999999999999999999']) {
      expect(parseTaskId(raw), raw).toBeUndefined();
    }
  });
});
