import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TaskDto } from '@/lib/api/task-schemas';
import { getDb } from '@/server/db/client';
import { taskCounts, tasks } from '@/server/db/schema';
import { callApi, signUp, tokenFor } from '@/test/app';

// X-Total-Count comes from task_counts, kept by triggers on every write: these tests hold it to the
// rows themselves, one write at a time, under concurrent writes (which run truly in parallel on
// PostgreSQL, `npm run test:pg`), and for writes made in SQL beside the API.

type Counts = { all: number; pending: number; completed: number };

async function reportedCounts(token: string): Promise<Counts> {
  const counts = {} as Counts;
  for (const status of ['all', 'pending', 'completed'] as const) {
    const response = await callApi('GET', `me/tasks?status=${status}&limit=1`, { token });
    expect(response.status).toBe(200);
    counts[status] = Number(response.headers.get('x-total-count'));
  }
  return counts;
}

/** The counts by counting the rows, and the counter row itself, which must agree. */
async function actualCounts(userId: string): Promise<Counts> {
  const db = await getDb();
  const [rows] = await db
    .select({ all: sql<number>`count(*)::int`, completed: sql<number>`(count(*) filter (where ${tasks.completed}))::int` })
    .from(tasks)
    .where(eq(tasks.userId, userId));
  const [counter] = await db.select().from(taskCounts).where(eq(taskCounts.userId, userId));
  expect({ total: counter?.total ?? 0, completed: counter?.completed ?? 0 }).toEqual({ total: rows!.all, completed: rows!.completed });
  return { all: rows!.all, pending: rows!.all - rows!.completed, completed: rows!.completed };
}

async function expectCounts(user: { id: string; token: string }, expected: Counts) {
  expect(await actualCounts(user.id)).toEqual(expected);
  expect(await reportedCounts(user.token)).toEqual(expected);
}

async function newUser() {
  const user = await signUp('Counter');
  return { id: user.id, token: await tokenFor(user) };
}

async function create(token: string, body: Record<string, unknown>): Promise<TaskDto> {
  const response = await callApi('POST', 'me/tasks', { token, body });
  expect(response.status).toBe(201);
  return (await response.json()) as TaskDto;
}

describe('X-Total-Count per filter', () => {
  it('follows every kind of write: create, toggle, set, update with and without completed, delete', async () => {
    const user = await newUser();
    await expectCounts(user, { all: 0, pending: 0, completed: 0 });

    const a = await create(user.token, { title: 'a' });
    const b = await create(user.token, { title: 'b', completed: true });
    const c = await create(user.token, { title: 'c' });
    await expectCounts(user, { all: 3, pending: 2, completed: 1 });

    const send = async (method: string, path: string, body?: unknown) => {
      const response = await callApi(method, `me/tasks/${path}`, { token: user.token, ...(body === undefined ? {} : { body }) });
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
    };
    await send('PATCH', `${a.id}/complete`); // toggle: a done
    await expectCounts(user, { all: 3, pending: 1, completed: 2 });
    await send('PATCH', `${a.id}/complete`); // toggle back
    await expectCounts(user, { all: 3, pending: 2, completed: 1 });
    await send('PATCH', `${b.id}/complete`, { completed: true }); // set to what it is: no change
    await expectCounts(user, { all: 3, pending: 2, completed: 1 });
    await send('PATCH', `${c.id}/complete`, { completed: true });
    await expectCounts(user, { all: 3, pending: 1, completed: 2 });
    await send('PATCH', `${b.id}`, { title: 'b renamed' }); // no completed: counts stay
    await expectCounts(user, { all: 3, pending: 1, completed: 2 });
    await send('PUT', `${b.id}`, { completed: false, title: 'b again' });
    await expectCounts(user, { all: 3, pending: 2, completed: 1 });
    await send('PATCH', `${a.id}`, { completed: false }); // already pending
    await expectCounts(user, { all: 3, pending: 2, completed: 1 });
    await send('DELETE', `${c.id}`); // a completed one
    await expectCounts(user, { all: 2, pending: 2, completed: 0 });
    await send('DELETE', `${a.id}`); // a pending one
    await expectCounts(user, { all: 1, pending: 1, completed: 0 });

    // Writes that find no task move nothing.
    expect((await callApi('DELETE', `me/tasks/${a.id}`, { token: user.token })).status).toBe(404);
    expect((await callApi('PATCH', `me/tasks/${a.id}/complete`, { token: user.token })).status).toBe(404);
    await expectCounts(user, { all: 1, pending: 1, completed: 0 });
  });

  it('counts only the user’s own tasks, whatever another user writes', async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    await create(alice.token, { title: 'alice', completed: true });
    const bobs = await create(bob.token, { title: 'bob' });
    await callApi('PATCH', `me/tasks/${bobs.id}/complete`, { token: bob.token });
    // Alice cannot move Bob's counter through his task id either.
    expect((await callApi('DELETE', `me/tasks/${bobs.id}`, { token: alice.token })).status).toBe(404);
    expect((await callApi('PATCH', `me/tasks/${bobs.id}/complete`, { token: alice.token })).status).toBe(404);
    await expectCounts(alice, { all: 1, pending: 0, completed: 1 });
    await expectCounts(bob, { all: 1, pending: 0, completed: 1 });
  });

  it('stays right under concurrent toggles of the same task', async () => {
    const user = await newUser();
    const task = await create(user.token, { title: 'flip me' });
    const other = await create(user.token, { title: 'and me', completed: true });
    const toggles = 25; // odd: the task ends completed
    const responses = await Promise.all(
      Array.from({ length: toggles }, (_, i) => callApi('PATCH', `me/tasks/${i % 5 === 0 ? other.id : task.id}/complete`, { token: user.token })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(toggles).fill(200));
    // 20 toggles of `task` (even: back to pending), 5 of `other` (odd: to pending).
    await expectCounts(user, { all: 2, pending: 2, completed: 0 });

    const more = await Promise.all(Array.from({ length: 7 }, () => callApi('PATCH', `me/tasks/${task.id}/complete`, { token: user.token })));
    expect(more.map((response) => response.status)).toEqual(Array(7).fill(200));
    await expectCounts(user, { all: 2, pending: 1, completed: 1 });
  });

  it('stays right under concurrent creates, toggles, sets, updates and deletes', async () => {
    const user = await newUser();
    const seeded = await Promise.all(Array.from({ length: 12 }, (_, i) => create(user.token, { title: `t${i}`, completed: i % 3 === 0 })));
    const writes: Promise<Response>[] = [];
    for (const [i, task] of seeded.entries()) {
      const path = `me/tasks/${task.id}`;
      writes.push(callApi('PATCH', `${path}/complete`, { token: user.token }));
      writes.push(callApi('PATCH', `${path}/complete`, { token: user.token, body: { completed: i % 2 === 0 } }));
      writes.push(callApi('PATCH', path, { token: user.token, body: { completed: i % 4 === 0, title: `u${i}` } }));
      if (i % 3 === 1) writes.push(callApi('DELETE', path, { token: user.token }));
      writes.push(callApi('POST', 'me/tasks', { token: user.token, body: { title: `n${i}`, completed: i % 2 === 1 } }));
    }
    const statuses = (await Promise.all(writes)).map((response) => response.status);
    // A write racing a delete of the same task may find it gone (404); nothing else may fail.
    expect(statuses.every((status) => [200, 201, 204, 404].includes(status))).toBe(true);
    const actual = await actualCounts(user.id);
    expect(actual.all).toBe(12 - 4 + 12);
    expect(await reportedCounts(user.token)).toEqual(actual);
  });
});

describe('X-Total-Count after writes made beside the API', () => {
  it('follows multi-row statements and an operator’s SQL, for each user they touch', async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    await create(alice.token, { title: 'through the API' });
    const db = await getDb();
    // One statement over two users, as a bulk import or a seed script would write.
    await db.execute(sql`
      insert into tasks (user_id, title, completed)
      select u.id, 'bulk ' || n, n % 2 = 0
      from (values (${alice.id}), (${bob.id})) as u(id) cross join generate_series(1, 40) as n`);
    await expectCounts(alice, { all: 41, pending: 21, completed: 20 });
    await expectCounts(bob, { all: 40, pending: 20, completed: 20 });

    await db.execute(sql`update tasks set completed = not completed where user_id = ${bob.id} and title like 'bulk 1%'`);
    // 'bulk 1' and 'bulk 10'..'bulk 19': 6 pending become done, 5 done become pending.
    await expectCounts(bob, { all: 40, pending: 19, completed: 21 });
    await db.execute(sql`update tasks set completed = true where user_id in (${alice.id}, ${bob.id})`);
    await expectCounts(alice, { all: 41, pending: 0, completed: 41 });
    await expectCounts(bob, { all: 40, pending: 0, completed: 40 });
    await db.execute(sql`update tasks set title = 'renamed' where user_id = ${alice.id}`);
    await expectCounts(alice, { all: 41, pending: 0, completed: 41 });

    await db.execute(sql`delete from tasks where user_id in (${alice.id}, ${bob.id}) and title <> 'renamed'`);
    await expectCounts(alice, { all: 41, pending: 0, completed: 41 });
    await expectCounts(bob, { all: 0, pending: 0, completed: 0 });
    await db.execute(sql`delete from tasks where user_id = ${alice.id} and id in (select id from tasks where user_id = ${alice.id} limit 10)`);
    await expectCounts(alice, { all: 31, pending: 0, completed: 31 });
  });
});

describe('SQL statements per request', () => {
  let token: string;
  let taskId: number;

  beforeAll(async () => {
    const user = await newUser();
    token = user.token;
    taskId = (await create(token, { title: 'counted' })).id;
  });

  /**
   * The statements the app's database client runs during `run` (every driver has `query`), but the
   * shared rate limit's (server/http/limiter.ts), which the test below counts on its own.
   */
  async function statementsOf(run: () => Promise<Response>): Promise<string[]> {
    return (await allStatementsOf(run)).filter((statement) => !statement.includes('"rate_limits"'));
  }

  async function allStatementsOf(run: () => Promise<Response>): Promise<string[]> {
    const client = (await getDb()) as unknown as { $client: { query: (...args: unknown[]) => unknown } };
    const statements: string[] = [];
    const original = client.$client.query.bind(client.$client);
    const spy = vi.spyOn(client.$client, 'query').mockImplementation((...args: unknown[]) => {
      const first = args[0];
      statements.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
      return original(...args);
    });
    try {
      const response = await run();
      expect(response.status).toBeLessThan(300);
    } finally {
      spy.mockRestore();
    }
    return statements;
  }

  it('a list with a warm key cache: the page and the counter, no count over the tasks', async () => {
    const statements = await statementsOf(() => callApi('GET', 'me/tasks?status=pending', { token }));
    expect(statements).toHaveLength(2);
    expect(statements.join('\n')).not.toMatch(/count\(/i);
  });

  it('the quota counted across instances: one upsert per request on a server database, none on the embedded one', async () => {
    const { env } = await import('@/server/env');
    const limits = (await allStatementsOf(() => callApi('GET', 'me/tasks', { token }))).filter((statement) => statement.includes('"rate_limits"'));
    expect(limits).toHaveLength(env.database.kind === 'pglite' ? 0 : 1);
    if (limits.length > 0) expect(limits[0]).toMatch(/^insert into "rate_limits" .* on conflict \("key"\) do update/i);
  });

  it('a create, a toggle and a delete: one statement each', async () => {
    expect(await statementsOf(() => callApi('POST', 'me/tasks', { token, body: { title: 'one' } }))).toHaveLength(1);
    expect(await statementsOf(() => callApi('PATCH', `me/tasks/${taskId}/complete`, { token }))).toHaveLength(1);
    expect(await statementsOf(() => callApi('DELETE', `me/tasks/${taskId}`, { token }))).toHaveLength(1);
  });
});
