import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '@/lib/api/export-format';
import { IMPORT_MAX_BYTES } from '@/lib/api/limits';
import { listSchema, type ListDto } from '@/lib/api/list-schemas';
import { problemSchema, type Problem } from '@/lib/api/problem';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import * as proxyRoute from '@/app/api/proxy/[...path]/route';
import { taskRouteModules } from '@/app/api/[userId]/task-api';
import { callApi, callProxy, ORIGIN, signUp, tokenFor, type TestUser } from '@/test/app';

// "Your data" (CONTRACT.md): export streamed, import all or nothing, directly and through the proxy.

interface Account {
  user: TestUser;
  token: string;
}

async function account(name: string): Promise<Account> {
  const user = await signUp(name);
  return { user, token: await tokenFor(user) };
}

async function ok(response: Response, status = 200): Promise<Response> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return response;
}

async function problemOf(response: Response, status: number): Promise<Problem> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return problemSchema.parse(JSON.parse(text));
}

async function createList(owner: Account, body: Record<string, unknown>): Promise<ListDto> {
  return listSchema.parse(await (await ok(await callApi('POST', 'me/lists', { token: owner.token, body }), 201)).json());
}

async function createTask(owner: Account, body: Record<string, unknown>): Promise<TaskDto> {
  return taskSchema.parse(await (await ok(await callApi('POST', 'me/tasks', { token: owner.token, body }), 201)).json());
}

async function exportOf(owner: Account, format: 'json' | 'csv'): Promise<Response> {
  return ok(await callApi('GET', `me/export?format=${format}`, { token: owner.token }));
}

interface ExportJson {
  user: { id: string; name: string; email: string; timezone: string };
  lists: ListDto[];
  tasks: TaskDto[];
}

async function exportJson(owner: Account): Promise<ExportJson> {
  return (await (await exportOf(owner, 'json')).json()) as ExportJson;
}

/** A POST to the import route as Next would hand it over: streams need `duplex`, which the shared helpers do not set. */
function importRequest(path: string, body: BodyInit, headers: Record<string, string>): Request {
  return new Request(new URL(path, ORIGIN), { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}

function importInto(owner: Account, body: BodyInit, contentType: string, headers: Record<string, string> = {}) {
  const request = importRequest('/api/me/import', body, { authorization: `Bearer ${owner.token}`, 'content-type': contentType, ...headers });
  return taskRouteModules.importData.POST(request, { params: Promise.resolve({ userId: 'me' }) });
}

function importViaProxy(owner: Account, body: BodyInit, contentType: string, headers: Record<string, string> = {}) {
  return proxyRoute.POST(importRequest('/api/proxy/me/import', body, { cookie: owner.user.cookie, origin: ORIGIN, 'content-type': contentType, ...headers }));
}

async function countTasks(owner: Account): Promise<number> {
  const response = await ok(await callApi('GET', 'me/tasks?limit=1', { token: owner.token }));
  return Number(response.headers.get('x-total-count'));
}

/** A task as the user sees it, with what import renumbers (ids, the owner, updated_at) left out and the list named. */
function comparable(task: TaskDto, lists: ListDto[]) {
  const { id: _id, user_id: _user, updated_at: _updated, list_id: listId, ...rest } = task;
  return { ...rest, list: lists.find((list) => list.id === listId)?.name ?? null };
}

const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, '.000Z');

/** A user with a bit of everything a task can hold, the awkward text a CSV must quote or guard included. */
async function richAccount(name: string): Promise<Account> {
  const owner = await account(name);
  const work = await createList(owner, { name: 'Work', color: '#1e90ff' });
  const home = await createList(owner, { name: 'Home, "sweet" home' });
  await createTask(owner, { title: 'Plain' });
  await createTask(owner, {
    title: 'Everything',
    description: 'line 1\nline 2, with "quotes"\r\nand a CRLF',
    priority: 'high',
    tags: ['errands', 'Zeta', 'alpha'],
    list_id: work.id,
    due_date: '2026-12-03',
    due_time: '18:00',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO,TH',
    recur_from: 'completion',
    remind_at: inAYear,
  });
  await createTask(owner, { title: '=HYPERLINK("http://evil")', description: '+1 -2 @me', tags: ['-dash', '@at'], list_id: home.id });
  await createTask(owner, { title: "'already quoted", description: '' });
  await createTask(owner, { title: '日本語 🧪 <script>alert(1)</script>', description: 'only\na line break', completed: true, priority: 'low', due_date: '2026-01-31' });
  await createTask(owner, { title: 'Monthly, done once', due_date: '2026-01-31', recurrence: 'FREQ=MONTHLY;BYMONTHDAY=-1', tags: ['errands'] });
  const recurring = (await exportJson(owner)).tasks.find((task) => task.title === 'Monthly, done once')!;
  // Completed once: it moves on, completed_at set but not completed.
  await ok(await callApi('PATCH', `me/tasks/${recurring.id}/complete`, { token: owner.token }));
  return owner;
}

describe('export', () => {
  let owner: Account;
  beforeAll(async () => {
    owner = await richAccount('Exporter');
  });

  it('answers JSON { user, lists, tasks } as an attachment named for the day, every task field as the API answers it', async () => {
    const response = await exportOf(owner, 'json');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="tasklane-export-\d{4}-\d\d-\d\d\.json"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const file = (await response.json()) as ExportJson;
    expect(Object.keys(file)).toEqual(['user', 'lists', 'tasks']);
    expect(file.user).toEqual({ id: owner.user.id, name: 'Exporter', email: owner.user.email, timezone: 'UTC' });
    const lists = listSchema.array().parse(await (await callApi('GET', 'me/lists', { token: owner.token })).json());
    expect(file.lists).toEqual(lists);
    const tasks = taskSchema.array().parse(await (await callApi('GET', 'me/tasks?limit=200&sort=created&order=asc', { token: owner.token })).json());
    expect(file.tasks).toEqual(tasks);
    expect(file.tasks).toHaveLength(6);
  });

  it('answers CSV with the contract’s header row, RFC 4180 quoting, tags in one field, the list by name, formulas guarded', async () => {
    const response = await exportOf(owner, 'csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="tasklane-export-\d{4}-\d\d-\d\d\.csv"$/);
    const text = await response.text();
    const [header] = text.split('\r\n');
    expect(header).toBe('id,title,description,completed,priority,tags,list,due_date,due_time,recurrence,recur_from,remind_at,created_at,completed_at');
    expect(header).toBe(CSV_COLUMNS.join(','));
    expect(text).toContain(',"line 1\nline 2, with ""quotes""\r\nand a CRLF",false,high,"alpha,errands,Zeta",Work,2026-12-03,18:00,"FREQ=WEEKLY;BYDAY=MO,TH",completion,');
    expect(text.split('\r\n')[1]).toMatch(/^\d+,Plain,,false,none,,,,,,due,,\d{4}-\d\d-\d\dT[\d:.]+Z,$/);
    // A cell a spreadsheet would run as a formula starts with ', and so does one that began with ' already.
    expect(text).toContain(`,"'=HYPERLINK(""http://evil"")",'+1 -2 @me,false,none,"'-dash,@at","Home, ""sweet"" home",`);
    expect(text).toContain(`,''already quoted,"",false,`);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('refuses an unknown format with 422 on format', async () => {
    const problem = await problemOf(await callApi('GET', 'me/export?format=xml', { token: owner.token }), 422);
    expect(problem.errors).toEqual([{ path: 'format', message: expect.any(String) }]);
  });

  it('is another user’s path: 403, directly and through the proxy', async () => {
    const other = await account('Other');
    expect((await problemOf(await callApi('GET', `${other.user.id}/export`, { token: owner.token }), 403)).detail).toBe('Access denied: user identity mismatch');
    expect((await problemOf(await callProxy('GET', `${other.user.id}/export?format=csv`, { cookie: owner.user.cookie }), 403)).detail).toBe('Access denied: user identity mismatch');
    const before = await countTasks(other);
    expect(await problemOf(await callApi('POST', `${other.user.id}/import`, { token: owner.token, body: { tasks: [{ title: 'planted' }] } }), 403)).toMatchObject({ status: 403 });
    expect(await countTasks(other)).toBe(before);
  });
});

describe('round trip: the export of a user imports into a fresh user as the same tasks, lists and tags', () => {
  for (const format of ['json', 'csv'] as const) {
    it(format, async () => {
      const source = await richAccount(`Source ${format}`);
      const target = await account(`Target ${format}`);
      const file = await (await exportOf(source, format)).text();
      const answer = await ok(await importInto(target, file, format === 'json' ? 'application/json' : 'text/csv'));
      expect(await answer.json()).toEqual({ imported: 6 });

      const before = await exportJson(source);
      const after = await exportJson(target);
      expect(after.tasks.map((task) => comparable(task, after.lists))).toEqual(before.tasks.map((task) => comparable(task, before.lists)));
      // New ids, the importing user's, in the file's order.
      expect(after.tasks.every((task) => task.user_id === target.user.id)).toBe(true);
      expect(after.tasks.map((task) => task.id)).toEqual([...after.tasks.map((task) => task.id)].sort((a, b) => a - b));
      expect(after.tasks.map((task) => task.id)).not.toEqual(before.tasks.map((task) => task.id));
      // Lists by name (with colour from JSON; CSV names only), counts kept by the triggers.
      const listShape = (list: ListDto) => ({ name: list.name, position: list.position, task_count: list.task_count, open_count: list.open_count, color: format === 'json' ? list.color : null });
      expect(after.lists.map(listShape)).toEqual(before.lists.map(listShape));
      for (const path of ['me/tags']) {
        expect(await (await callApi('GET', path, { token: target.token })).json()).toEqual(await (await callApi('GET', path, { token: source.token })).json());
      }
      for (const query of ['status=pending', 'status=completed', 'due=scheduled', 'tag=errands']) {
        const count = async (owner: Account) => (await callApi('GET', `me/tasks?${query}`, { token: owner.token })).headers.get('x-total-count');
        expect(await count(target), query).toBe(await count(source));
      }
      // Exported again, the CSV is the same file but for ids and the day.
      if (format === 'csv') {
        const again = await (await exportOf(target, 'csv')).text();
        const withoutIds = (text: string) => text.replace(/^\d+,/gm, 'ID,');
        expect(withoutIds(again)).toBe(withoutIds(file));
      }
    });
  }

  it('matches lists by name ignoring case and creates the others last; a past reminder arrives fired', async () => {
    const target = await account('Matcher');
    await createList(target, { name: 'work' });
    const file = {
      lists: [
        { id: 7, name: 'WORK', color: '#000000' },
        { id: 8, name: 'Garden', color: '#00aa00' },
      ],
      tasks: [
        { id: 1, user_id: 'someone-else', title: 'in work', list_id: 7, updated_at: '2000-01-01T00:00:00.000Z' },
        { title: 'in garden', list_id: 8, remind_at: '2020-01-01T08:00:00.000Z', created_at: '2020-01-01T00:00:00.000Z' },
      ],
    };
    await ok(await importInto(target, JSON.stringify(file), 'application/json'));
    const { lists, tasks } = await exportJson(target);
    expect(lists.map((list) => [list.name, list.color, list.position, list.task_count])).toEqual([
      ['work', null, 0, 1],
      ['Garden', '#00aa00', 1, 1],
    ]);
    expect(tasks.map((task) => [task.title, task.list_id, task.user_id])).toEqual([
      ['in work', lists[0]!.id, target.user.id],
      ['in garden', lists[1]!.id, target.user.id],
    ]);
    expect(tasks[1]!.created_at).toBe('2020-01-01T00:00:00.000Z');
    expect(tasks[0]!.updated_at).not.toBe('2000-01-01T00:00:00.000Z');
    const { fireDueReminders } = await import('@/server/reminders');
    await fireDueReminders();
    expect(await (await callApi('GET', 'me/notifications', { token: target.token })).json()).toEqual([]);
  });

  it('takes a CSV made elsewhere with only a title column, a byte order mark and CRLF', async () => {
    const target = await account('Spreadsheet');
    const response = await ok(await importInto(target, '\uFEFFTitle\r\nBuy milk\r\n"Call ""Bob"", later"\r\n\r\n', 'text/csv'));
    expect(await response.json()).toEqual({ imported: 2 });
    expect((await exportJson(target)).tasks.map((task) => [task.title, task.completed, task.priority, task.tags])).toEqual([
      ['Buy milk', false, 'none', []],
      ['Call "Bob", later', false, 'none', []],
    ]);
  });

  it('honours Idempotency-Key: the same import sent twice imports once', async () => {
    const target = await account('Retrier');
    const body = JSON.stringify({ tasks: [{ title: 'once' }] });
    const first = await importInto(target, body, 'application/json', { 'idempotency-key': 'import-1' });
    expect(await first.json()).toEqual({ imported: 1 });
    const second = await importInto(target, body, 'application/json', { 'idempotency-key': 'import-1' });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual({ imported: 1 });
    expect(await countTasks(target)).toBe(1);
  });
});

describe('import refuses, and imports nothing', () => {
  let target: Account;
  let before: ExportJson;
  beforeAll(async () => {
    target = await account('Refused');
    await createTask(target, { title: 'already here' });
    before = await exportJson(target);
  });

  async function expectUnchanged() {
    expect(await exportJson(target)).toEqual(before);
  }

  it('a bad task of a JSON export: 422 naming tasks.N.field (1-based)', async () => {
    const file = { lists: [{ id: 1, name: 'Never created' }], tasks: [{ title: 'one', list_id: 1 }, { title: 'two' }, { title: 'three', due_date: '2026-02-30' }, { title: '' }] };
    const problem = await problemOf(await importInto(target, JSON.stringify(file), 'application/json'), 422);
    expect(problem.errors).toEqual([
      { path: 'tasks.3.due_date', message: expect.any(String) },
      { path: 'tasks.4.title', message: 'must not be empty' },
    ]);
    expect(problem.detail).toMatch(/^Nothing was imported\. The file is invalid: tasks\.3\.due_date: /);
    await expectUnchanged();
  });

  it('a bad row of a CSV: 422 naming "row N: field", the header being row 1', async () => {
    const csv = 'title,due_date,priority,tags\r\none,,,\r\ntwo,2026-01-01,high,"a,b"\r\nthree,tomorrow,urgent,\r\n';
    const problem = await problemOf(await importInto(target, csv, 'text/csv'), 422);
    expect(problem.errors).toEqual([
      { path: 'row 4: priority', message: 'must be one of none, low, medium, high' },
      { path: 'row 4: due_date', message: 'must be a date as YYYY-MM-DD' },
    ]);
    await expectUnchanged();
  });

  it('a rule that never occurs, a time without a date, an unknown field, a list id not in the file', async () => {
    const file = {
      tasks: [
        { title: 'a', due_date: '2026-01-01', recurrence: 'FREQ=DAILY;UNTIL=20250101' },
        { title: 'b', due_time: '10:00' },
        { title: 'c', subtasks: [] },
        { title: 'd', list_id: 99 },
      ],
    };
    const problem = await problemOf(await importInto(target, JSON.stringify(file), 'application/json'), 422);
    expect(problem.errors?.map((error) => error.path)).toEqual(['tasks.1.recurrence', 'tasks.2.due_time', 'tasks.3.subtasks', 'tasks.4.list_id']);
    await expectUnchanged();
  });

  it('a file that is not an export, a CSV without a title column or with an unknown one, a broken CSV: clear 4xx', async () => {
    for (const [body, type, status, path] of [
      ['{"name":"not an export"}', 'application/json', 422, ''],
      ['[1,2,3]', 'application/json', 422, ''],
      ['{"tasks":{}}', 'application/json', 422, ''],
      ['{"tasks":[],"extra":1}', 'application/json', 422, 'extra'],
      ['{"tasks":[', 'application/json', 400, undefined],
      ['', 'application/json', 400, undefined],
      ['name,due_date\r\nx,2026-01-01\r\n', 'text/csv', 422, 'row 1: title'],
      ['title,colour\r\nx,red\r\n', 'text/csv', 422, 'row 1: colour'],
      ['title,description\r\n"unclosed,x\r\n', 'text/csv', 422, undefined],
      ['title,description\r\na,b,c\r\n', 'text/csv', 422, undefined],
      ['', 'text/csv', 422, ''],
    ] as const) {
      const problem = await problemOf(await importInto(target, body, type), status);
      expect(problem.detail.length, body).toBeGreaterThan(10);
      if (path !== undefined) expect(problem.errors?.map((error) => error.path), body).toContain(path);
    }
    await expectUnchanged();
  });

  it('a body that is neither JSON nor CSV: 415; not UTF-8: 400', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      await problemOf(await importInto(target, 'title\r\nx\r\n', type), 415);
    }
    await problemOf(await importInto(target, new Uint8Array([0x74, 0x69, 0x74, 0x6c, 0x65, 0x0a, 0xff]), 'text/csv'), 400);
    await expectUnchanged();
  });

  it('takes 10 MB and refuses 10 MB + 1 with 413, declared or streamed', async () => {
    const padded = (size: number) => {
      const json = JSON.stringify({ tasks: [{ title: 'padded' }] });
      return json + ' '.repeat(size - json.length);
    };
    const big = await account('Big');
    expect(await (await ok(await importInto(big, padded(IMPORT_MAX_BYTES), 'application/json'))).json()).toEqual({ imported: 1 });
    const problem = await problemOf(await importInto(target, padded(IMPORT_MAX_BYTES + 1), 'application/json'), 413);
    expect(problem.detail).toBe('The body must be at most 10 MB.');
    await problemOf(await importInto(target, padded(1024), 'application/json', { 'content-length': String(IMPORT_MAX_BYTES + 1) }), 413);
    await expectUnchanged();
  });

  it('refuses a 50 MB upload after reading a little over 10 MB of it, quickly (nothing buffered whole)', async () => {
    for (const via of ['direct', 'proxy', 'proxy with Idempotency-Key'] as const) {
      const { stream, pulled } = endless(50 * 1024 * 1024);
      const began = performance.now();
      const headers = { 'content-type': 'text/csv', ...(via.includes('Idempotency') ? { 'idempotency-key': `big-${Date.now()}` } : {}) };
      const response = via === 'direct' ? await importInto(target, stream, 'text/csv', headers) : await importViaProxy(target, stream, 'text/csv', headers);
      await problemOf(response, 413);
      expect(performance.now() - began, via).toBeLessThan(5_000);
      // What was read to find it too large, and a chunk or two the stream had pulled ahead.
      expect(pulled(), via).toBeLessThan(IMPORT_MAX_BYTES + 4 * CHUNK);
    }
    await expectUnchanged();
  });
});

const CHUNK = 64 * 1024;

v8.setFlagsFromString('--expose-gc');
/** V8's collector, to measure what is alive rather than what is not yet collected. */
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** A CSV body of `size` bytes made as it is read; `pulled` says how much was. */
function endless(size: number) {
  let sent = 0;
  const row = new TextEncoder().encode(`${'x'.repeat(CHUNK - 2)}\r\n`);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      sent += row.byteLength;
      controller.enqueue(row);
    },
  });
  return { stream, pulled: () => sent };
}

describe('through the proxy', () => {
  it('exports with Content-Disposition, and imports a file far over the task API’s 64 KB', async () => {
    const source = await account('Proxy source');
    for (let i = 0; i < 3; i++) await createTask(source, { title: `task ${i}`, tags: ['proxied'] });
    const exported = await ok(await callProxy('GET', 'me/export?format=csv', { cookie: source.user.cookie }));
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="tasklane-export-\d{4}-\d\d-\d\d\.csv"$/);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const csv = await exported.text();
    expect(csv.split('\r\n')).toHaveLength(5);

    const target = await account('Proxy target');
    const big = JSON.stringify({ tasks: Array.from({ length: 2_000 }, (_, i) => ({ title: `imported ${i}`, description: 'd'.repeat(100), tags: ['bulk'] })) });
    expect(big.length).toBeGreaterThan(200 * 1024);
    const response = await ok(await importViaProxy(target, big, 'application/json'));
    expect(await response.json()).toEqual({ imported: 2_000 });
    expect(await countTasks(target)).toBe(2_000);
    expect(await (await callApi('GET', 'me/tags', { token: target.token })).json()).toEqual([{ name: 'bulk', count: 2_000 }]);

    // And an export's CSV through the proxy into the same user: three more.
    expect(await (await ok(await importViaProxy(target, csv, 'text/csv'))).json()).toEqual({ imported: 3 });
  });

  it('refuses a cross-origin import (the proxy’s CSRF rule)', async () => {
    const target = await account('Cross');
    const response = await importViaProxy(target, 'title\r\nx\r\n', 'text/csv', { origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await countTasks(target)).toBe(0);
  });
});

describe('100,000 tasks', () => {
  const TOTAL = 100_000;
  let owner: Account;

  beforeAll(async () => {
    owner = await account('Hoarder');
    const list = await createList(owner, { name: 'Bulk' });
    const { getDb } = await import('@/server/db/client');
    const db = await getDb();
    // Set-based, in one statement per 25,000 (the triggers keep the counts as for any insert).
    for (let from = 1; from <= TOTAL; from += 25_000) {
      await db.execute(sql`
        insert into tasks (user_id, list_id, title, description, priority, due_date, completed, completed_at)
        select ${owner.user.id}, case when n % 3 = 0 then ${list.id}::bigint end, 'task number ' || n, case when n % 2 = 0 then 'a description, with "quotes"' end,
               (array['none','low','medium','high'])[1 + n % 4]::task_priority, date '2026-01-01' + (n % 365), n % 5 = 0, case when n % 5 = 0 then now() end
        from generate_series(${from}::int, ${Math.min(from + 24_999, TOTAL)}::int) as n`);
    }
    expect(await countTasks(owner)).toBe(TOTAL);
  }, 120_000);

  for (const format of ['json', 'csv'] as const) {
    it(`streams the ${format} export: the first bytes before the rest is read, in batches of 1,000, memory bounded`, async () => {
      const began = performance.now();
      const response = await exportOf(owner, format);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const first = await reader.read();
      const firstAt = performance.now() - began;
      const chunks: number[] = [];
      let rows = 0;
      let bytes = first.value!.byteLength;
      let text = decoder.decode(first.value, { stream: true });
      let tail = '';
      // Live memory, not garbage not yet collected: measured after a collection every 10 chunks.
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        const chunk = decoder.decode(value, { stream: true });
        const inChunk = format === 'json' ? chunk.split('{"id":').length - 1 : chunk.split('\r\n').length - 1;
        chunks.push(inChunk);
        rows += inChunk;
        tail = (tail + chunk).slice(-200);
        if (text.length < 4096) text += chunk;
        if (chunks.length % 10 === 0) {
          collectGarbage();
          heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        }
      }
      const totalMs = performance.now() - began;
      // The head (user, lists; or the header row) comes first, alone, before any task is read.
      expect(decoder.decode(first.value)).toMatch(format === 'json' ? /^\{"user":\{.*"tasks":\[$/ : /^id,title,/);
      expect(firstAt).toBeLessThan(totalMs / 5);
      expect(rows).toBe(TOTAL);
      // Written as it was read: 100 chunks of at most 1,000 tasks, never the body at once.
      expect(chunks.length).toBeGreaterThanOrEqual(TOTAL / 1_000);
      expect(Math.max(...chunks)).toBeLessThanOrEqual(1_000);
      expect(format === 'json' ? tail.endsWith(']}\n') : tail.endsWith('\r\n')).toBe(true);
      // What stayed alive never came near the file (the body held whole would be all of it, twice over as a string).
      const growth = heapPeak - heapBefore;
      expect(growth).toBeLessThan(bytes / 4);
      console.info(`export ${format} of ${TOTAL} tasks: ${(bytes / 1e6).toFixed(1)} MB in ${Math.round(totalMs)} ms, first bytes after ${Math.round(firstAt)} ms, heap growth peak ${(growth / 1e6).toFixed(1)} MB`);
    }, 120_000);
  }
});
