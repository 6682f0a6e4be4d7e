import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { HTTP_METHODS, TASK_ROUTES, type Method, type TaskRouteName } from '@/server/http/task-routes';
import { signUp, tokenFor, type TestUser } from '@/test/app';
import { api, failOnUnhandledErrors, createTask, expectProblem, NOT_FOUND_PROBLEM, proxyAs, snapshot, type ListSnapshot } from './attack-helpers';

// OWASP API1:2023 (broken object level authorisation) and API3:2023 (mass assignment): user A
// (Mallory) against user B (Victor)'s objects, on every endpoint and method of the route table.

failOnUnhandledErrors();

interface Endpoint {
  /** The route's name in the table: the collection, an item, or an item action. */
  shape: TaskRouteName;
  path: (user: string, taskId: number) => string;
  methods: readonly Method[];
}

/** Every endpoint and method of the task API's route table (what the route files and the proxy serve). */
function routeTable(): Endpoint[] {
  return (Object.entries(TASK_ROUTES) as [TaskRouteName, (typeof TASK_ROUTES)[TaskRouteName]][]).map(([shape, route]) => ({
    shape,
    path: (user, taskId) => [user, ...route.segments.map((segment) => (segment === ':taskId' ? String(taskId) : segment))].join('/'),
    methods: route.methods,
  }));
}

/** Route files under src/app/api/[userId]/tasks: a new one must be added to the walk above. */
function routeFilesOnDisk(): string[] {
  const root = path.join(process.cwd(), 'src/app/api/[userId]/tasks');
  return (readdirSync(root, { recursive: true }) as string[]).filter((file) => path.basename(file) === 'route.ts').sort();
}

/** Bodies that would change B's task if they reached it. */
function attackBodies(shape: Endpoint['shape'], method: string): (Record<string, unknown> | undefined)[] {
  if (method === 'GET' || method === 'DELETE') return [undefined];
  if (shape === 'tasks') return [{ title: 'planted in B’s list by A' }];
  if (shape === 'complete') return [undefined, { completed: true }, { completed: false }];
  return [{ title: 'pwned by A', description: 'A was here', completed: true }];
}

let mallory: TestUser;
let victor: TestUser;
let malloryToken: string;
let victorToken: string;
let victorTasks: TaskDto[];
let malloryTask: TaskDto;

beforeAll(async () => {
  mallory = await signUp('Mallory');
  victor = await signUp('Victor');
  malloryToken = await tokenFor(mallory);
  victorToken = await tokenFor(victor);
  malloryTask = await createTask(malloryToken, { title: 'mallory: own task' });
  victorTasks = [
    await createTask(victorToken, { title: 'victor: pending secret', description: 'for victor’s eyes only' }),
    await createTask(victorToken, { title: 'victor: completed secret', completed: true }),
  ];
});

function expectNoVictorData(snapshotOfMallory: ListSnapshot) {
  const victorIds = new Set(victorTasks.map((task) => task.id));
  for (const task of snapshotOfMallory.tasks) {
    expect(task.user_id).toBe(mallory.id);
    expect(victorIds.has(task.id)).toBe(false);
  }
  expect(snapshotOfMallory.body).not.toContain(victor.id);
  expect(snapshotOfMallory.body).not.toContain('victor:');
}

describe('BOLA walker (API1:2023)', () => {
  it('Route table: the walk covers every task API route file and the seven operations (list, create, get, put, patch, delete, complete)', async () => {
    const table = routeTable();
    expect(routeFilesOnDisk()).toHaveLength(table.length);
    const operations = table.flatMap(({ shape, methods }) => methods.map((method) => `${method} ${shape}`)).sort();
    expect(operations).toEqual(['GET tasks', 'POST tasks', 'GET task', 'PUT task', 'PATCH task', 'DELETE task', 'PATCH complete'].sort());
  });

  it('Route table: the route files serve exactly the table’s methods, and answer 405 with its Allow for the others', async () => {
    for (const { shape, path, methods } of routeTable()) {
      for (const method of HTTP_METHODS) {
        // On the caller's own resource, with no side effect: a nonexistent id, an invalid `{}` body.
        const probe = await api(method, path('me', 2 ** 52), { token: malloryToken, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
        if (methods.includes(method)) {
          expect(probe.status, `${method} ${shape}`).not.toBe(405);
        } else {
          await expectProblem(probe, 405, `${method} ${shape}`);
          expect(probe.headers.get('allow'), `${method} ${shape}`).toBe(methods.join(', '));
        }
      }
    }
  });

  it('BOLA direct: A’s token with B’s user id in the path, on every endpoint and method, with B’s task ids → 403 identity mismatch; B’s tasks byte-for-byte unchanged', async () => {
    const before = await snapshot(victorToken);
    let attempts = 0;
    for (const { shape, path, methods } of routeTable()) {
      for (const method of methods) {
        for (const target of victorTasks) {
          for (const body of attackBodies(shape, method)) {
            const what = `${method} ${path('{B}', target.id)} ${JSON.stringify(body)}`;
            const response = await api(method, path(victor.id, target.id), { token: malloryToken, body });
            const problem = await expectProblem(response, 403, what);
            expect(problem.detail, what).toBe('Access denied: user identity mismatch');
            attempts++;
          }
        }
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(7 * victorTasks.length);
    expect(await snapshot(victorToken)).toEqual(before);
    expectNoVictorData(await snapshot(malloryToken));
  });

  it('BOLA direct: A’s token with `me` (and with A’s own id) and B’s task ids, on every item endpoint and method → 404 identical to an unknown id; B unchanged', async () => {
    const before = await snapshot(victorToken);
    let attempts = 0;
    for (const { shape, path, methods } of routeTable()) {
      if (shape === 'tasks') continue; // no task id in the path: covered by the list check below
      for (const method of methods) {
        for (const body of attackBodies(shape, method)) {
          const unknown = await api(method, path('me', 2 ** 52), { token: malloryToken, body });
          const unknownText = await unknown.clone().text();
          await expectProblem(unknown, 404, `${method} unknown id`);
          for (const user of ['me', mallory.id]) {
            for (const target of victorTasks) {
              const what = `${method} ${path(user === 'me' ? 'me' : '{A}', target.id)} ${JSON.stringify(body)}`;
              const response = await api(method, path(user, target.id), { token: malloryToken, body });
              const text = await response.clone().text();
              expect(await expectProblem(response, 404, what)).toEqual(NOT_FOUND_PROBLEM);
              // No oracle: B's task answers exactly as a task that does not exist.
              expect(text, what).toBe(unknownText);
              attempts++;
            }
          }
        }
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(5 * 2 * victorTasks.length);
    expect(await snapshot(victorToken)).toEqual(before);
    expectNoVictorData(await snapshot(malloryToken));
  });

  it('BOLA through the proxy: A’s cookie with B’s user id (→ 403) and with me / A’s id + B’s task ids (→ 404), every endpoint and method; B unchanged', async () => {
    const before = await snapshot(victorToken);
    let attempts = 0;
    for (const { shape, path, methods } of routeTable()) {
      for (const method of methods) {
        for (const body of attackBodies(shape, method)) {
          for (const target of victorTasks) {
            const foreign = await proxyAs(mallory.cookie, method, path(victor.id, target.id), { body });
            const what = `proxy ${method} ${path('{B}', target.id)} ${JSON.stringify(body)}`;
            expect((await expectProblem(foreign, 403, what)).detail).toBe('Access denied: user identity mismatch');
            attempts++;
            if (shape === 'tasks') continue;
            for (const user of ['me', mallory.id]) {
              const response = await proxyAs(mallory.cookie, method, path(user, target.id), { body });
              expect(await expectProblem(response, 404, `proxy ${method} ${path(user === 'me' ? 'me' : '{A}', target.id)}`)).toEqual(NOT_FOUND_PROBLEM);
              attempts++;
            }
          }
        }
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(7 * victorTasks.length);
    expect(await snapshot(victorToken)).toEqual(before);
    expectNoVictorData(await snapshot(malloryToken));
  });

  it('BOLA control: the same walk with A’s own task succeeds (the refusals above are the ownership check)', async () => {
    const own = await createTask(malloryToken, { title: 'mallory: walk control' });
    const operations = (routeTable()).flatMap(({ shape, path, methods }) => methods.map((method) => ({ shape, path, method })));
    // DELETE last, so the task is there for every other operation.
    operations.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    for (const { shape, path, method } of operations) {
      const body = attackBodies(shape, method)[0];
      const response = await api(method, path('me', own.id), { token: malloryToken, body });
      expect(response.status, `${method} ${shape}`).toBe(method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200);
    }
  });

  it('BOLA: A’s list, directly and through the proxy, never contains B’s tasks', async () => {
    expectNoVictorData(await snapshot(malloryToken));
    const viaProxy = await proxyAs(mallory.cookie, 'GET', 'me/tasks?limit=200&status=all');
    const text = await viaProxy.text();
    expect(viaProxy.status).toBe(200);
    expect(text).not.toContain(victor.id);
    expect(text).not.toContain('victor:');
    for (const status of ['pending', 'completed']) {
      const response = await api('GET', `me/tasks?status=${status}`, { token: malloryToken });
      expect(taskSchema.array().parse(await response.json()).every((task) => task.user_id === mallory.id)).toBe(true);
    }
  });
});

describe('Mass assignment (API3:2023)', () => {
  const forged = () => ({
    user_id: victor.id,
    userId: victor.id,
    id: victorTasks[0]!.id,
    created_at: '2000-01-01T00:00:00.000Z',
    updated_at: '2000-01-01T00:00:00.000Z',
    createdAt: '2000-01-01T00:00:00.000Z',
    constructor: { name: 'x' },
  });

  /** JSON texts with one server-owned or prototype field beside valid ones; `__proto__` only survives as raw JSON. */
  function bodies(valid: Record<string, unknown>): [string, string][] {
    const cases: [string, string][] = Object.entries(forged()).map(([field, value]) => [field, JSON.stringify({ ...valid, [field]: value })]);
    cases.push(['__proto__', `${JSON.stringify(valid).slice(0, -1)},"__proto__":{"user_id":"${victor.id}","title":"polluted"}}`]);
    return cases;
  }

  const targets = () =>
    [
      ['POST', 'me/tasks', { title: 'mass assignment' }],
      ['PUT', `me/tasks/${malloryTask.id}`, { title: 'mass assignment' }],
      ['PATCH', `me/tasks/${malloryTask.id}`, { completed: true }],
      ['PATCH', `me/tasks/${malloryTask.id}/complete`, { completed: true }],
    ] as const;

  for (const via of ['direct', 'proxy'] as const) {
    it(`Mass assignment (${via}): user_id, userId, id, created_at, updated_at, createdAt, constructor, __proto__ in POST/PUT/PATCH/complete bodies → 422 naming the field; nothing created or changed`, async () => {
      const malloryBefore = await snapshot(malloryToken);
      const victorBefore = await snapshot(victorToken);
      for (const [method, path, valid] of targets()) {
        for (const [field, rawBody] of bodies(valid)) {
          const options = { rawBody, headers: { 'content-type': 'application/json' } };
          const response = via === 'direct' ? await api(method, path, { token: malloryToken, ...options }) : await proxyAs(mallory.cookie, method, path, options);
          const problem = await expectProblem(response, 422, `${method} ${path} ${field}`);
          expect(problem.errors?.some((error) => error.message.includes(field)), `${field}: ${JSON.stringify(problem.errors)}`).toBe(true);
          expect(problem.detail).toContain(field);
        }
      }
      expect(await snapshot(malloryToken)).toEqual(malloryBefore);
      expect(await snapshot(victorToken)).toEqual(victorBefore);
      // The parsed `__proto__` bodies polluted nothing.
      expect((({}) as Record<string, unknown>).user_id).toBeUndefined();
      expect((({}) as Record<string, unknown>).title).toBeUndefined();
    });
  }

  it('Mass assignment control: the same bodies without the forged field are accepted (the 422s are the field check)', async () => {
    for (const [method, path, valid] of targets()) {
      const response = await api(method, path, { token: malloryToken, body: valid });
      expect(response.status, `${method} ${path}`).toBe(method === 'POST' ? 201 : 200);
      expect(taskSchema.parse(await response.json()).user_id).toBe(mallory.id);
    }
  });

  for (const via of ['direct', 'proxy'] as const) {
    it(`Parameter pollution (${via}): ?user_id=<B>&userId=<B>&user=<B> on list and create is ignored: A’s data only, nothing for B`, async () => {
      const victorBefore = await snapshot(victorToken);
      const query = `user_id=${victor.id}&userId=${victor.id}&user=${victor.id}&owner=${victor.id}`;
      const send = (method: string, path: string, body?: unknown) =>
        via === 'direct' ? api(method, path, { token: malloryToken, body }) : proxyAs(mallory.cookie, method, path, { body });

      const mine = await snapshot(malloryToken);
      const list = await send('GET', `me/tasks?${query}&limit=200`);
      expect(list.status).toBe(200);
      expect(list.headers.get('x-total-count')).toBe(mine.total);
      const text = await list.text();
      expect(text).not.toContain('victor:');
      expect(taskSchema.array().parse(JSON.parse(text)).every((task) => task.user_id === mallory.id)).toBe(true);

      const created = await send('POST', `me/tasks?${query}`, { title: `planted via ?user_id (${via})` });
      expect(created.status).toBe(201);
      expect(taskSchema.parse(await created.json()).user_id).toBe(mallory.id);
      expect(await snapshot(victorToken)).toEqual(victorBefore);
    });
  }
});
