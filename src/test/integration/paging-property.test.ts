import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { DUE_FILTERS, PRIORITIES, TASK_SORTS } from '@/lib/api/limits';
import { compareTasks, taskMatches } from '@/lib/api/task-order';
import { parseListQuery, taskSchema, type TaskDto } from '@/lib/api/task-schemas';
import { addDays, zonedNow } from '@/lib/dates';
import { getDb } from '@/server/db/client';
import { resetTaskApiQuota } from '@/server/http/rate-limit';
import { callApi, signUp, tokenFor } from '@/test/app';

// For random tasks and random filters and sorts, walking the Links of GET /tasks returns exactly
// the matching tasks, each once, in the order the contract states. The oracle is lib/api/task-order.ts
// (JavaScript), the answer is PostgreSQL's: two implementations held to each other, on PGlite and,
// with `npm run test:pg`, on a PostgreSQL server.

let userId: string;
let token: string;
let listIds: number[];
const TAGS = ['home', 'Work', 'errands'];

beforeAll(async () => {
  const user = await signUp('Pager');
  userId = user.id;
  token = await tokenFor(user);
  listIds = [];
  for (const name of ['one', 'two']) {
    const response = await callApi('POST', 'me/lists', { token, body: { name } });
    listIds.push(((await response.json()) as { id: number }).id);
  }
});

const today = zonedNow('UTC').date;

const taskArbitrary = fc.record({
  // Few letters, mixed case and an accent: many equal titles, so the id tiebreak is exercised.
  title: fc.string({ unit: fc.constantFrom('a', 'B', 'b', 'é'), maxLength: 2 }).map((title) => `t${title}`),
  description: fc.option(fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' '), maxLength: 4 }), { nil: null }),
  completed: fc.boolean(),
  priority: fc.constantFrom(...PRIORITIES),
  list: fc.constantFrom(null, 0, 1),
  dueOffset: fc.option(fc.integer({ min: -3, max: 9 }), { nil: null }),
  dueTime: fc.option(fc.constantFrom('00:00', '09:30', '18:00', '23:59'), { nil: null }),
  tags: fc.subarray(TAGS),
});

const filterValues = {
    status: fc.constantFrom('all', 'pending', 'completed'),
    q: fc.constantFrom('a', 'b', 'x', 'é', 'tb', 'a b'),
    priority: fc.subarray([...PRIORITIES], { minLength: 1 }).map((priorities) => priorities.join(',')),
    tag: fc.subarray(TAGS, { minLength: 1, maxLength: 2 }).map((tags) => tags.map((tag) => tag.toUpperCase())),
    list: fc.constantFrom('inbox', 0, 1),
    due: fc.constantFrom(...DUE_FILTERS),
    due_from: fc.integer({ min: -2, max: 5 }).map((days) => addDays(today, days)),
    due_to: fc.integer({ min: 0, max: 8 }).map((days) => addDays(today, days)),
};

/** A sort (and often an order) with at most two filters, so most queries match some of the tasks. */
const queryArbitrary = fc
  .tuple(
    fc.constantFrom(...TASK_SORTS),
    fc.option(fc.constantFrom('asc', 'desc'), { nil: undefined }),
    fc.subarray(Object.keys(filterValues) as (keyof typeof filterValues)[], { maxLength: 2 }),
  )
  .chain(([sort, order, names]) =>
    fc.record(Object.fromEntries(names.map((name) => [name, filterValues[name]])) as { [K in keyof typeof filterValues]: (typeof filterValues)[K] }).map((filters) => ({
      sort,
      ...(order ? { order } : {}),
      ...filters,
    })),
  );

/** Replaces the user's tasks with these, written in SQL in one statement (as an import would). */
type RandomTask = typeof taskArbitrary extends fc.Arbitrary<infer T> ? T : never;

async function seed(tasks: RandomTask[]): Promise<void> {
  // 60 runs of up to 30 pages each are more requests than one user's quota for a minute.
  await resetTaskApiQuota(userId);
  const db = await getDb();
  await db.execute(sql`delete from tasks where user_id = ${userId}`);
  await db.execute(sql`delete from tags where user_id = ${userId}`);
  if (tasks.length === 0) return;
  const rows = tasks.map(
    (task) =>
      sql`(${userId}, ${task.title}, ${task.description}, ${task.completed}, ${task.priority}::task_priority, ${task.list === null ? null : listIds[task.list]!}::bigint,
           ${task.dueOffset === null ? null : addDays(today, task.dueOffset)}::date, ${task.dueOffset === null ? null : task.dueTime}::time)`,
  );
  const inserted = (await db.execute(
    sql`insert into tasks (user_id, title, description, completed, priority, list_id, due_date, due_time) values ${sql.join(rows, sql`, `)} returning id`,
  )) as unknown as { rows: { id: string | number }[] };
  await db.execute(sql`insert into tags (user_id, name) select ${userId}, unnest(${sql.param(TAGS)}::text[])`);
  const links = tasks.flatMap((task, index) => task.tags.map((tag) => sql`(${userId}, ${Number(inserted.rows[index]!.id)}::bigint, (select id from tags where user_id = ${userId} and name = ${tag}))`));
  if (links.length > 0) await db.execute(sql`insert into task_tags (user_id, task_id, tag_id) values ${sql.join(links, sql`, `)}`);
}

async function all(): Promise<TaskDto[]> {
  const response = await callApi('GET', 'me/tasks?limit=200', { token });
  expect(response.status).toBe(200);
  return taskSchema.array().parse(await response.json());
}

async function walk(search: URLSearchParams, limit: number): Promise<{ ids: number[]; totals: Set<string> }> {
  const ids: number[] = [];
  const totals = new Set<string>();
  search.set('limit', String(limit));
  let next: string | null = `me/tasks?${search.toString()}`;
  for (let pages = 0; next && pages < 300; pages++) {
    const response = await callApi('GET', next, { token });
    expect(response.status, `${next}: ${await response.clone().text()}`).toBe(200);
    ids.push(...taskSchema.array().parse(await response.json()).map((task) => task.id));
    totals.add(response.headers.get('x-total-count')!);
    const link = response.headers.get('link');
    next = link ? /^<\/api\/([^>]+)>; rel="next"$/.exec(link)![1]! : null;
  }
  return { ids, totals };
}

it('walking the Links of any filter and sort returns exactly the matching tasks, once each, in order, with the same total on every page', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(taskArbitrary, { minLength: 4, maxLength: 30, size: 'max' }),
      fc.array(fc.tuple(queryArbitrary, fc.integer({ min: 1, max: 7 })), { minLength: 1, maxLength: 3 }),
      async (tasks, queries) => {
        await seed(tasks);
        const everything = await all();
        for (const [raw, limit] of queries) {
          const search = new URLSearchParams();
          for (const [key, value] of Object.entries(raw)) {
            if (key === 'tag') for (const tag of value as string[]) search.append('tag', tag);
            else if (key === 'list') search.set('list', value === 'inbox' ? 'inbox' : String(listIds[value as number]));
            else search.set(key, String(value));
          }
          const query = parseListQuery(search);
          expect(query.success, search.toString()).toBe(true);
          const expected = everything
            .filter((task) => taskMatches(task, query.data!, zonedNow('UTC')))
            .sort((a, b) => compareTasks(query.data!.sort, query.data!.order, a, b))
            .map((task) => task.id);
          const walked = await walk(search, limit);
          expect(walked.ids, search.toString()).toEqual(expected);
          expect([...walked.totals], search.toString()).toEqual([String(expected.length)]);
        }
      },
    ),
    { numRuns: 60 },
  );
});

it('answers search, tag and due filters and every sort over thousands of tasks exactly as the oracle, page after page', async () => {
  const WORDS = ['Pay', 'rent', 'call', 'Mum', 'report', 'garden', 'milk', 'car', 'tax', 'plan'];
  const manyTasks = fc.record({
    title: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((words) => words.join(' ')),
    description: fc.option(fc.constantFrom('renting a car', 'MILK and bread', 'call back'), { nil: null }),
    completed: fc.boolean(),
    priority: fc.constantFrom(...PRIORITIES),
    list: fc.constantFrom(null, 0, 1),
    dueOffset: fc.option(fc.integer({ min: -20, max: 20 }), { nil: null }),
    dueTime: fc.option(fc.constantFrom('00:00', '09:30', '23:59'), { nil: null }),
    tags: fc.subarray(TAGS),
  });
  // A user of its own: the task API's quota is per user and minute, and the walk above used much of it.
  const user = await signUp('Many');
  userId = user.id;
  token = await tokenFor(user);
  listIds = [];
  for (const name of ['one', 'two']) listIds.push(((await (await callApi('POST', 'me/lists', { token, body: { name } })).json()) as { id: number }).id);
  await seed(fc.sample(manyTasks, { numRuns: 3000, seed: 20261203 }));
  const byId = new Map<number, TaskDto>();
  let next: string | null = 'me/tasks?limit=200';
  while (next) {
    const response: Response = await callApi('GET', next, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    for (const task of taskSchema.array().parse(await response.json())) byId.set(task.id, task);
    const link = response.headers.get('link');
    next = link ? /^<\/api\/([^>]+)>; rel="next"$/.exec(link)![1]! : null;
  }
  expect(byId.size).toBe(3000);

  const queries = [
    'q=pay+RENT',
    'q=car+mil',
    'tag=home&due=week',
    'tag=work&tag=errands&due=overdue',
    'sort=due',
    'sort=due&order=desc&status=pending',
    'sort=title',
    'sort=title&order=desc&q=plan',
    'sort=priority&priority=high,low',
    'sort=updated&list=inbox',
    `list=${listIds[0]}&sort=due&due_from=${addDays(today, -5)}&due_to=${addDays(today, 5)}`,
  ];
  for (const raw of queries) {
    const search = new URLSearchParams(raw);
    const query = parseListQuery(search);
    expect(query.success, raw).toBe(true);
    const expected = [...byId.values()]
      .filter((task) => taskMatches(task, query.data!, zonedNow('UTC')))
      .sort((a, b) => compareTasks(query.data!.sort, query.data!.order, a, b))
      .map((task) => task.id);
    expect(expected.length, `${raw} should match some tasks`).toBeGreaterThan(0);
    const walked = await walk(search, 137);
    expect(walked.ids, raw).toEqual(expected);
    expect([...walked.totals], raw).toEqual([String(expected.length)]);
  }
}, 120_000);
