import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { validationProblem } from './problem';
import { completeTaskSchema, createTaskSchema, decodeCursor, encodeCursor, parseListQuery, parseTaskId, updateTaskSchema } from './task-schemas';

type Result = { success: boolean; error?: z.ZodError };

const paths = (result: Result) => (result.error?.issues ?? []).map((issue) => issue.path.join('.')).sort();

/** The field errors the API would answer with (422 `errors`). */
const fieldErrors = (result: Result) => {
  expect(result.success).toBe(false);
  return validationProblem(result.error!).toJSON().errors!;
};

describe('createTaskSchema', () => {
  it('trims the title and takes an optional description and completed, defaulting the ones not sent', () => {
    expect(createTaskSchema.parse({ title: '  Buy milk \n' })).toEqual({ title: 'Buy milk', description: null, completed: false });
    expect(createTaskSchema.parse({ title: 'x', description: null, completed: true })).toEqual({ title: 'x', description: null, completed: true });
    expect(createTaskSchema.parse({ title: 'x', description: '  kept as sent  ' })).toEqual({ title: 'x', description: '  kept as sent  ', completed: false });
  });

  it('keeps text exactly: quotes, markup and Unicode are data', () => {
    const title = `"quotes" 'single' <script>alert(1)</script> & Ünïcödé 日本語 🧪`;
    expect(createTaskSchema.parse({ title }).title).toBe(title);
  });

  it('bounds the title at 1..255 characters, counted after trimming', () => {
    expect(createTaskSchema.safeParse({ title: 'x'.repeat(255) }).success).toBe(true);
    expect(createTaskSchema.parse({ title: `  ${'x'.repeat(255)}  ` }).title).toHaveLength(255);
    expect(paths(createTaskSchema.safeParse({ title: 'x'.repeat(256) }))).toEqual(['title']);
    expect(paths(createTaskSchema.safeParse({ title: '' }))).toEqual(['title']);
    expect(paths(createTaskSchema.safeParse({ title: ' \t\n ' }))).toEqual(['title']);
  });

  it('counts characters, not UTF-16 units, as PostgreSQL varchar(255) and FastAPI do', () => {
    expect(createTaskSchema.safeParse({ title: '🧪'.repeat(255) }).success).toBe(true);
    expect(paths(createTaskSchema.safeParse({ title: '🧪'.repeat(256) }))).toEqual(['title']);
    expect(createTaskSchema.safeParse({ title: 'x', description: '🧪'.repeat(10_000) }).success).toBe(true);
  });

  it('takes a description of up to 10,000 characters, or null', () => {
    expect(createTaskSchema.safeParse({ title: 'x', description: 'd'.repeat(10_000) }).success).toBe(true);
    expect(paths(createTaskSchema.safeParse({ title: 'x', description: 'd'.repeat(10_001) }))).toEqual(['description']);
    expect(createTaskSchema.parse({ title: 'x', description: null }).description).toBeNull();
    expect(createTaskSchema.parse({ title: 'x', description: '' }).description).toBe('');
    expect(paths(createTaskSchema.safeParse({ title: 'x', description: 5 }))).toEqual(['description']);
  });

  it('refuses text PostgreSQL cannot store as sent: NUL and lone surrogates', () => {
    expect(paths(createTaskSchema.safeParse({ title: 'a\u0000b' }))).toEqual(['title']);
    expect(paths(createTaskSchema.safeParse({ title: 'ok', description: 'nul \u0000 inside' }))).toEqual(['description']);
    expect(paths(createTaskSchema.safeParse({ title: 'ok', description: 'bad \ud800 half' }))).toEqual(['description']);
    expect(paths(createTaskSchema.safeParse({ title: 'lone low \udc00' }))).toEqual(['title']);
    expect(createTaskSchema.safeParse({ title: 'emoji 🧪 and 日本語' }).success).toBe(true);
  });

  it('refuses completed that is not a boolean', () => {
    for (const completed of ['true', 1, null, 'yes']) {
      expect(paths(createTaskSchema.safeParse({ title: 'x', completed })), String(completed)).toEqual(['completed']);
    }
  });

  it('names unknown and server-owned fields', () => {
    const errors = fieldErrors(createTaskSchema.safeParse({ title: 'x', id: 1, user_id: 'u', created_at: 'now' }));
    expect(errors).toEqual([{ path: '', message: 'Unknown fields: id, user_id, created_at' }]);
    expect(fieldErrors(createTaskSchema.safeParse({ title: 'x', done: true }))).toEqual([{ path: '', message: 'Unknown field: done' }]);
  });

  it('reports every problem at once, not only the first', () => {
    const errors = fieldErrors(createTaskSchema.safeParse({ title: 5, description: 'd'.repeat(10_001), completed: 'no', user_id: 'u' }));
    expect(errors.map((e) => e.path).sort()).toEqual(['', 'completed', 'description', 'title']);
    expect(errors.find((e) => e.path === '')?.message).toBe('Unknown field: user_id');
  });

  it('requires a title', () => {
    expect(paths(createTaskSchema.safeParse({}))).toEqual(['title']);
    expect(paths(createTaskSchema.safeParse({ description: 'no title' }))).toEqual(['title']);
  });

  it('refuses a body that is not an object, with a sentence saying so', () => {
    for (const body of [null, [], 'x', 1, true]) {
      const result = createTaskSchema.safeParse(body);
      expect(result.success, JSON.stringify(body)).toBe(false);
      expect(result.error!.issues[0]!.message).toBe('The body must be a JSON object');
    }
  });
});

describe('updateTaskSchema', () => {
  it('takes any non-empty subset and keeps only what was sent', () => {
    expect(updateTaskSchema.parse({ completed: false })).toEqual({ completed: false });
    expect(updateTaskSchema.parse({ title: ' t ', description: null })).toEqual({ title: 't', description: null });
    expect(updateTaskSchema.parse({ description: 'only this' })).toEqual({ description: 'only this' });
  });

  it('refuses an empty body, unknown fields and the same bad values as create', () => {
    expect(fieldErrors(updateTaskSchema.safeParse({}))).toEqual([{ path: '', message: 'Send at least one of title, description, completed' }]);
    expect(fieldErrors(updateTaskSchema.safeParse({ done: true }))).toContainEqual({ path: '', message: 'Unknown field: done' });
    expect(paths(updateTaskSchema.safeParse({ title: '   ' }))).toEqual(['title']);
    expect(paths(updateTaskSchema.safeParse({ title: null }))).toEqual(['title']);
    expect(paths(updateTaskSchema.safeParse({ title: 'x'.repeat(256) }))).toEqual(['title']);
    expect(paths(updateTaskSchema.safeParse({ completed: null }))).toEqual(['completed']);
    expect(paths(updateTaskSchema.safeParse({ id: 2, title: 'x' }))).toEqual(['']);
  });
});

describe('completeTaskSchema', () => {
  it('takes exactly {completed: boolean}', () => {
    expect(completeTaskSchema.parse({ completed: true })).toEqual({ completed: true });
    expect(completeTaskSchema.parse({ completed: false })).toEqual({ completed: false });
    for (const body of [{}, { completed: 'true' }, { completed: null }, { completed: true, title: 'x' }, null, []]) {
      expect(completeTaskSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});

describe('parseListQuery', () => {
  const parse = (query: string) => parseListQuery(new URLSearchParams(query));

  it('defaults to all, 50, no cursor, and ignores unknown parameters', () => {
    expect(parse('').data).toEqual({ status: 'all', limit: 50 });
    expect(parse('user_id=someone&sort=asc').data).toEqual({ status: 'all', limit: 50 });
  });

  it('takes statuses all, pending, completed and nothing else', () => {
    for (const status of ['all', 'pending', 'completed'] as const) expect(parse(`status=${status}`).data?.status).toBe(status);
    for (const status of ['done', '', 'PENDING', 'all ']) {
      const result = parse(`status=${encodeURIComponent(status)}`);
      expect(result.success, status).toBe(false);
      expect(paths(result)).toEqual(['status']);
    }
  });

  it('takes limits 1..200 and refuses anything else', () => {
    expect(parse('limit=1').data?.limit).toBe(1);
    expect(parse('limit=200').data?.limit).toBe(200);
    for (const limit of ['0', '201', '', '1e2', '-5', '2.5', '99999', ' 5', '+5', 'ten', '0x10']) {
      const result = parse(`limit=${encodeURIComponent(limit)}`);
      expect(result.success, limit).toBe(false);
      expect(paths(result)).toEqual(['limit']);
    }
  });

  it('reports a bad status and a bad limit together', () => {
    expect(paths(parse('status=done&limit=0'))).toEqual(['limit', 'status']);
  });

  it('decodes the cursors it issues and refuses anything else', () => {
    expect(parse(`cursor=${encodeCursor(42)}`).data).toEqual({ status: 'all', limit: 50, cursor: 42 });
    for (const cursor of ['42', 'abc', '', 'dDow', encodeCursor(42) + '!', 'x'.repeat(100), btoa('t:-1'), btoa('t:1 OR 1=1')]) {
      const result = parse(`cursor=${encodeURIComponent(cursor)}`);
      expect(result.success, cursor).toBe(false);
      expect(paths(result)).toEqual(['cursor']);
    }
  });
});

describe('cursors', () => {
  it('round-trips every id a page can end on, in URL-safe characters', () => {
    for (const id of [1, 9, 42, 1000, 123_456_789, 9_007_199_254_740_991]) {
      const cursor = encodeCursor(id);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toBe(id);
    }
  });

  it('refuses forged cursors: zero, negative, leading zeros, unsafe integers, other prefixes, not base64', () => {
    const forge = (text: string) => btoa(text).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    for (const text of ['t:0', 't:-1', 't:007', 't:1.5', 't:99999999999999999', 't:9007199254740993', 'u:5', '5', 't:', 't:5\n']) {
      expect(decodeCursor(forge(text)), text).toBeUndefined();
    }
    for (const cursor of ['%%%', '', 'a', '!!!!']) expect(decodeCursor(cursor), cursor).toBeUndefined();
  });
});

describe('parseTaskId', () => {
  it('parses positive integers up to the largest safe integer', () => {
    expect(parseTaskId('1')).toBe(1);
    expect(parseTaskId('42')).toBe(42);
    expect(parseTaskId('9007199254740991')).toBe(9_007_199_254_740_991);
  });

  it('refuses zero, negatives, fractions, leading zeros, exponents, padding and numbers it cannot hold exactly', () => {
    for (const raw of ['0', '-1', '1.5', '007', '01', '1e3', '0x10', '+1', ' 1', '1 ', 'abc', '', '１', '9007199254740992', '9007199254740993', '99999999999999999999', '1'.repeat(400)]) {
      expect(parseTaskId(raw), raw).toBeUndefined();
    }
  });
});
