import { beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '@/lib/api/problem';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { describeOrganiseContract } from './organise-contract';
import { describeConditionalContract } from './conditional-contract';
import { describeRecurringContract } from './recurring-contract';
import { describeDataContract } from './data-contract';

/**
 * The task API rows of ../shared/CONTRACT.md as one suite. It runs against the real route handlers
 * (integration) and against the msw handlers (unit), so the mock cannot drift from the API.
 */

/** The users of the suite: a and b share the task blocks; c, d, e and f each have a block of their own. */
export const USERS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
export type User = (typeof USERS)[number];
export type Actor = User | 'anonymous';

export interface ContractRequest {
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export interface TaskApiTarget {
  /** Sends `method /api/{path}` as one of the users (with their Bearer token), or with no Authorization. */
  send(actor: Actor, method: string, path: string, request?: ContractRequest): Promise<Response>;
  userId(actor: User): string;
  /** Sets the user's IANA time zone (Better Auth's `/update-user` on the real app). */
  setTimeZone(actor: User, timeZone: string): Promise<void>;
  /** Fires the reminders that are due, as the server's timer or /api/cron/reminders would. */
  fireReminders(): Promise<void>;
}

export async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  // The same schema the OpenAPI document publishes for problems.
  const body = problemSchema.parse(await response.json());
  expect(body.status).toBe(response.status);
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

export function describeTaskApiContract(name: string, setup: () => Promise<TaskApiTarget>) {
  describe(`task API contract: ${name}`, () => {
    let api: TaskApiTarget;

    beforeAll(async () => {
      api = await setup();
    });

    // Tasks are parsed with the schema the OpenAPI document publishes for them.
    async function create(actor: User, body: Record<string, unknown>): Promise<TaskDto> {
      const response = await api.send(actor, 'POST', 'me/tasks', { body });
      expect(response.status).toBe(201);
      return taskSchema.parse(await response.json());
    }

    async function fetchTask(actor: User, id: number): Promise<TaskDto> {
      const response = await api.send(actor, 'GET', `me/tasks/${id}`);
      expect(response.status).toBe(200);
      return taskSchema.parse(await response.json());
    }

    describe('POST /api/{user_id}/tasks', () => {
      it('creates a task: 201, the task, a Location header, defaults applied', async () => {
        const response = await api.send('a', 'POST', 'me/tasks', { body: { title: '  Buy milk  ' } });
        expect(response.status).toBe(201);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        const task = (await response.json()) as TaskDto;
        expect(task).toEqual({
          id: expect.any(Number),
          user_id: api.userId('a'),
          title: 'Buy milk',
          description: null,
          completed: false,
          priority: 'none',
          tags: [],
          list_id: null,
          due_date: null,
          due_time: null,
          recurrence: null,
          recur_from: 'due',
          remind_at: null,
          completed_at: null,
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        });
        expect(response.headers.get('location')).toBe(`/api/me/tasks/${task.id}`);
        expect(await fetchTask('a', task.id)).toEqual(task);
      });

      it('accepts description and completed, and the explicit user id in the path', async () => {
        const response = await api.send('a', 'POST', `${api.userId('a')}/tasks`, {
          body: { title: 'Write report', description: 'Quarterly', completed: true },
        });
        expect(response.status).toBe(201);
        const task = (await response.json()) as TaskDto;
        expect(task).toMatchObject({ title: 'Write report', description: 'Quarterly', completed: true });
        expect(response.headers.get('location')).toBe(`/api/${api.userId('a')}/tasks/${task.id}`);
      });

      it('stores text exactly: Unicode, quotes, markup', async () => {
        const title = `<script>alert("x")</script> 'quoted' — 日本語 🧪`;
        const description = 'line 1\nline 2\t"tab" & <b>bold</b>';
        const task = await create('a', { title, description });
        expect(task.title).toBe(title);
        expect(task.description).toBe(description);
        expect(await fetchTask('a', task.id)).toMatchObject({ title, description });
      });

      it('takes a title of 255 characters and refuses 256', async () => {
        await create('a', { title: 'x'.repeat(255) });
        const response = await api.send('a', 'POST', 'me/tasks', { body: { title: 'x'.repeat(256) } });
        expect(response.status).toBe(422);
        expect((await problemOf(response)).errors).toEqual([{ path: 'title', message: expect.any(String) }]);
      });

      it('refuses a blank title and a description over 10,000 characters', async () => {
        const response = await api.send('a', 'POST', 'me/tasks', { body: { title: '   ', description: 'd'.repeat(10_001) } });
        expect(response.status).toBe(422);
        const problem = await problemOf(response);
        expect(problem.errors?.map((e) => e.path).sort()).toEqual(['description', 'title']);
      });

      it('lists every validation problem, not just the first', async () => {
        const response = await api.send('a', 'POST', 'me/tasks', { body: { title: 7, description: 5, completed: 'yes' } });
        expect(response.status).toBe(422);
        const problem = await problemOf(response);
        expect(problem.errors?.map((e) => e.path).sort()).toEqual(['completed', 'description', 'title']);
        for (const error of problem.errors ?? []) expect(error.message.length).toBeGreaterThan(0);
      });

      it('refuses unknown and server-owned fields with 422 and applies none of them', async () => {
        const before = await api.send('a', 'GET', 'me/tasks');
        const total = before.headers.get('x-total-count');
        const response = await api.send('a', 'POST', 'me/tasks', {
          body: { title: 'Sneaky', id: 1, user_id: api.userId('b'), created_at: '2000-01-01T00:00:00.000Z', color: 'red' },
        });
        expect(response.status).toBe(422);
        const problem = await problemOf(response);
        expect(problem.errors?.length).toBeGreaterThan(0);
        expect(problem.detail).toMatch(/user_id/);
        const after = await api.send('a', 'GET', 'me/tasks');
        expect(after.headers.get('x-total-count')).toBe(total);
        const bList = await api.send('b', 'GET', 'me/tasks');
        expect(((await bList.json()) as TaskDto[]).some((t) => t.title === 'Sneaky')).toBe(false);
      });

      it('refuses a body that is not a JSON object with 422', async () => {
        for (const body of [[], 'title', null, 42]) {
          const response = await api.send('a', 'POST', 'me/tasks', { body });
          expect(response.status, JSON.stringify(body)).toBe(422);
          await problemOf(response);
        }
      });

      it('answers malformed JSON with 400', async () => {
        const response = await api.send('a', 'POST', 'me/tasks', {
          rawBody: '{"title": "unterminated',
          headers: { 'content-type': 'application/json' },
        });
        expect(response.status).toBe(400);
        await problemOf(response);
      });

      it('answers a body that is not application/json with 415', async () => {
        for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
          const response = await api.send('a', 'POST', 'me/tasks', {
            rawBody: '{"title":"x"}',
            headers: contentType ? { 'content-type': contentType } : {},
          });
          expect(response.status, String(contentType)).toBe(415);
          await problemOf(response);
        }
      });

      it('answers a body over 64 KB with 413 and creates nothing', async () => {
        const before = (await api.send('a', 'GET', 'me/tasks')).headers.get('x-total-count');
        const response = await api.send('a', 'POST', 'me/tasks', {
          rawBody: JSON.stringify({ title: 'big', description: 'x'.repeat(70 * 1024) }),
          headers: { 'content-type': 'application/json' },
        });
        expect(response.status).toBe(413);
        await problemOf(response);
        expect((await api.send('a', 'GET', 'me/tasks')).headers.get('x-total-count')).toBe(before);
      });
    });

    describe('GET /api/{user_id}/tasks', () => {
      let created: TaskDto[];

      beforeAll(async () => {
        // user b starts empty in this block's own namespace: use b for list assertions.
        created = [];
        for (const [index, title] of ['one', 'two', 'three', 'four', 'five'].entries()) {
          created.push(await create('b', { title, completed: index % 2 === 0 }));
        }
      });

      it('lists newest first with X-Total-Count, and no Link when everything fits', async () => {
        const response = await api.send('b', 'GET', 'me/tasks');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        const tasks = taskSchema.array().parse(await response.json());
        expect(tasks.map((t) => t.title)).toEqual(['five', 'four', 'three', 'two', 'one']);
        expect(response.headers.get('x-total-count')).toBe('5');
        expect(response.headers.get('link')).toBeNull();
      });

      it('filters by status, with the count of the filter', async () => {
        const pending = await api.send('b', 'GET', 'me/tasks?status=pending');
        expect(((await pending.json()) as TaskDto[]).map((t) => t.title)).toEqual(['four', 'two']);
        expect(pending.headers.get('x-total-count')).toBe('2');
        const completed = await api.send('b', 'GET', 'me/tasks?status=completed');
        expect(((await completed.json()) as TaskDto[]).map((t) => t.title)).toEqual(['five', 'three', 'one']);
        expect(completed.headers.get('x-total-count')).toBe('3');
        const all = await api.send('b', 'GET', 'me/tasks?status=all');
        expect(all.headers.get('x-total-count')).toBe('5');
      });

      it('pages with limit and an opaque cursor through Link rel="next"', async () => {
        const seen: string[] = [];
        let next: string | null = 'me/tasks?limit=2';
        let pages = 0;
        while (next) {
          const response = await api.send('b', 'GET', next);
          expect(response.status).toBe(200);
          expect(response.headers.get('x-total-count')).toBe('5');
          seen.push(...((await response.json()) as TaskDto[]).map((t) => t.title));
          const link = response.headers.get('link');
          const match = link ? /^<\/api\/(me\/tasks\?[^>]+)>; rel="next"$/.exec(link) : null;
          if (link) expect(match).not.toBeNull();
          next = match ? match[1]! : null;
          pages += 1;
        }
        expect(pages).toBe(3);
        expect(seen).toEqual(['five', 'four', 'three', 'two', 'one']);
      });

      it('keeps the status filter across pages', async () => {
        const first = await api.send('b', 'GET', 'me/tasks?status=completed&limit=2');
        expect(((await first.json()) as TaskDto[]).map((t) => t.title)).toEqual(['five', 'three']);
        const link = first.headers.get('link')!;
        expect(link).toMatch(/status=completed/);
        const second = await api.send('b', 'GET', /<\/api\/([^>]+)>/.exec(link)![1]!);
        expect(((await second.json()) as TaskDto[]).map((t) => t.title)).toEqual(['one']);
        expect(second.headers.get('link')).toBeNull();
      });

      it('refuses out-of-range limits, unknown statuses and forged cursors with 422', async () => {
        for (const query of ['limit=0', 'limit=201', 'limit=abc', 'limit=-1', 'limit=1.5', 'status=done', 'cursor=not-a-cursor', 'cursor=%00']) {
          const response = await api.send('b', 'GET', `me/tasks?${query}`);
          expect(response.status, query).toBe(422);
          const problem = await problemOf(response);
          expect(problem.errors?.length, query).toBeGreaterThan(0);
        }
      });

      it('accepts limit 1 and 200', async () => {
        expect(((await (await api.send('b', 'GET', 'me/tasks?limit=1')).json()) as TaskDto[]).length).toBe(1);
        expect(((await (await api.send('b', 'GET', 'me/tasks?limit=200')).json()) as TaskDto[]).length).toBe(5);
      });

      it('ignores a user_id query parameter', async () => {
        const response = await api.send('b', 'GET', `me/tasks?user_id=${api.userId('a')}`);
        const tasks = (await response.json()) as TaskDto[];
        expect(tasks.every((t) => t.user_id === api.userId('b'))).toBe(true);
        expect(response.headers.get('x-total-count')).toBe('5');
      });

      it('returns only the caller’s own tasks', async () => {
        const tasks = (await (await api.send('a', 'GET', 'me/tasks?limit=200')).json()) as TaskDto[];
        expect(tasks.length).toBeGreaterThan(0);
        expect(tasks.every((t) => t.user_id === api.userId('a'))).toBe(true);
        expect(tasks.some((t) => created.some((c) => c.id === t.id))).toBe(false);
      });
    });

    describe('GET, PUT, PATCH, DELETE /api/{user_id}/tasks/{id}', () => {
      it('PATCH changes only the fields sent and moves updated_at', async () => {
        const task = await create('a', { title: 'Draft', description: 'keep me' });
        const response = await api.send('a', 'PATCH', `me/tasks/${task.id}`, { body: { title: ' Final ' } });
        expect(response.status).toBe(200);
        const updated = (await response.json()) as TaskDto;
        expect(updated).toMatchObject({ id: task.id, title: 'Final', description: 'keep me', completed: false, created_at: task.created_at });
        expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(task.updated_at));
        expect(await fetchTask('a', task.id)).toEqual(updated);
      });

      it('PUT takes a subset too, and description can be cleared with null', async () => {
        const task = await create('a', { title: 'Put me', description: 'old' });
        const response = await api.send('a', 'PUT', `me/tasks/${task.id}`, { body: { description: null, completed: true } });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ title: 'Put me', description: null, completed: true });
      });

      it('refuses an empty update, unknown fields and server-owned fields with 422, changing nothing', async () => {
        const task = await create('a', { title: 'Stable' });
        for (const body of [{}, { done: true }, { title: 'x', user_id: api.userId('b') }, { id: 999 }, { created_at: '2000-01-01T00:00:00Z' }]) {
          for (const method of ['PATCH', 'PUT']) {
            const response = await api.send('a', method, `me/tasks/${task.id}`, { body });
            expect(response.status, `${method} ${JSON.stringify(body)}`).toBe(422);
            await problemOf(response);
          }
        }
        expect(await fetchTask('a', task.id)).toEqual(task);
      });

      it('DELETE answers 204 with no body, then the task is gone', async () => {
        const task = await create('a', { title: 'Delete me' });
        const response = await api.send('a', 'DELETE', `me/tasks/${task.id}`);
        expect(response.status).toBe(204);
        expect(await response.text()).toBe('');
        expect((await api.send('a', 'GET', `me/tasks/${task.id}`)).status).toBe(404);
        expect((await api.send('a', 'DELETE', `me/tasks/${task.id}`)).status).toBe(404);
      });

      it('answers 404, the same way, for unknown, non-integer and other users’ ids', async () => {
        const theirs = await create('b', { title: 'B private' });
        const bodies: string[] = [];
        for (const id of ['999999999', 'abc', '1.5', '-1', '0', '99999999999999999999999', String(theirs.id)]) {
          for (const [method, path, body] of [
            ['GET', `me/tasks/${id}`, undefined],
            ['PATCH', `me/tasks/${id}`, { title: 'hijack' }],
            ['PUT', `me/tasks/${id}`, { completed: true }],
            ['DELETE', `me/tasks/${id}`, undefined],
            ['PATCH', `me/tasks/${id}/complete`, undefined],
          ] as const) {
            const response = await api.send('a', method, path, body === undefined ? {} : { body });
            expect(response.status, `${method} ${path}`).toBe(404);
            bodies.push(JSON.stringify(await problemOf(response)));
          }
        }
        expect(new Set(bodies).size).toBe(1);
        expect(await fetchTask('b', theirs.id)).toEqual(theirs);
      });
    });

    describe('PATCH /api/{user_id}/tasks/{id}/complete', () => {
      it('toggles with no body and sets with {"completed": bool}', async () => {
        const task = await create('a', { title: 'Toggle me' });
        const toggled = await api.send('a', 'PATCH', `me/tasks/${task.id}/complete`);
        expect(toggled.status).toBe(200);
        expect(await toggled.json()).toMatchObject({ id: task.id, completed: true });
        expect(await (await api.send('a', 'PATCH', `me/tasks/${task.id}/complete`)).json()).toMatchObject({ completed: false });
        for (const completed of [true, true, false]) {
          const response = await api.send('a', 'PATCH', `me/tasks/${task.id}/complete`, { body: { completed } });
          expect(response.status).toBe(200);
          expect(await response.json()).toMatchObject({ completed });
        }
      });

      it('toggles when the client sends an empty body, as curl -X PATCH does', async () => {
        const task = await create('a', { title: 'Empty body' });
        const response = await api.send('a', 'PATCH', `me/tasks/${task.id}/complete`, { rawBody: new Uint8Array(0) });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ completed: true });
      });

      it('refuses a non-JSON body with 415 and malformed JSON with 400', async () => {
        const task = await create('a', { title: 'Typed body' });
        const plain = await api.send('a', 'PATCH', `me/tasks/${task.id}/complete`, { rawBody: 'completed=true', headers: { 'content-type': 'text/plain' } });
        expect(plain.status).toBe(415);
        const malformed = await api.send('a', 'PATCH', `me/tasks/${task.id}/complete`, { rawBody: '{"completed":', headers: { 'content-type': 'application/json' } });
        expect(malformed.status).toBe(400);
        expect((await fetchTask('a', task.id)).completed).toBe(false);
      });

      it('refuses a body that is not {"completed": bool} with 422', async () => {
        const task = await create('a', { title: 'Strict' });
        for (const body of [{ completed: 'yes' }, { completed: true, title: 'x' }, {}]) {
          const response = await api.send('a', 'PATCH', `me/tasks/${task.id}/complete`, { body });
          expect(response.status, JSON.stringify(body)).toBe(422);
          await problemOf(response);
        }
        expect((await fetchTask('a', task.id)).completed).toBe(false);
      });
    });

    describe('authentication and identity', () => {
      it('answers 401 with WWW-Authenticate: Bearer when there is no Bearer token', async () => {
        for (const headers of [{} as Record<string, string>, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }]) {
          const response = await api.send('anonymous', 'GET', 'me/tasks', { headers });
          expect(response.status, JSON.stringify(headers)).toBe(401);
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
          await problemOf(response);
        }
      });

      it('answers 401 with error="invalid_token" for a token that is not valid', async () => {
        for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'x'.repeat(9000)]) {
          const response = await api.send('anonymous', 'POST', 'me/tasks', {
            body: { title: 'never stored' },
            headers: { authorization: `Bearer ${token}` },
          });
          expect(response.status, token.slice(0, 20)).toBe(401);
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
          await problemOf(response);
        }
      });

      it('answers 403 "Access denied: user identity mismatch" for another user’s path, on every endpoint', async () => {
        const mine = await create('a', { title: 'Mine' });
        const other = api.userId('b');
        for (const [method, path, body] of [
          ['GET', `${other}/tasks`, undefined],
          ['POST', `${other}/tasks`, { title: 'planted' }],
          ['GET', `${other}/tasks/${mine.id}`, undefined],
          ['PUT', `${other}/tasks/${mine.id}`, { title: 'x' }],
          ['PATCH', `${other}/tasks/${mine.id}`, { title: 'x' }],
          ['DELETE', `${other}/tasks/${mine.id}`, undefined],
          ['PATCH', `${other}/tasks/${mine.id}/complete`, undefined],
        ] as const) {
          const response = await api.send('a', method, path, body === undefined ? {} : { body });
          expect(response.status, `${method} ${path}`).toBe(403);
          expect((await problemOf(response)).detail).toBe('Access denied: user identity mismatch');
        }
        expect(await fetchTask('a', mine.id)).toEqual(mine);
      });
    });

    describeOrganiseContract(() => api);
    describeRecurringContract(() => api);
    describeConditionalContract(() => api);
    describeDataContract(() => api);
  });
}
