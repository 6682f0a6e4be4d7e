import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listSchema } from '@/lib/api/list-schemas';
import { taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { HTTP_METHODS, TASK_ROUTES, type Method, type TaskRouteName } from '@/server/http/task-routes';
import { signUp, tokenFor, type TestUser } from '@/test/app';
import { api, failOnUnhandledErrors, createTask, expectProblem, NOT_FOUND_PROBLEM, proxyAs, snapshot, type ListSnapshot } from './attack-helpers';

// OWASP API1:2023 (broken object level authorisation) and API3:2023 (mass assignment): user A
// (Mallory) against user B (Victor)'s objects, on every endpoint and method of the route table.

failOnUnhandledErrors();

/** The objects a path can name, by the route's parameter. */
interface Objects {
  taskId: number;
  listId: number;
  tagName: string;
}

interface Endpoint {
  /** The route's name in the table. */
  shape: TaskRouteName;
  /** Whether the path names one object (a task, a list, a tag) rather than a collection. */
  item: boolean;
  path: (user: string, objects: Objects) => string;
  methods: readonly Method[];
}

/** Every endpoint and method of the task API's route table (what the route files and the proxy serve). */
function routeTable(): Endpoint[] {
  return (Object.entries(TASK_ROUTES) as [TaskRouteName, (typeof TASK_ROUTES)[TaskRouteName]][]).map(([shape, route]) => ({
    shape,
    item: route.segments.some((segment: string) => segment.startsWith(':')),
    path: (user, objects) =>
      [
        user,
        ...route.segments.map((segment: string) =>
          segment === ':taskId' ? String(objects.taskId) : segment === ':listId' ? String(objects.listId) : segment === ':tagName' ? encodeURIComponent(objects.tagName) : segment,
        ),
      ].join('/'),
    methods: route.methods,
  }));
}

/** Route files under src/app/api/[userId]: a new one must be added to the walk above. */
function routeFilesOnDisk(): string[] {
  const root = path.join(process.cwd(), 'src/app/api/[userId]');
  return (readdirSync(root, { recursive: true }) as string[]).filter((file) => path.basename(file) === 'route.ts').sort();
}

let mallory: TestUser;
let victor: TestUser;
let malloryToken: string;
let victorToken: string;
let victorTasks: TaskDto[];
let malloryTask: TaskDto;
/** Victor's objects: what every attack aims at. */
let victorObjects: Objects;
/** Mallory's own, for the control walk and for bodies that point into Victor's data. */
let malloryObjects: Objects;

async function createList(token: string, name: string): Promise<number> {
  const response = await api('POST', 'me/lists', { token, body: { name } });
  expect(response.status).toBe(201);
  return listSchema.parse(await response.json()).id;
}

beforeAll(async () => {
  mallory = await signUp('Mallory');
  victor = await signUp('Victor');
  malloryToken = await tokenFor(mallory);
  victorToken = await tokenFor(victor);
  const victorList = await createList(victorToken, 'victor: private list');
  const malloryList = await createList(malloryToken, 'mallory: own list');
  malloryTask = await createTask(malloryToken, { title: 'mallory: own task', tags: ['mallory-tag'], list_id: malloryList });
  victorTasks = [
    await createTask(victorToken, { title: 'victor: pending secret', description: 'for victor’s eyes only', tags: ['victor-tag'], list_id: victorList }),
    await createTask(victorToken, { title: 'victor: completed secret', completed: true, tags: ['victor-tag', 'victor/other tag'] }),
  ];
  victorObjects = { taskId: victorTasks[0]!.id, listId: victorList, tagName: 'victor-tag' };
  malloryObjects = { taskId: malloryTask.id, listId: malloryList, tagName: 'mallory-tag' };
});

function expectNoVictorData(snapshotOfMallory: ListSnapshot) {
  const victorIds = new Set(victorTasks.map((task) => task.id));
  for (const task of snapshotOfMallory.tasks) {
    expect(task.user_id).toBe(mallory.id);
    expect(victorIds.has(task.id)).toBe(false);
  }
  for (const body of [snapshotOfMallory.body, snapshotOfMallory.lists, snapshotOfMallory.tags]) {
    expect(body).not.toContain(victor.id);
    expect(body).not.toContain('victor');
  }
}

/**
 * Bodies that would change or expose Victor's objects if they reached them: on an item, the
 * change itself; on a collection, references to Victor's ids (his list in a task, his task ids in
 * a bulk change, his list in a bulk filter).
 */
function attackBodies(shape: TaskRouteName, method: string): (Record<string, unknown> | undefined)[] {
  if (method === 'GET' || method === 'DELETE') return [undefined];
  const victorIds = victorTasks.map((task) => task.id);
  switch (shape) {
    case 'tasks':
      return [{ title: 'planted in B’s list by A' }, { title: 'planted into B’s list', list_id: victorObjects.listId }];
    case 'complete':
      return [undefined, { completed: true }, { completed: false }];
    case 'bulk':
      return [
        { ids: victorIds, action: 'delete' },
        { ids: victorIds, action: 'complete' },
        { ids: victorIds, action: 'add_tag', tag: 'pwned' },
        { ids: victorIds, action: 'remove_tag', tag: 'victor-tag' },
        { filter: { list: victorObjects.listId }, action: 'delete' },
        { ids: [malloryObjects.taskId], action: 'move', list_id: victorObjects.listId },
      ];
    case 'lists':
      return [{ name: 'planted list' }];
    case 'list':
      return [{ name: 'pwned list', color: '#000000', position: 0 }];
    case 'tag':
      return [{ name: 'pwned-tag' }];
    case 'notificationsRead':
      return [{ all: true }, { ids: [1, 2, 3] }];
    case 'calendarFeed':
      return [undefined];
    case 'importData':
      // Tasks into B's account, and into B's list (a file's list_id is the file's own, never a database id).
      return [
        { tasks: [{ title: 'planted by A via import' }] },
        { lists: [{ id: victorObjects.listId, name: 'victor: private list' }], tasks: [{ title: 'planted into B’s list', list_id: victorObjects.listId }] },
      ];
    default:
      return [{ title: 'pwned by A', description: 'A was here', completed: true, list_id: victorObjects.listId, tags: ['pwned'] }];
  }
}

/** Queries of the list that name Victor's objects: refused or empty, never his data. */
const attackQueries = () => [`list=${victorObjects.listId}`, `tag=${victorObjects.tagName}`, 'q=victor', 'q=secret'];

describe('BOLA walker (API1:2023)', () => {
  it('Route table: the walk covers every route file and every operation', async () => {
    const table = routeTable();
    expect(routeFilesOnDisk()).toHaveLength(table.length);
    const operations = table.flatMap(({ shape, methods }) => methods.map((method) => `${method} ${shape}`)).sort();
    expect(operations).toEqual(
      [
        'GET tasks',
        'POST tasks',
        'POST bulk',
        'GET task',
        'PUT task',
        'PATCH task',
        'DELETE task',
        'PATCH complete',
        'GET lists',
        'POST lists',
        'PATCH list',
        'DELETE list',
        'GET tags',
        'PATCH tag',
        'DELETE tag',
        'GET notifications',
        'POST notificationsRead',
        'POST calendarFeed',
        'DELETE calendarFeed',
        'GET exportData',
        'POST importData',
      ].sort(),
    );
  });

  it('Route table: the route files serve exactly the table’s methods, and answer 405 with its Allow for the others', async () => {
    const nowhere = { taskId: 2 ** 52, listId: 2 ** 52, tagName: 'no-such-tag' };
    for (const { shape, path, methods } of routeTable()) {
      for (const method of HTTP_METHODS) {
        // On the caller's own resources, with no side effect: nonexistent ids, an invalid `{}` body.
        const probe = await api(method, path('me', nowhere), { token: malloryToken, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
        if (methods.includes(method)) {
          expect(probe.status, `${method} ${shape}`).not.toBe(405);
        } else {
          await expectProblem(probe, 405, `${method} ${shape}`);
          expect(probe.headers.get('allow'), `${method} ${shape}`).toBe(methods.join(', '));
        }
      }
    }
  });

  it('BOLA direct: A’s token with B’s user id in the path, on every endpoint and method, with B’s object ids → 403 identity mismatch; B’s data byte-for-byte unchanged', async () => {
    const before = await snapshot(victorToken);
    let attempts = 0;
    for (const { shape, path, methods } of routeTable()) {
      for (const method of methods) {
        for (const body of attackBodies(shape, method)) {
          const what = `${method} ${path('{B}', victorObjects)} ${JSON.stringify(body)}`;
          const response = await api(method, path(victor.id, victorObjects), { token: malloryToken, body });
          const problem = await expectProblem(response, 403, what);
          expect(problem.detail, what).toBe('Access denied: user identity mismatch');
          attempts++;
        }
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(15);
    expect(await snapshot(victorToken)).toEqual(before);
    expectNoVictorData(await snapshot(malloryToken));
  });

  it('BOLA direct: A’s token with `me` (and with A’s own id) and B’s task, list and tag, on every item endpoint and method → 404 identical to an unknown one; B unchanged', async () => {
    const before = await snapshot(victorToken);
    const unknownObjects = { taskId: 2 ** 52, listId: 2 ** 52, tagName: 'no-such-tag' };
    let attempts = 0;
    for (const { shape, item, path, methods } of routeTable()) {
      if (!item) continue; // no object in the path: the collections are walked below
      for (const method of methods) {
        for (const body of attackBodies(shape, method)) {
          const unknown = await api(method, path('me', unknownObjects), { token: malloryToken, body });
          const unknownText = await unknown.clone().text();
          await expectProblem(unknown, 404, `${method} ${shape} unknown`);
          for (const user of ['me', mallory.id]) {
            const targets = shape === 'task' || shape === 'complete' ? victorTasks.map((task) => ({ ...victorObjects, taskId: task.id })) : [victorObjects];
            for (const objects of targets) {
              const what = `${method} ${path(user === 'me' ? 'me' : '{A}', objects)} ${JSON.stringify(body)}`;
              const response = await api(method, path(user, objects), { token: malloryToken, body });
              const text = await response.clone().text();
              expect(await expectProblem(response, 404, what)).toEqual(NOT_FOUND_PROBLEM);
              // No oracle: B's object answers exactly as one that does not exist.
              expect(text, what).toBe(unknownText);
              attempts++;
            }
          }
        }
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(20);
    expect(await snapshot(victorToken)).toEqual(before);
    expectNoVictorData(await snapshot(malloryToken));
  });

  it('BOLA direct: B’s list, task ids and tag inside A’s own requests (bodies, bulk ids, filters, queries) → the same answer as unknown ones; B unchanged', async () => {
    const before = await snapshot(victorToken);
    const unknownList = 2 ** 52;
    for (const [method, path, victims, unknowns] of [
      ['POST', 'me/tasks', { title: 'x', list_id: victorObjects.listId }, { title: 'x', list_id: unknownList }],
      ['PATCH', `me/tasks/${malloryTask.id}`, { list_id: victorObjects.listId }, { list_id: unknownList }],
      ['POST', 'me/tasks/bulk', { ids: [malloryTask.id], action: 'move', list_id: victorObjects.listId }, { ids: [malloryTask.id], action: 'move', list_id: unknownList }],
      ['POST', 'me/tasks/bulk', { filter: { list: victorObjects.listId }, action: 'delete' }, { filter: { list: unknownList }, action: 'delete' }],
    ] as const) {
      const victim = await api(method, path, { token: malloryToken, body: victims });
      const unknown = await api(method, path, { token: malloryToken, body: unknowns });
      expect(victim.status, path).toBe(422);
      expect(await victim.text(), path).toBe(await unknown.text());
    }
    const victimList = await api('GET', `me/tasks?list=${victorObjects.listId}`, { token: malloryToken });
    const unknownListQuery = await api('GET', `me/tasks?list=${unknownList}`, { token: malloryToken });
    expect(victimList.status).toBe(422);
    expect(await victimList.text()).toBe(await unknownListQuery.text());
    for (const action of [{ action: 'delete' }, { action: 'complete' }, { action: 'add_tag', tag: 'pwned' }, { action: 'remove_tag', tag: 'victor-tag' }, { action: 'set_priority', priority: 'high' }]) {
      const response = await api('POST', 'me/tasks/bulk', { token: malloryToken, body: { ids: victorTasks.map((task) => task.id), ...action } });
      expect(response.status, action.action).toBe(200);
      expect(await response.json(), action.action).toEqual({ affected: 0 });
    }
    for (const query of attackQueries().slice(1)) {
      const response = await api('GET', `me/tasks?${query}`, { token: malloryToken });
      expect(response.status, query).toBe(200);
      expect(await response.json(), query).toEqual([]);
      expect(response.headers.get('x-total-count'), query).toBe('0');
    }
    expect(await snapshot(victorToken)).toEqual(before);
    expectNoVictorData(await snapshot(malloryToken));
  });

  it('BOLA through the proxy: A’s cookie with B’s user id (→ 403) and with me / A’s id + B’s objects (→ 404 or the unknown answer), every endpoint and method; B unchanged', async () => {
    const before = await snapshot(victorToken);
    let attempts = 0;
    for (const { shape, item, path, methods } of routeTable()) {
      for (const method of methods) {
        for (const body of attackBodies(shape, method)) {
          const foreign = await proxyAs(mallory.cookie, method, path(victor.id, victorObjects), { body });
          const what = `proxy ${method} ${path('{B}', victorObjects)} ${JSON.stringify(body)}`;
          expect((await expectProblem(foreign, 403, what)).detail).toBe('Access denied: user identity mismatch');
          attempts++;
          if (!item) continue;
          for (const user of ['me', mallory.id]) {
            const response = await proxyAs(mallory.cookie, method, path(user, victorObjects), { body });
            expect(await expectProblem(response, 404, `proxy ${method} ${path(user === 'me' ? 'me' : '{A}', victorObjects)}`)).toEqual(NOT_FOUND_PROBLEM);
            attempts++;
          }
        }
      }
    }
    for (const query of attackQueries()) {
      const response = await proxyAs(mallory.cookie, 'GET', `me/tasks?${query}`);
      expect([200, 422], query).toContain(response.status);
      expect(await response.text(), query).not.toContain('victor');
    }
    expect(attempts).toBeGreaterThanOrEqual(30);
    expect(await snapshot(victorToken)).toEqual(before);
    expectNoVictorData(await snapshot(malloryToken));
  });

  it('BOLA control: the same walk with A’s own objects succeeds (the refusals above are the ownership check)', async () => {
    const listId = await createList(malloryToken, 'mallory: walk control list');
    const task = await createTask(malloryToken, { title: 'mallory: walk control', tags: ['walk-control'], list_id: listId });
    const objects: Objects = { taskId: task.id, listId, tagName: 'walk-control' };
    const operations = routeTable().flatMap(({ shape, path, methods }) => methods.map((method) => ({ shape, path, method })));
    // Deletes last, so every object is there for the other operations.
    operations.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    const own: Record<TaskRouteName, Record<string, unknown> | undefined> = {
      tasks: { title: 'mallory: another' },
      task: { title: 'mallory: renamed' },
      complete: undefined,
      bulk: { ids: [objects.taskId], action: 'set_priority', priority: 'low' },
      lists: { name: 'mallory: second list' },
      list: { name: 'mallory: renamed list' },
      tags: undefined,
      tag: { name: 'walk-control' },
      notifications: undefined,
      notificationsRead: { all: true },
      calendarFeed: undefined,
      exportData: undefined,
      importData: { tasks: [{ title: 'mallory: imported' }] },
    };
    for (const { shape, path, method } of operations) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : own[shape];
      const response = await api(method, path('me', objects), { token: malloryToken, body });
      const created = method === 'POST' && shape !== 'bulk' && shape !== 'notificationsRead' && shape !== 'importData';
      expect(response.status, `${method} ${shape}`).toBe(created ? 201 : method === 'DELETE' || shape === 'notificationsRead' ? 204 : 200);
    }
  });

  it('BOLA: A’s list, lists and tags, directly and through the proxy, never contain B’s', async () => {
    expectNoVictorData(await snapshot(malloryToken));
    for (const path of ['me/tasks?limit=200&status=all', 'me/lists', 'me/tags', 'me/export?format=json', 'me/export?format=csv']) {
      const direct = await api('GET', path, { token: malloryToken });
      expect(direct.status, path).toBe(200);
      expect(await direct.text(), path).not.toContain('victor');
      const viaProxy = await proxyAs(mallory.cookie, 'GET', path);
      const text = await viaProxy.text();
      expect(viaProxy.status, path).toBe(200);
      expect(text, path).not.toContain(victor.id);
      expect(text, path).not.toContain('victor');
    }
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
