import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgliteExtensions } from '../src/server/db/pglite-extensions';

/**
 * The database a bench run prepares before the server starts: migrated with the app's own
 * migrations (drizzle/), then seeded directly in SQL (users, sessions and tasks; no sign-ups, which
 * Better Auth rate-limits to 3 per 10 s). The embedded database is seeded and closed before
 * `next start` opens it: PGlite allows one process per data directory.
 */

const MIGRATIONS = path.join(process.cwd(), 'drizzle');

export interface SqlClient {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'embedded'; label: string; dataDir: string }
  | { kind: 'postgres'; label: string; url: string; name: string };

export interface BenchUser {
  id: string;
  sessionToken: string;
  /** Ids and completed flags of the seeded tasks (mixed users only). */
  tasks: Map<number, boolean>;
}

export interface Seed {
  list: BenchUser;
  big: BenchUser;
  creator: BenchUser;
  mixed: BenchUser[];
}

export const LIST_TASKS = 20;
export const BIG_TASKS = 100_000;
export const MIXED_USERS = 50;
export const MIXED_TASKS = 20;

/** `embedded` → a fresh PGlite directory under the system temp dir; a postgres:// URL → a database the bench (re)creates. */
export function targetFor(spec: string): DatabaseTarget {
  if (spec === 'embedded') {
    return { kind: 'embedded', label: 'embedded (PGlite)', dataDir: mkdtempSync(path.join(os.tmpdir(), 'tasklane-bench-')) };
  }
  const url = new URL(spec);
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error(`--db must be "embedded" or a postgres:// URL, not ${spec}`);
  const name = decodeURIComponent(url.pathname.slice(1));
  // The bench drops and recreates this database: refuse any name that does not say it is the bench's.
  if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(name)) {
    throw new Error(`the --db database is dropped and recreated, so its name must contain "bench" (e.g. .../tasklane_bench), not "${name}"`);
  }
  return { kind: 'postgres', label: `PostgreSQL ${url.host}`, url: url.toString(), name };
}

/** The environment `next start` (and the ceiling server) need to open this database. */
export function databaseEnv(target: DatabaseTarget): Record<string, string> {
  return target.kind === 'embedded' ? { TASKLANE_DATA_DIR: target.dataDir } : { DATABASE_URL: target.url };
}

async function onServer(target: Extract<DatabaseTarget, { kind: 'postgres' }>, statement: string): Promise<void> {
  const admin = new URL(target.url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<SqlClient> {
  if (target.kind === 'embedded') {
    const { PGlite } = await import('@electric-sql/pglite');
    const client = new PGlite(path.join(target.dataDir, 'pglite'), { extensions: await pgliteExtensions() });
    return {
      query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query<R>(text, params)).rows }),
      close: () => client.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  return {
    query: async <R>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as R[] }),
    close: () => client.end(),
  };
}

async function migrate(target: DatabaseTarget): Promise<void> {
  if (target.kind === 'embedded') {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    const client = new PGlite(path.join(target.dataDir, 'pglite'), { extensions: await pgliteExtensions() });
    await run(drizzle({ client }), { migrationsFolder: MIGRATIONS });
    await client.close();
    return;
  }
  await onServer(target, `drop database if exists "${target.name}" with (force)`);
  await onServer(target, `create database "${target.name}"`);
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  await run(drizzle({ client }), { migrationsFolder: MIGRATIONS });
  await client.end();
}

/**
 * Inserts `perUser` tasks for each user in ONE statement, newest task last as the API would have
 * written them; every fourth done. task_counts follows by the same triggers as the API's writes.
 */
async function seedTasks(db: SqlClient, userIds: string[], perUser: number): Promise<void> {
  await db.query(
    `insert into tasks (user_id, title, description, completed)
     select u.id, 'Task ' || n || ' of ' || u.id, case when n % 3 = 0 then 'Some details about task ' || n end, n % 4 = 0
     from unnest($1::text[]) as u(id) cross join generate_series(1, $2::int) as n
     order by u.id, n`,
    [userIds, perUser],
  );
}

function benchUser(id: string): BenchUser {
  return { id, sessionToken: randomBytes(24).toString('base64url'), tasks: new Map() };
}

export async function prepareDatabase(target: DatabaseTarget): Promise<{ seed: Seed; seconds: number }> {
  const started = performance.now();
  await migrate(target);
  const seed: Seed = {
    list: benchUser('benchList'),
    big: benchUser('benchBig'),
    creator: benchUser('benchCreate'),
    mixed: Array.from({ length: MIXED_USERS }, (_, i) => benchUser(`benchMixed${String(i).padStart(2, '0')}`)),
  };
  const everyone = [seed.list, seed.big, seed.creator, ...seed.mixed];
  const db = await openDatabase(target);
  try {
    await db.query(
      `insert into "user" (id, name, email, email_verified)
       select id, 'Bench ' || id, lower(id) || '@bench.example', true from unnest($1::text[]) as u(id)`,
      [everyone.map((user) => user.id)],
    );
    await db.query(
      `insert into session (id, token, user_id, expires_at)
       select 'session' || u.id, u.token, u.id, now() + interval '7 days'
       from unnest($1::text[], $2::text[]) as u(id, token)`,
      [everyone.map((user) => user.id), everyone.map((user) => user.sessionToken)],
    );
    await seedTasks(db, [seed.list.id], LIST_TASKS);
    await seedTasks(db, [seed.big.id], BIG_TASKS);
    await seedTasks(db, seed.mixed.map((user) => user.id), MIXED_TASKS);
    const { rows } = await db.query<{ id: string | number; user_id: string; completed: boolean }>(
      `select id, user_id, completed from tasks where user_id = any($1::text[])`,
      [seed.mixed.map((user) => user.id)],
    );
    const byId = new Map(seed.mixed.map((user) => [user.id, user]));
    for (const row of rows) byId.get(row.user_id)!.tasks.set(Number(row.id), row.completed);
    // Fresh statistics, as a long-running database would have.
    await db.query('analyze');
  } finally {
    await db.close();
  }
  return { seed, seconds: (performance.now() - started) / 1000 };
}

export interface MixedCheck {
  users: number;
  expectedRows: number;
  actualRows: number;
  /** Tasks the API confirmed (created, or left alone) that are missing or in another state. */
  lostWrites: string[];
  /** Rows of a bench user that it never created, or that it deleted. */
  unexpectedRows: string[];
  /** task_counts rows that disagree with the rows. */
  counterMismatches: string[];
}

/** After the mixed scenario: every user's rows, exactly as its confirmed writes left them. */
export async function checkMixed(target: DatabaseTarget, users: BenchUser[]): Promise<MixedCheck> {
  const db = await openDatabase(target);
  try {
    const { rows } = await db.query<{ id: string | number; user_id: string; completed: boolean }>(
      `select id, user_id, completed from tasks where user_id like 'benchMixed%'`,
    );
    const { rows: counters } = await db.query<{ user_id: string; total: number; completed: number; actual_total: number; actual_completed: number }>(
      `select c.user_id, c.total, c.completed, count(t.id)::int as actual_total, (count(t.id) filter (where t.completed))::int as actual_completed
       from task_counts c left join tasks t on t.user_id = c.user_id
       where c.user_id like 'benchMixed%' group by c.user_id, c.total, c.completed`,
    );
    const check: MixedCheck = {
      users: users.length,
      expectedRows: users.reduce((sum, user) => sum + user.tasks.size, 0),
      actualRows: rows.length,
      lostWrites: [],
      unexpectedRows: [],
      counterMismatches: [],
    };
    const actual = new Map(rows.map((row) => [Number(row.id), row]));
    for (const user of users) {
      for (const [id, completed] of user.tasks) {
        const row = actual.get(id);
        if (!row) check.lostWrites.push(`${user.id}: task ${id} is missing`);
        else if (row.user_id !== user.id) check.unexpectedRows.push(`task ${id} of ${user.id} belongs to ${row.user_id}`);
        else if (row.completed !== completed) check.lostWrites.push(`${user.id}: task ${id} completed=${row.completed}, expected ${completed}`);
        actual.delete(id);
      }
    }
    for (const row of actual.values()) check.unexpectedRows.push(`${row.user_id}: task ${row.id} was never created by it, or was deleted`);
    for (const counter of counters) {
      if (counter.total !== counter.actual_total || counter.completed !== counter.actual_completed) {
        check.counterMismatches.push(
          `${counter.user_id}: counted ${counter.total}/${counter.completed}, rows ${counter.actual_total}/${counter.actual_completed}`,
        );
      }
    }
    if (counters.length !== users.length) check.counterMismatches.push(`${counters.length} counter rows for ${users.length} users`);
    return check;
  } finally {
    await db.close();
  }
}

export async function dropDatabase(target: DatabaseTarget): Promise<void> {
  if (target.kind === 'embedded') rmSync(target.dataDir, { recursive: true, force: true });
  else await onServer(target, `drop database if exists "${target.name}" with (force)`);
}
