import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { validationProblem } from './problem';
import { completeTaskSchema, createTaskSchema, encodeCursor, parseListQuery, parseTaskId, updateTaskSchema, type ListTasksQuery } from './task-schemas';

type Result = { success: boolean; error?: z.ZodError };

const paths = (result: Result) => (result.error?.issues ?? []).map((issue) => issue.path.join('.')).sort();

/** The field errors the API would answer with (422 `errors`). */
const fieldErrors = (result: Result) => {
  expect(result.success).toBe(false);
  return validationProblem(result.error!).toJSON().errors!;
};

describe('createTaskSchema', () => {
  it('trims the title and takes an optional description and completed, defaulting the ones not sent', () => {
    const defaults = { description: null, completed: false, priority: 'none', tags: [], list_id: null, due_date: null, due_time: null, recurrence: null, recur_from: 'due', remind_at: null };
    expect(createTaskSchema.parse({ title: '  Buy milk \n' })).toEqual({ ...defaults, title: 'Buy milk' });
    expect(createTaskSchema.parse({ title: 'x', description: null, completed: true })).toEqual({ ...defaults, title: 'x', completed: true });
    expect(createTaskSchema.parse({ title: 'x', description: '  kept as sent  ' })).toEqual({ ...defaults, title: 'x', description: '  kept as sent  ' });
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

  it('names each unknown and server-owned field at its own path', () => {
    const errors = fieldErrors(createTaskSchema.safeParse({ title: 'x', id: 1, user_id: 'u', created_at: 'now' }));
    expect(errors).toEqual([
      { path: 'id', message: 'id is not a field this API accepts' },
      { path: 'user_id', message: 'user_id is not a field this API accepts' },
      { path: 'created_at', message: 'created_at is not a field this API accepts' },
    ]);
    expect(fieldErrors(createTaskSchema.safeParse({ title: 'x', done: true }))).toEqual([{ path: 'done', message: 'done is not a field this API accepts' }]);
  });

  it('reports every problem at once, not only the first', () => {
    const errors = fieldErrors(createTaskSchema.safeParse({ title: 5, description: 'd'.repeat(10_001), completed: 'no', user_id: 'u' }));
    expect(errors.map((e) => e.path).sort()).toEqual(['completed', 'description', 'title', 'user_id']);
  });

  it('takes the organising fields, with their rules', () => {
    const task = createTaskSchema.parse({ title: 'x', priority: 'high', tags: [' Home ', 'home', 'Errands'], list_id: 3, due_date: '2026-02-28', due_time: '09:30' });
    expect(task).toMatchObject({ priority: 'high', tags: ['Home', 'Errands'], list_id: 3, due_date: '2026-02-28', due_time: '09:30' });
    const bad = fieldErrors(
      createTaskSchema.safeParse({ title: 'x', priority: 'urgent', tags: ['ok', 'a,b', '', 'x'.repeat(33)], list_id: 'inbox', due_date: '2026-02-30', due_time: '24:00' }),
    );
    expect(bad.map((e) => e.path).sort()).toEqual(['due_date', 'due_time', 'list_id', 'priority', 'tags.1', 'tags.2', 'tags.3']);
    expect(paths(createTaskSchema.safeParse({ title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }))).toEqual(['tags']);
    expect(fieldErrors(createTaskSchema.safeParse({ title: 'x', due_time: '09:00' }))).toEqual([{ path: 'due_time', message: expect.stringMatching(/due_date/) }]);
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
    expect(fieldErrors(updateTaskSchema.safeParse({}))).toEqual([
      { path: '', message: 'Send at least one of title, description, completed, priority, tags, list_id, due_date, due_time, recurrence, recur_from, remind_at' },
    ]);
    expect(fieldErrors(updateTaskSchema.safeParse({ done: true }))).toContainEqual({ path: 'done', message: 'done is not a field this API accepts' });
    expect(paths(updateTaskSchema.safeParse({ due_date: null, due_time: '10:00' }))).toEqual(['due_time']);
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
  const query = (text: string) => parse(text).data as ListTasksQuery;

  it('defaults to all tasks, newest first, 50 a page, and ignores unknown parameters', () => {
    expect(parse('').data).toEqual({ status: 'all', sort: 'created', order: 'desc', limit: 50, words: [], after: undefined });
    expect(parse('user_id=someone&owner=x').data).toEqual(parse('').data);
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

  it('reports every bad parameter together', () => {
    expect(paths(parse('status=done&limit=0&sort=size&due=later&priority=urgent&list=x'))).toEqual(['due', 'limit', 'list', 'priority', 'sort', 'status']);
  });

  it('splits q into words, 1 to 200 characters', () => {
    expect(query('q=%20buy%20%20MILK%09now ').words).toEqual(['buy', 'MILK', 'now']);
    for (const q of ['', '   ', 'x'.repeat(201)]) expect(paths(parse(`q=${encodeURIComponent(q)}`)), q).toEqual(['q']);
  });

  it('takes priorities comma-separated, tags repeated, a list id or inbox, due and dates', () => {
    expect(query('priority=high,low&tag=Home&tag=work&list=inbox&due=week&due_from=2026-01-01&due_to=2026-12-31')).toMatchObject({
      priority: ['high', 'low'],
      tag: ['Home', 'work'],
      list: 'inbox',
      due: 'week',
      due_from: '2026-01-01',
      due_to: '2026-12-31',
    });
    expect(query('list=12').list).toBe(12);
    for (const bad of ['priority=', 'priority=high,,low', 'list=0', 'list=-1', 'list=Inbox', 'due=tomorrow', 'due_from=2026-02-30', 'due_to=31/12/2026', 'tag=a,b']) {
      expect(parse(bad).success, bad).toBe(false);
    }
  });

  it('orders due and title ascending by default, the others descending, unless told', () => {
    for (const [sort, order] of [['created', 'desc'], ['updated', 'desc'], ['due', 'asc'], ['priority', 'desc'], ['title', 'asc']]) {
      expect(query(`sort=${sort}`).order, sort).toBe(order);
    }
    expect(query('sort=due&order=desc').order).toBe('desc');
    expect(paths(parse('order=up'))).toEqual(['order']);
  });
});

describe('cursors', () => {
  const parse = (text: string) => parseListQuery(new URLSearchParams(text));
  const query = (text: string) => parse(text).data as ListTasksQuery;

  it('round-trip the keys of every sort, in URL-safe characters', () => {
    const positions = {
      created: { keys: [], id: 42 },
      updated: { keys: ['2026-12-03 10:00:00.123456+00'], id: 7 },
      due: { keys: ['2026-12-03', '24:00:00'], id: 9_007_199_254_740_991 },
      priority: { keys: ['high'], id: 1 },
      title: { keys: ['café 日本語 <b>'], id: 5 },
    };
    for (const [sort, position] of Object.entries(positions)) {
      const base = `sort=${sort}&q=milk&tag=Home`;
      const cursor = encodeCursor(query(base), position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(query(`${base}&cursor=${cursor}`).after, sort).toEqual(position);
      // Another page size is the same query.
      expect(query(`${base}&limit=10&cursor=${cursor}`).after, sort).toEqual(position);
    }
  });

  it('belong to their query: another sort, order or filter is 422 on cursor', () => {
    const cursor = encodeCursor(query('sort=due&q=milk'), { keys: ['2026-12-03', '09:00:00'], id: 3 });
    for (const other of ['sort=due&q=bread', 'sort=due&order=desc&q=milk', 'sort=due&q=milk&status=pending', 'sort=due&q=milk&tag=x', 'q=milk']) {
      const result = parse(`${other}&cursor=${cursor}`);
      expect(result.success, other).toBe(false);
      expect(paths(result), other).toEqual(['cursor']);
    }
    // The same query written differently is the same query.
    expect(query(`q=%20milk%20&order=asc&sort=due&cursor=${cursor}`).after?.id).toBe(3);
  });

  it('refuse forged ones: not base64 JSON, wrong shapes, keys of another type', () => {
    const forge = (payload: unknown) => btoa(JSON.stringify(payload)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const h = (text: string) => encodeCursor(query(text), { keys: [], id: 1 });
    const hashOf = (text: string) => (JSON.parse(atob(h(text).replace(/-/g, '+').replace(/_/g, '/'))) as { h: string }).h;
    for (const [text, cursor] of [
      ['', '%%%'],
      ['', 'abc'],
      ['', 'x'.repeat(3000)],
      ['', forge({ h: hashOf(''), k: [], i: 0 })],
      ['', forge({ h: hashOf(''), k: [], i: 1.5 })],
      ['', forge({ h: hashOf(''), k: ['x'], i: 1 })],
      ['sort=due', forge({ h: hashOf('sort=due'), k: ["2026-12-03'; drop table tasks; --", '09:00:00'], i: 1 })],
      ['sort=updated', forge({ h: hashOf('sort=updated'), k: ['yesterday'], i: 1 })],
      ['sort=priority', forge({ h: hashOf('sort=priority'), k: ['urgent'], i: 1 })],
      ['sort=title', forge({ h: hashOf('sort=title'), k: [5], i: 1 })],
    ] as const) {
      const result = parse(`${text}&cursor=${encodeURIComponent(cursor)}`);
      expect(result.success, cursor).toBe(false);
      expect(paths(result), cursor).toEqual(['cursor']);
    }
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
