import { sql } from 'drizzle-orm';
import { expect, it, vi } from 'vitest';
import { getDb } from '@/server/db/client';
import { callApi, signUp, tokenFor } from '@/test/app';

// A list page must cost the page, not the table: the database reads the page's rows from the
// (user_id, id) index, newest first, with no sort and without stepping over rows of other users
// (it once walked the id index backwards past every newer task of everyone else).

interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

/** The page's own plan: not the per-row subquery that gathers each task's tags (its own small sort included). */
function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).filter((child) => child['Parent Relationship'] !== 'SubPlan').flatMap(nodesOf)];
}

type RawClient = { query: (...args: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };

it('reads a page of a user with most of the table from the index alone, whatever others wrote since', async () => {
  const heavy = await signUp('Heavy');
  const token = await tokenFor(heavy);
  const other = await signUp('Other');
  const db = await getDb();
  // The heavy user owns most rows; another user then writes newer ones (as the bench's creates do).
  await db.execute(sql`insert into tasks (user_id, title) select ${heavy.id}, 'old ' || n from generate_series(1, 3000) n`);
  await db.execute(sql`insert into tasks (user_id, title) select ${other.id}, 'new ' || n from generate_series(1, 500) n`);
  await db.execute(sql`analyze tasks`);

  const client = (db as unknown as { $client: RawClient }).$client;
  const original = client.query.bind(client);
  const pages: { text: string; params: unknown }[] = [];
  const spy = vi.spyOn(client, 'query').mockImplementation((...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: unknown }).text);
    if (/from "tasks"/.test(text)) pages.push({ text, params: args[1] });
    return original(...args);
  });
  try {
    const first = await callApi('GET', 'me/tasks?limit=20', { token });
    expect(first.status).toBe(200);
    const next = /<([^>]+)>/.exec(first.headers.get('link')!)![1]!;
    expect((await callApi('GET', next.replace(/^\/api\//, ''), { token })).status).toBe(200);
  } finally {
    spy.mockRestore();
  }

  expect(pages).toHaveLength(2);
  for (const page of pages) {
    const { rows } = await client.query(`explain (analyze, format json) ${page.text}`, page.params);
    const raw = Object.values(rows[0]!)[0];
    const [{ Plan: plan }] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
    const nodes = nodesOf(plan);
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Sort');
    expect(nodes.some((node) => node['Index Name'] === 'tasks_pkey')).toBe(true);
    expect(nodes.reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0), 0)).toBe(0);
    expect(plan['Actual Rows']).toBe(21); // the page and one more, to know whether a next page exists
  }
});

// The ascending title and updated sorts break ties by id descending, so their keyset condition is
// no row comparison; it must still start the index scan at the cursor (`>=`), not filter every row
// of the pages before it out of a scan from the user's first row.
it.each(['title', 'updated'])('starts a deep page of sort=%s ascending at its cursor, stepping over no earlier rows', async (sort) => {
  const user = await signUp(`Deep ${sort}`);
  const token = await tokenFor(user);
  const db = await getDb();
  await db.execute(sql`insert into tasks (user_id, title, updated_at)
    select ${user.id}, 'title ' || lpad((n % 1000)::text, 4, '0'), now() - (n % 1500) * interval '1 minute' from generate_series(1, 3000) n`);
  await db.execute(sql`analyze tasks`);

  const client = (db as unknown as { $client: RawClient }).$client;
  let path: string | undefined = `me/tasks?sort=${sort}&order=asc&limit=100`;
  for (let page = 1; page < 10; page++) {
    const response = await callApi('GET', path!, { token });
    expect(response.status).toBe(200);
    path = /<([^>]+)>/.exec(response.headers.get('link')!)![1]!.replace(/^\/api\//, '');
  }
  const original = client.query.bind(client);
  let page: { text: string; params: unknown } | undefined;
  const spy = vi.spyOn(client, 'query').mockImplementation((...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: unknown }).text);
    if (/from "tasks"/.test(text) && /order by/.test(text)) page = { text, params: args[1] };
    return original(...args);
  });
  try {
    expect((await callApi('GET', path!, { token })).status).toBe(200); // the 10th page: 900 rows before it
  } finally {
    spy.mockRestore();
  }

  const { rows } = await client.query(`explain (analyze, format json) ${page!.text}`, page!.params);
  const raw = Object.values(rows[0]!)[0];
  const [{ Plan: plan }] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
  const nodes = nodesOf(plan);
  expect(nodes.some((node) => node['Index Name'] === (sort === 'title' ? 'tasks_title_idx' : 'tasks_updated_idx'))).toBe(true);
  // Only the cursor's own ties can be stepped over (3 rows share each title, 2 each updated_at here).
  expect(nodes.reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0), 0)).toBeLessThan(10);
  expect(plan['Actual Rows']).toBe(101);
});

// The due filters compare the date itself, which the due sort indexes hold only inside coalesce():
// tasks_due_date_idx serves them, so X-Total-Count of `due=week` reads its week, not the table.
it('counts a due filter from the due date index, not by scanning the tasks', async () => {
  const user = await signUp('Due week');
  const token = await tokenFor(user);
  const db = await getDb();
  await db.execute(sql`insert into tasks (user_id, title, due_date)
    select ${user.id}, 'task ' || n, case when n % 3 > 0 then current_date + (n % 121 - 60) end from generate_series(1, 3000) n`);
  await db.execute(sql`analyze tasks`);

  const client = (db as unknown as { $client: RawClient }).$client;
  const original = client.query.bind(client);
  let count: { text: string; params: unknown } | undefined;
  const spy = vi.spyOn(client, 'query').mockImplementation((...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: unknown }).text);
    if (/count\(\*\)/.test(text)) count = { text, params: args[1] };
    return original(...args);
  });
  try {
    const response = await callApi('GET', 'me/tasks?due=week&limit=5', { token });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('x-total-count'))).toBeGreaterThan(100);
  } finally {
    spy.mockRestore();
  }

  const { rows } = await client.query(`explain (analyze, format json) ${count!.text}`, count!.params);
  const raw = Object.values(rows[0]!)[0];
  const [{ Plan: plan }] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
  const all = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(all)];
  const nodes = all(plan);
  expect(nodes.some((node) => node['Index Name'] === 'tasks_due_date_idx')).toBe(true);
  expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan' && (node as { 'Relation Name'?: string })['Relation Name'] === 'tasks')).toEqual([]);
});
