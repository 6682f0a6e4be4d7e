import { beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_MAX_BYTES } from '@/lib/api/limits';
import { listSchema } from '@/lib/api/list-schemas';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { problemOf, type ContractRequest, type TaskApiTarget, type User } from './task-api-contract';

/**
 * The contract's "Your data": export (JSON, CSV, as an attachment) and import (all or nothing, its
 * own 10 MB cap). Part of the one contract suite (handlers, proxy, msw mock). User f's data.
 */
export function describeDataContract(target: () => TaskApiTarget) {
  let api: TaskApiTarget;
  const USER: User = 'f';
  beforeAll(() => {
    api = target();
  });

  const send = (method: string, path: string, request?: ContractRequest) => api.send(USER, method, path, request);
  const tasksNow = async () => taskSchema.array().parse(await (await send('GET', 'me/tasks?limit=200&sort=created&order=asc')).json());
  const importFile = (body: string, type: string) => send('POST', 'me/import', { rawBody: body, headers: { 'content-type': type } });

  describe('your data', () => {
    beforeAll(async () => {
      const list = listSchema.parse(await (await send('POST', 'me/lists', { body: { name: 'Errands' } })).json());
      for (const body of [
        { title: 'Buy milk', tags: ['shop'], list_id: list.id, due_date: '2026-12-03', due_time: '18:00', priority: 'high' },
        { title: '=1+1, "quoted"', description: 'two\nlines', completed: true },
      ]) {
        expect((await send('POST', 'me/tasks', { body })).status).toBe(201);
      }
    });

    it('exports JSON { user, lists, tasks } as a dated attachment: every task as the API answers it', async () => {
      const response = await send('GET', 'me/export');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="tasklane-export-\d{4}-\d\d-\d\d\.json"$/);
      const file = (await response.json()) as { user: { id: string }; lists: unknown[]; tasks: TaskDto[] };
      expect(Object.keys(file)).toEqual(['user', 'lists', 'tasks']);
      expect(file.user.id).toBe(api.userId(USER));
      expect(listSchema.array().parse(file.lists).map((list) => list.name)).toEqual(['Errands']);
      expect(taskSchema.array().parse(file.tasks)).toEqual(await tasksNow());
    });

    it('exports CSV with the contract’s header row, quoting and the list by name', async () => {
      const response = await send('GET', 'me/export?format=csv');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="tasklane-export-\d{4}-\d\d-\d\d\.csv"$/);
      const lines = (await response.text()).split('\r\n');
      expect(lines[0]).toBe('id,title,description,completed,priority,tags,list,due_date,due_time,recurrence,recur_from,remind_at,created_at,completed_at');
      expect(lines[1]).toMatch(/^\d+,Buy milk,,false,high,shop,Errands,2026-12-03,18:00,,due,,[\dT:.Z-]+,$/);
      // A line break inside a field is quoted (RFC 4180), so the row goes on past it.
      expect(lines[2]).toMatch(/^\d+,"'=1\+1, ""quoted""","two\nlines",true,none,/);
    });

    it('imports its own export (JSON and CSV): new ids, the same fields, the list matched by name', async () => {
      const before = await tasksNow();
      const files = [];
      for (const format of ['json', 'csv']) files.push({ format, file: await (await send('GET', `me/export?format=${format}`)).text() });
      for (const { format, file } of files) {
        const response = await importFile(file, format === 'json' ? 'application/json' : 'text/csv');
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ imported: before.length });
      }
      const after = await tasksNow();
      expect(after).toHaveLength(before.length * 3);
      const { id: _i, updated_at: _u, ...first } = before[0]!;
      for (const copy of [after[before.length]!, after[2 * before.length]!]) {
        expect(copy.id).toBeGreaterThan(before.at(-1)!.id);
        expect(copy).toMatchObject(first);
      }
      const lists = listSchema.array().parse(await (await send('GET', 'me/lists')).json());
      expect(lists.map((list) => [list.name, list.task_count])).toEqual([['Errands', 3]]);
    });

    it('refuses a bad row with 422 naming it and imports nothing', async () => {
      const before = await tasksNow();
      const json = await importFile(JSON.stringify({ tasks: [{ title: 'fine' }, { title: 'bad', due_date: '2026-13-01' }] }), 'application/json');
      expect(json.status).toBe(422);
      expect((await problemOf(json)).errors).toEqual([{ path: 'tasks.2.due_date', message: expect.any(String) }]);
      const csv = await importFile('title,due_date\r\nfine,\r\nbad,2026-13-01\r\n', 'text/csv');
      expect(csv.status).toBe(422);
      expect((await problemOf(csv)).errors).toEqual([{ path: 'row 3: due_date', message: expect.any(String) }]);
      const notAnExport = await importFile('{"hello":"world"}', 'application/json');
      expect(notAnExport.status).toBe(422);
      await problemOf(notAnExport);
      expect(await tasksNow()).toEqual(before);
    });

    it('refuses other media types (415) and bodies over 10 MB (413)', async () => {
      const before = await tasksNow();
      const plain = await importFile('title\r\nx\r\n', 'text/plain');
      expect(plain.status).toBe(415);
      await problemOf(plain);
      const big = await importFile(`title\r\n${'x'.repeat(IMPORT_MAX_BYTES)}\r\n`, 'text/csv');
      expect(big.status).toBe(413);
      expect((await problemOf(big)).detail).toBe('The body must be at most 10 MB.');
      expect(await tasksNow()).toEqual(before);
    });

    it('answers 403 for another user’s path, export and import', async () => {
      const other = api.userId('a');
      for (const [method, path, request] of [
        ['GET', `${other}/export`, {}],
        ['POST', `${other}/import`, { body: { tasks: [{ title: 'planted' }] } }],
      ] as const) {
        const response = await send(method, path, request);
        expect(response.status, `${method} ${path}`).toBe(403);
        expect((await problemOf(response)).detail).toBe('Access denied: user identity mismatch');
      }
    });
  });
}
