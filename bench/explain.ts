// `npm run bench:explain [-- --db embedded --db postgres://postgres@127.0.0.1:5432/tasklane_explain_bench] [--vacuum]`
//
// The plans behind the bench's "Finding tasks" scenarios. For each --db (default: both of the
// above; a PostgreSQL server that does not answer is skipped) it seeds a database as `npm run
// bench` does (bench/database.ts: the 100,000-task user with lists, tags, priorities, due dates
// and word titles, and one bulk-clear user), then a worker process opens it the way the app does
// (src/server/db/client.ts, so PGlite with the app's own settings) and calls the app's own query
// code: listTasks for the first and the third page of each scenario, recording every statement it
// sends to the driver, and prints `EXPLAIN (ANALYZE, BUFFERS)` of the page and of the count behind
// X-Total-Count, then a summary table. The bulk-clear delete is bulk.ts's statement over find.ts's
// `matching`, explained in a transaction that is rolled back. The seeding is vacuumed on
// PostgreSQL only, as in `npm run bench`; --vacuum vacuums PGlite's too.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dropDatabase, prepareDatabase, targetFor, databaseEnv, type DatabaseTarget } from './database';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', multiple: true },
    // VACUUM ANALYZE after seeding on every database, PGlite included (by default only PostgreSQL's
    // seeding is vacuumed, as its autovacuum would have been: PGlite never vacuums on its own).
    vacuum: { type: 'boolean', default: false },
    worker: { type: 'string' },
  },
});

/** What the worker needs of the seed. */
interface WorkerInput {
  label: string;
  bigUser: string;
  clearUser: string;
  q: string;
  tag: string;
}

// ---------------------------------------------------------------------------------------------
// The worker: runs in its own process, as the app's database client is one per process.

interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Statement {
  text: string;
  params: unknown[];
}

interface Shape {
  name: string;
  kind: 'page 1' | 'page 3' | 'count' | 'delete';
  statement: Statement;
}

interface Summary {
  shape: string;
  nodes: string;
  rows: number;
  removed: number;
  hit: number;
  read: number;
  ms: number;
  seqScans: string[];
}

/** EXPLAIN ANALYZE runs of each read: the fastest is shown. */
const RUNS = 3;

type RawQuery = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

function allNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(allNodes)];
}

/** Whether `node` is the per-row subquery that gathers a task's tags (queries.ts's tagsOf, the only `tt`). */
const isTagsSubquery = (node: PlanNode) => node['Parent Relationship'] === 'SubPlan' && allNodes(node).some((each) => each.Alias === 'tt');

/** The statement's own nodes, top down: all but the per-row tags subquery, the same for every page. */
function mainNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).filter((child) => !isTagsSubquery(child)).flatMap(mainNodes)];
}

function nodeLabel(node: PlanNode): string {
  const on = node['Index Name'] ?? node['Relation Name'];
  return on ? `${node['Node Type']} (${on})` : node['Node Type'];
}

/** The SQL as sent, on one line, with its parameters. */
function showStatement({ text, params }: Statement): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `${oneLine}\n  params: ${JSON.stringify(params)}`;
}

async function worker(input: WorkerInput): Promise<void> {
  const { getDb, closeDb } = await import('@/server/db/client');
  const { listTasks, matching } = await import('@/server/tasks/find');
  const { parseListQuery, encodeCursor, withWords } = await import('@/lib/api/task-schemas');
  const { tasks } = await import('@/server/db/schema');
  const { sql } = await import('drizzle-orm');

  const db = await getDb();
  // The driver's client: a node-postgres Pool, or the PGlite instance. Its `query` is what every
  // statement of listTasks goes through (drizzle's sessions call it with the text and the params).
  const client = (db as unknown as { $client: { query: (...args: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> } }).$client;
  const original = client.query.bind(client);
  const raw: RawQuery = (text, params) => original(text, params ?? []);
  let recorded: Statement[] | undefined;
  client.query = (...callArgs: unknown[]) => {
    const first = callArgs[0];
    const text = typeof first === 'string' ? first : String((first as { text?: unknown }).text);
    const params = (Array.isArray(callArgs[1]) ? callArgs[1] : ((first as { values?: unknown[] }).values ?? [])) as unknown[];
    recorded?.push({ text, params });
    return original(...callArgs);
  };
  const record = async (run: () => Promise<unknown>): Promise<Statement[]> => {
    recorded = [];
    try {
      await run();
      return recorded;
    } finally {
      recorded = undefined;
    }
  };

  const shapes: Shape[] = [];
  const others = new Set<string>();
  const scenarios: { name: string; params: Record<string, string> }[] = [
    { name: 'list-100k (reference)', params: { limit: '20' } },
    { name: 'search', params: { limit: '20', q: input.q } },
    { name: 'tag-due', params: { limit: '20', tag: input.tag, due: 'week' } },
    { name: 'sort-due', params: { limit: '20', sort: 'due' } },
    { name: 'sort-title', params: { limit: '20', sort: 'title' } },
  ];
  for (const scenario of scenarios) {
    // Pages 1 to 3, each parsed from its URL as the route does (page 2 and 3 with the cursor the Link carries).
    let cursor: string | undefined;
    for (let page = 1; page <= 3; page++) {
      const params = new URLSearchParams(scenario.params);
      if (cursor) params.set('cursor', cursor);
      const parsed = parseListQuery(params);
      if (!parsed.success) throw new Error(`${scenario.name}: ${JSON.stringify(parsed.error.issues)}`);
      let result: Awaited<ReturnType<typeof listTasks>> | undefined;
      const statements = await record(async () => {
        result = await listTasks(input.bigUser, parsed.data);
      });
      if (!result!.next || result!.tasks.length !== 20) throw new Error(`${scenario.name}, page ${page}: ${result!.tasks.length} rows, next ${JSON.stringify(result!.next)}`);
      cursor = encodeCursor(parsed.data, result!.next);
      if (page === 2) continue;
      for (const statement of statements) {
        if (/\border by\b/i.test(statement.text) && /\blimit\b/i.test(statement.text)) {
          shapes.push({ name: scenario.name, kind: page === 1 ? 'page 1' : 'page 3', statement });
        } else if (/count\(\*\)|task_counts/.test(statement.text)) {
          // The same count on every page: explained once.
          if (page === 1) shapes.push({ name: scenario.name, kind: 'count', statement });
        } else {
          others.add(statement.text.replace(/\s+/g, ' ').trim());
        }
      }
    }
  }

  // bulk-clear: bulk.ts's delete over find.ts's `matching` for {status: completed}, built by the same
  // functions (the statement of bulk.ts's 'delete' case), explained in a transaction rolled back.
  const target = await matching(db, input.clearUser, withWords({ status: 'completed' }));
  const deleteSql = sql`with deleted as (${db.delete(tasks).where(target).returning({ id: tasks.id }).getSQL()}) select count(*)::int as affected from deleted`;
  const built = (db as unknown as { dialect: { sqlToQuery: (query: unknown) => { sql: string; params: unknown[] } } }).dialect.sqlToQuery(deleteSql);
  shapes.push({ name: 'bulk-clear', kind: 'delete', statement: { text: built.sql, params: built.params } });

  console.log(`\n# ${input.label}\n`);
  if (others.size > 0) {
    console.log(`Other statements listTasks sent (each one row of its table): ${[...others].map((text) => `\`${text}\``).join('; ')}\n`);
  }
  const summaries: Summary[] = [];
  for (const shape of shapes) {
    const title = `${shape.name}: ${shape.kind}`;
    const explain = async (options: string): Promise<Record<string, unknown>[]> => {
      const text = `explain (${options}) ${shape.statement.text}`;
      if (shape.kind !== 'delete') return (await raw(text, shape.statement.params)).rows;
      // EXPLAIN ANALYZE runs the delete: inside a transaction that is rolled back, on one connection.
      const pool = client as unknown as { connect?: () => Promise<{ query: RawQuery; release: () => void }> };
      const connection = pool.connect ? await pool.connect() : { query: raw, release: () => {} };
      try {
        await connection.query('begin');
        return (await connection.query(text, shape.statement.params)).rows;
      } finally {
        await connection.query('rollback');
        connection.release();
      }
    };
    // The machine is shared: the fastest of a few runs (the delete runs once, it takes a second).
    let textPlan = '';
    let ms = Infinity;
    for (let run = 0; run < (shape.kind === 'delete' ? 1 : RUNS); run++) {
      const text = (await explain('analyze, buffers')).map((row) => String(Object.values(row)[0])).join('\n');
      const time = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1]);
      if (time < ms || !textPlan) [textPlan, ms] = [text, time];
    }
    const jsonRow = Object.values((await explain('analyze, buffers, format json'))[0]!)[0];
    const [{ Plan: plan }] = (typeof jsonRow === 'string' ? JSON.parse(jsonRow) : jsonRow) as [{ Plan: PlanNode }];
    const main = mainNodes(plan);
    summaries.push({
      shape: title,
      nodes: main.map(nodeLabel).join(' > '),
      rows: plan['Actual Rows'] ?? 0,
      removed: main.reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0) * (node['Actual Loops'] ?? 1) + (node['Rows Removed by Index Recheck'] ?? 0), 0),
      hit: plan['Shared Hit Blocks'] ?? 0,
      read: plan['Shared Read Blocks'] ?? 0,
      ms,
      seqScans: allNodes(plan)
        .filter((node) => node['Node Type'] === 'Seq Scan')
        .map((node) => `${node['Relation Name']} (${node['Actual Rows']} rows × ${node['Actual Loops']} loops, ${node['Rows Removed by Filter'] ?? 0} removed per loop)`),
    });
    console.log(`## ${title}\n\n${showStatement(shape.statement)}\n\n${textPlan}\n`);
  }

  console.log(`## Summary: ${input.label}\n`);
  console.log(`| shape | statement nodes (without the per-row tags subquery) | rows | rows removed | shared hit / read | ms (best of ${RUNS}) | seq scans |`);
  console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const s of summaries) {
    console.log(`| ${s.shape} | ${s.nodes} | ${s.rows} | ${s.removed} | ${s.hit} / ${s.read} | ${s.ms.toFixed(2)} | ${s.seqScans.join('; ') || 'none'} |`);
  }
  await closeDb();
}

// ---------------------------------------------------------------------------------------------
// The parent: seeds each database, runs the worker on it, drops it.

async function explainOn(target: DatabaseTarget): Promise<boolean> {
  console.error(`== ${target.label}: seeding`);
  const { seed, seconds } = await prepareDatabase(target, { clearUsers: 1, ...(args.vacuum ? { vacuum: true } : {}) });
  console.error(`   seeded in ${seconds.toFixed(1)} s`);
  const vacuumed = args.vacuum || target.kind === 'postgres';
  const input: WorkerInput = {
    label: `${target.label}, ${vacuumed ? 'vacuumed after seeding' : 'not vacuumed (analyzed) after seeding'}`,
    bigUser: seed.big.id,
    clearUser: seed.clear[0]!.id,
    q: seed.finding.search.q,
    tag: seed.finding.tagWeek.tag,
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...databaseEnv(target),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    // The worker signs nothing, but the app's configuration wants a secret beside a DATABASE_URL.
    BETTER_AUTH_SECRET: 'bench-explain-secret-not-used-for-anything-0123456789',
  };
  if (target.kind === 'embedded') delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'explain.ts'), '--worker', JSON.stringify(input)], { env, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return code === 0;
}

async function reachable(target: DatabaseTarget): Promise<boolean> {
  if (target.kind !== 'postgres') return true;
  const { default: pg } = await import('pg');
  const admin = new URL(target.url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    console.error(`${target.label}: skipped, the server does not answer (${error instanceof Error ? error.message : String(error)})`);
    return false;
  }
}

if (args.worker) {
  await worker(JSON.parse(args.worker) as WorkerInput);
} else {
  const explicit = args.db !== undefined && args.db.length > 0;
  const specs = explicit ? args.db! : ['embedded', 'postgres://postgres@127.0.0.1:5432/tasklane_explain_bench'];
  let failed = false;
  for (const spec of specs) {
    const target = targetFor(spec);
    if (!(await reachable(target))) {
      failed ||= explicit;
      continue;
    }
    try {
      failed = !(await explainOn(target)) || failed;
    } catch (error) {
      failed = true;
      console.error(`${target.label}: ${error instanceof Error ? error.stack : String(error)}`);
    } finally {
      await dropDatabase(target);
    }
  }
  process.exit(failed ? 1 : 0);
}
