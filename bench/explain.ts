// `npm run bench:explain [-- --db embedded --db postgres://postgres@127.0.0.1:5432/tasklane_explain_bench] [--vacuum]`
//
// The plans behind the bench's scenarios. For each --db (default: both of the above; a PostgreSQL
// server that does not answer is skipped) it seeds a database as `npm run bench` does
// (bench/database.ts: the 100,000-task user with lists, tags, priorities, due dates, word titles,
// reminders, weekly tasks and notifications, and one bulk-clear user), plus 1,000 armed reminders
// that are due (every 100th task), then a worker process opens it the way the app does
// (src/server/db/client.ts, so PGlite with the app's own settings) and calls the app's own code,
// recording every statement it sends to the driver (transactions' included), and prints `EXPLAIN
// (ANALYZE, BUFFERS)` of each, then a summary table:
// - "Finding tasks": listTasks for the first and the third page of each scenario, and the count
//   behind X-Total-Count;
// - bulk-clear: bulk.ts's delete over find.ts's `matching`, built by the same functions;
// - reminder-claim: the statement fireDueReminders() sends (server/reminders.ts's claimBatch),
//   recorded without running it (answered as if nothing were due), then explained;
// - notifications and notifications-unread: listNotifications, as GET /notifications answers;
// - complete-recurring: completeTask on a weekly task (the one-statement attempt, which matches no
//   row, then the slow path's `select … for update` joined with the user, and its update);
// - calendar-feed: feedFor() on a feed of the big user (the owner's lookup, then its pending dated
//   tasks, 1,000 at most).
// Writes are explained in a transaction that is rolled back. The seeding is vacuumed on PostgreSQL
// only, as in `npm run bench`; --vacuum vacuums PGlite's too.
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
  /** The big user's notifications (total, unread) and armed due reminders, as seeded. */
  notifications: number;
  unread: number;
  dueReminders: number;
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
  kind: string;
  statement: Statement;
  /** A write (or a lock): explained in a transaction that is rolled back. */
  write?: boolean;
  /** EXPLAIN ANALYZE runs (the fastest shown); RUNS unless said. */
  runs?: number;
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
  // The driver's client: a node-postgres Pool, or the PGlite instance. Every statement goes through
  // a `query` of it (drizzle's sessions call it with the text and the params): the Pool's clients'
  // (wrapped as the pool connects them, so transactions' statements are seen too), or PGlite's own
  // and its transactions'. While `dry`, a recorded statement is not run: it answers no rows.
  type Query = (...args: unknown[]) => unknown;
  const client = (db as unknown as { $client: { query: Query; on?: (event: string, listener: (connected: { query: Query }) => void) => void; transaction?: (run: (tx: { query: Query }) => unknown) => Promise<unknown> } }).$client;
  const original = client.query.bind(client) as (...args: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  const raw: RawQuery = (text, params) => original(text, params ?? []);
  let recorded: Statement[] | undefined;
  let dry = false;
  const recording =
    (query: Query): Query =>
    (...callArgs) => {
      if (!recorded) return query(...callArgs);
      const first = callArgs[0];
      const text = typeof first === 'string' ? first : String((first as { text?: unknown }).text);
      const params = (Array.isArray(callArgs[1]) ? callArgs[1] : ((first as { values?: unknown[] }).values ?? [])) as unknown[];
      recorded.push({ text, params });
      if (!dry) return query(...callArgs);
      const none = { rows: [], fields: [], rowCount: 0, affectedRows: 0 };
      const callback = callArgs.find((arg) => typeof arg === 'function') as ((error: null, result: typeof none) => void) | undefined;
      if (!callback) return Promise.resolve(none);
      queueMicrotask(() => callback(null, none));
      return undefined;
    };
  if (client.transaction) {
    // PGlite: its own query, and each transaction's.
    client.query = recording(client.query.bind(client));
    const transaction = client.transaction.bind(client);
    client.transaction = (run) =>
      transaction((tx) => {
        tx.query = recording(tx.query.bind(tx));
        return run(tx);
      });
  } else {
    // A node-postgres Pool: no client is connected yet (the first statement is listTasks's).
    client.on!('connect', (connected) => {
      connected.query = recording(connected.query.bind(connected));
    });
  }
  const record = async (run: () => Promise<unknown>, { noop = false } = {}): Promise<Statement[]> => {
    recorded = [];
    dry = noop;
    try {
      await run();
      return recorded;
    } finally {
      recorded = undefined;
      dry = false;
    }
  };
  const isTransactionControl = (statement: Statement) => /^\s*(begin|commit|rollback)\b/i.test(statement.text);

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

  // notifications and notifications-unread: GET /notifications and ?unread=true.
  const { listNotifications } = await import('@/server/notifications');
  for (const [name, unread, expected] of [['notifications', false, Math.min(200, input.notifications)], ['notifications-unread', true, input.unread]] as const) {
    let answered = 0;
    const statements = await record(async () => {
      answered = (await listNotifications(input.bigUser, unread)).length;
    });
    if (answered !== expected || statements.length !== 1) throw new Error(`${name}: ${answered} notifications in ${statements.length} statements; expected ${expected} in one`);
    shapes.push({ name, kind: `${expected} rows`, statement: statements[0]! });
  }

  // calendar-feed: a feed of the big user, then what a calendar app's GET of it runs.
  const { rotateFeed, feedFor, secretOfFile } = await import('@/server/calendar/feeds');
  const secret = secretOfFile((await rotateFeed(input.bigUser)).split('/').at(-1)!)!;
  let feed: Awaited<ReturnType<typeof feedFor>>;
  const feedStatements = await record(async () => (feed = await feedFor(secret)));
  if (!feed! || feedStatements.length !== 2) throw new Error(`calendar-feed: ${feedStatements.length} statements, feed ${feed! ? 'found' : 'not found'}`);
  shapes.push({ name: 'calendar-feed', kind: 'the owner', statement: feedStatements[0]! }, { name: 'calendar-feed', kind: 'its tasks', statement: feedStatements[1]! });

  // Reads first, then the writes, each explained in a transaction rolled back: what those leave
  // behind (dead index entries of the notifications a claim inserted) must not meet a read's plan.
  // complete-recurring: completeTask on a weekly task of the big user, run for real (it moves to
  // the next week); its statements are explained afterwards, each in a transaction rolled back.
  const { completeTask } = await import('@/server/tasks/queries');
  const [weekly] = (await raw(`select id from tasks where user_id = $1 and recurrence is not null and not completed order by id limit 1`, [input.bigUser])).rows;
  if (!weekly) throw new Error('the big user has no pending weekly task');
  let completed: Awaited<ReturnType<typeof completeTask>>;
  const completion = (await record(async () => (completed = await completeTask(input.bigUser, Number(weekly.id), true)))).filter((each) => !isTransactionControl(each));
  if (!completed! || completed.completed || completion.length !== 3) {
    throw new Error(`complete-recurring: ${completion.length} statements (3 expected), answered ${JSON.stringify(completed! ?? null)?.slice(0, 300)}`);
  }
  const completionKinds = ['the one-statement attempt (no row: it repeats)', 'select … for update, with the user', 'update'];
  completion.forEach((statement, i) => shapes.push({ name: 'complete-recurring', kind: completionKinds[i]!, statement, write: true }));

  // reminder-claim: the statement fireDueReminders() sends first, recorded but not run (it answers
  // no rows, so the loop stops there): explained with the seeded due reminders all still armed.
  const { fireDueReminders } = await import('@/server/reminders');
  const claims = await record(() => fireDueReminders(), { noop: true });
  if (claims.length !== 1) throw new Error(`fireDueReminders sent ${claims.length} statements where one claim was expected`);
  shapes.push({ name: 'reminder-claim', kind: `one batch, ${input.dueReminders} due`, statement: claims[0]!, write: true });

  // bulk-clear: bulk.ts's delete over find.ts's `matching` for {status: completed}, built by the same
  // functions (the statement of bulk.ts's 'delete' case), explained in a transaction rolled back.
  const target = await matching(db, input.clearUser, withWords({ status: 'completed' }));
  const deleteSql = sql`with deleted as (${db.delete(tasks).where(target).returning({ id: tasks.id }).getSQL()}) select count(*)::int as affected from deleted`;
  const built = (db as unknown as { dialect: { sqlToQuery: (query: unknown) => { sql: string; params: unknown[] } } }).dialect.sqlToQuery(deleteSql);
  shapes.push({ name: 'bulk-clear', kind: 'delete', statement: { text: built.sql, params: built.params }, write: true, runs: 1 });

  console.log(`\n# ${input.label}\n`);
  if (others.size > 0) {
    console.log(`Other statements listTasks sent (each one row of its table): ${[...others].map((text) => `\`${text}\``).join('; ')}\n`);
  }
  const summaries: Summary[] = [];
  for (const shape of shapes) {
    const title = `${shape.name}: ${shape.kind}`;
    const explain = async (options: string): Promise<Record<string, unknown>[]> => {
      const text = `explain (${options}) ${shape.statement.text}`;
      if (!shape.write) return (await raw(text, shape.statement.params)).rows;
      // EXPLAIN ANALYZE runs the write: inside a transaction that is rolled back, on one connection.
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
    // The machine is shared: the fastest of a few runs (the bulk delete runs once, it takes a second).
    let textPlan = '';
    let ms = Infinity;
    for (let run = 0; run < (shape.runs ?? RUNS); run++) {
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
  // What the claim must not do: read the tasks other than through its partial index.
  const claim = summaries.find((s) => s.shape.startsWith('reminder-claim'))!;
  const throughIndex = claim.nodes.includes('tasks_reminders_idx') && !claim.seqScans.some((scan) => scan.startsWith('tasks '));
  console.log(`\nreminder-claim reads the due reminders through tasks_reminders_idx, with no scan of tasks: ${throughIndex ? 'yes' : 'NO'}`);
  await closeDb();
}

// ---------------------------------------------------------------------------------------------
// The parent: seeds each database, runs the worker on it, drops it.

async function explainOn(target: DatabaseTarget): Promise<boolean> {
  console.error(`== ${target.label}: seeding`);
  const { seed, seconds } = await prepareDatabase(target, { clearUsers: 1, dueReminders: true, ...(args.vacuum ? { vacuum: true } : {}) });
  const { reminders } = seed;
  console.error(
    `   seeded in ${seconds.toFixed(1)} s; ${seed.big.id}'s reminders: ${reminders.due} due and armed, ${reminders.fired} fired, ${reminders.future} armed for later, ` +
      `${reminders.completedUnfired} passed on completed tasks; ${reminders.recurring} weekly tasks; ${reminders.notifications} notifications (${reminders.unread} unread), ` +
      `${reminders.otherNotifications} of other users`,
  );
  const vacuumed = args.vacuum || target.kind === 'postgres';
  const input: WorkerInput = {
    label: `${target.label}, ${vacuumed ? 'vacuumed after seeding' : 'not vacuumed (analyzed) after seeding'}`,
    bigUser: seed.big.id,
    clearUser: seed.clear[0]!.id,
    q: seed.finding.search.q,
    tag: seed.finding.tagWeek.tag,
    notifications: reminders.notifications,
    unread: reminders.unread,
    dueReminders: reminders.due,
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...databaseEnv(target),
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    // The worker signs nothing, but the app's configuration wants a secret beside a DATABASE_URL.
    BETTER_AUTH_SECRET: 'bench-explain-secret-not-used-for-anything-0123456789',
    // Nor does it mail: production would want SMTP_URL for email reminders and account mail.
    MAIL_REMINDERS: 'off',
    MAIL_ACCOUNTS: 'off',
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
