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
export type PostgresTarget = Extract<DatabaseTarget, { kind: 'postgres' }>;

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
  /** One user per bulk-clear run: CLEAR_COMPLETED completed tasks and CLEAR_ACTIVE active ones each. */
  clear: BenchUser[];
  /** What the finding scenarios on the 100,000-task user must answer (counted in SQL after seeding). */
  finding: FindingExpectations;
  /** The 100,000-task user's reminders and notifications (counted in SQL after seeding). */
  reminders: ReminderExpectations;
}

export interface ReminderExpectations {
  /** Armed and due (remind_at passed, not fired, task pending): only with `dueReminders` (explain.ts). */
  due: number;
  /** Fired already (reminded_at set), each with its notification. */
  fired: number;
  /** Armed, due in the next 30 days. */
  future: number;
  /** Passed but never fired, on completed tasks: the claim must not pick them (nor its index hold them). */
  completedUnfired: number;
  /** Weekly tasks (recurrence set): completing one is completeTask's slow path. */
  recurring: number;
  /** The user's notifications, and how many are unread. */
  notifications: number;
  unread: number;
  /** Notifications of the other (mixed) users, so the table is not one user's. */
  otherNotifications: number;
  /** Pending tasks without a reminder, in a scattered order: reminders-fire arms FIRE_REMINDERS of them per round. */
  armable: number[];
}

export interface FindingExpectations {
  /** `q` of the search scenarios (two words) and how many of the user's tasks match it. */
  search: { q: string; total: number };
  /** The tag of tag-due, and how many of its tasks are due this week (the user's today and 6 days on). */
  tagWeek: { tag: string; total: number };
  /** The user's lists, tags and dated tasks, for the log line. */
  lists: number;
  tags: number;
  taskTags: number;
  dated: number;
}

export const LIST_TASKS = 20;
export const BIG_TASKS = 100_000;
export const MIXED_USERS = 50;
export const MIXED_TASKS = 20;
/**
 * The 100,000-task user's reminders, by task number n (every 100th task in each class, so each is
 * spread over the whole table): n % 100 = 1 armed and due (only with `dueReminders`), 3 fired
 * (for n ≤ 30,000: 300, with their notifications, the newest 50 unread), 4 passed but never fired
 * on a completed task, 5 armed for the next 30 days; n % 100 = 7 with a due date repeats weekly.
 */
export const BIG_FIRED_REMINDERS = 300;
export const BIG_UNREAD_NOTIFICATIONS = 50;
/** Notifications of each mixed user (10 unread), so notifications_unread_idx serves more than one user. */
const OTHER_NOTIFICATIONS = 100;
/** reminders-fire: reminders armed and fired per round, and rounds (each on other tasks). */
export const FIRE_REMINDERS = 1_000;
export const FIRE_ROUNDS = 3;
/** bulk-clear: one user per run (the embedded database cannot be re-seeded under the running server). */
export const CLEAR_RUNS = 3;
export const CLEAR_COMPLETED = 50_000;
export const CLEAR_ACTIVE = 5_000;

/** The 100,000-task user's lists and tags (each task 0 to 3 tags). */
const BIG_LISTS = ['Work', 'Personal', 'Groceries', 'Home', 'Projects', 'Errands', 'Health', 'Finance', 'Travel', 'Someday'];
const BIG_TAGS = [
  'work', 'home', 'errands', 'urgent', 'family', 'health', 'finance', 'shopping', 'travel', 'reading',
  'music', 'fitness', 'garden', 'car', 'kids', 'school', 'friends', 'projects', 'ideas', 'waiting',
  'someday', 'calls', 'email', 'office', 'weekend', 'pets', 'cooking', 'house', 'taxes', 'learning',
];
/**
 * Titles are 3 to 5 of these words: a word is in about 10 % of titles, two given words in about
 * 0.9 %. None is a substring of another, nor of the seeded descriptions ("Some details about task n").
 */
const TITLE_WORDS = [
  'buy', 'call', 'email', 'fix', 'review', 'plan', 'book', 'pay', 'clean', 'write',
  'send', 'check', 'update', 'order', 'schedule', 'prepare', 'cancel', 'renew', 'return', 'milk',
  'bread', 'report', 'invoice', 'garden', 'dentist', 'meeting', 'budget', 'slides', 'tickets', 'passport',
  'laundry', 'kitchen', 'garage', 'insurance', 'taxes', 'birthday', 'gift', 'flight', 'hotel', 'printer',
];
/** The search scenarios' query, and tag-due's tag. */
const SEARCH_Q = 'review budget';
const TAG_DUE_TAG = 'finance';

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

/** Another database of the bench's on the same server: `<name>_<suffix>`, dropped and recreated like its own. */
export function siblingTarget(target: PostgresTarget, suffix: string): PostgresTarget {
  const url = new URL(target.url);
  url.pathname = `/${target.name}_${suffix}`;
  return targetFor(url.toString()) as PostgresTarget;
}

/** The environment `next start` (and the ceiling server) need to open this database. */
export function databaseEnv(target: DatabaseTarget): Record<string, string> {
  return target.kind === 'embedded' ? { TASKLANE_DATA_DIR: target.dataDir } : { DATABASE_URL: target.url };
}

async function onServer(target: PostgresTarget, statement: string): Promise<void> {
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

/** Why the target's server does not answer (its error's message or code), or undefined when it does. */
export async function unreachable(target: PostgresTarget): Promise<string | undefined> {
  try {
    await onServer(target, 'select 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String((error as { code?: unknown }).code);
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

/** A fresh database with the app's migrations applied and no rows (a postgres one is dropped and recreated first). */
export async function migrate(target: DatabaseTarget): Promise<void> {
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

/**
 * A well-spread pseudo-random integer in [0, 2^31) for row `n` and draw `k`: deterministic, set-based
 * (no per-row function calls but PostgreSQL's own hash), the same on PGlite and PostgreSQL.
 */
const draw = (n: string, k: number) => `(hashint8(${n}::bigint * 64 + ${k}) & 2147483647)`;

/** The user's "today" as the task API computes it (the seeded users keep the default zone, UTC). */
const TODAY = `(now() at time zone 'UTC')::date`;

/** Lists and tags for each user: `names` of each, in order (lists take their position from it). */
async function seedListsAndTags(db: SqlClient, userIds: string[], listNames: string[], tagNames: string[]): Promise<void> {
  await db.query(
    `insert into lists (user_id, name, position)
     select u.id, l.name, l.ord - 1 from unnest($1::text[]) as u(id) cross join unnest($2::text[]) with ordinality as l(name, ord)
     order by u.id, l.ord`,
    [userIds, listNames],
  );
  await db.query(
    `insert into tags (user_id, name)
     select u.id, t.name from unnest($1::text[]) as u(id) cross join unnest($2::text[]) with ordinality as t(name, ord)
     order by u.id, t.ord`,
    [userIds, tagNames],
  );
}

/**
 * Gives each task of these users up to `maxTags` of its user's tags (0 to maxTags, each drawn
 * uniformly; a tag drawn twice is one), in one statement.
 */
async function seedTaskTags(db: SqlClient, userIds: string[], maxTags: number): Promise<void> {
  await db.query(
    `insert into task_tags (user_id, task_id, tag_id)
     select t.user_id, t.id, g.ids[1 + ${draw('t.id * 4 + j', 40)} % cardinality(g.ids)]
     from tasks t
     join (select user_id, array_agg(id order by id) as ids from tags where user_id = any($1::text[]) group by user_id) g on g.user_id = t.user_id
     cross join generate_series(1, $2::int) as j
     where t.user_id = any($1::text[]) and j <= ${draw('t.id', 41)} % ($2::int + 1)
     on conflict do nothing`,
    [userIds, maxTags],
  );
}

/**
 * The 100,000-task user, in one statement as before (newest last, every fourth done, every third
 * with a description) and now with the fields "Finding tasks" queries: 85 % in one of 10 lists,
 * priorities (none 50 %, low 20 %, medium 20 %, high 10 %), due dates over today ± 60 days (30 %
 * none; a quarter of the dated ones at a time of day), titles of 3 to 5 words from TITLE_WORDS, and
 * 0 to 3 of 30 tags; reminders and weekly repetition as BIG_FIRED_REMINDERS says (`dueReminders`:
 * with the armed due ones, which only bench/explain.ts wants: `npm start`'s timer would fire them at
 * once). The task triggers keep task_counts and the lists' counts, as for the API's writes.
 */
async function seedBigUser(db: SqlClient, userId: string, count: number, dueReminders: boolean): Promise<FindingExpectations> {
  await seedListsAndTags(db, [userId], BIG_LISTS, BIG_TAGS);
  const word = (k: number) => `w.words[1 + ${draw('n', k)} % cardinality(w.words)]`;
  const dated = `${draw('n', 5)} % 100 >= 30`;
  const dueDate = `${TODAY} + (${draw('n', 6)} % 121 - 60)`;
  // Reminders and repetition (see BIG_FIRED_REMINDERS), set by the insert itself: no update leaves dead rows behind.
  const seconds = (k: number, span: number) => `make_interval(secs => (${draw('n', k)} % ${span})::double precision)`;
  const firedAt = `now() - interval '1 day' - ${seconds(21, 29 * 86_400)}`;
  const isFired = `n % 100 = 3 and n <= ${BIG_FIRED_REMINDERS * 100}`;
  await db.query(
    `insert into tasks (user_id, list_id, title, description, completed, priority, due_date, due_time, remind_at, reminded_at, recurrence, recur_start)
     select $1, case when ${draw('n', 1)} % 100 < 15 then null else l.ids[1 + ${draw('n', 2)} % cardinality(l.ids)] end,
       initcap(${word(10)}) || ' ' || array_to_string(array[${word(11)}, ${word(12)},
         case when ${draw('n', 13)} % 3 > 0 then ${word(14)} end, case when ${draw('n', 13)} % 3 = 2 then ${word(15)} end], ' '),
       case when n % 3 = 0 then 'Some details about task ' || n end,
       n % 4 = 0,
       (array['none', 'none', 'none', 'none', 'none', 'low', 'low', 'medium', 'medium', 'high'])[1 + ${draw('n', 3)} % 10]::task_priority,
       case when ${dated} then ${dueDate} end,
       case when ${dated} and ${draw('n', 7)} % 4 = 0 then make_time(8 + ${draw('n', 8)} % 12, 15 * (${draw('n', 9)} % 4), 0) end,
       case
         when n % 100 = 1 and $4::boolean then now() - interval '1 second' - ${seconds(20, 86_400)}
         when ${isFired} then ${firedAt}
         when n % 100 = 4 then now() - interval '1 second' - ${seconds(22, 30 * 86_400)}
         when n % 100 = 5 then now() + interval '1 hour' + ${seconds(23, 30 * 86_400)}
       end,
       case when ${isFired} then ${firedAt} + interval '1 second' end,
       case when n % 100 = 7 and ${dated} then 'FREQ=WEEKLY' end,
       case when n % 100 = 7 and ${dated} then ${dueDate} end
     from generate_series(1, $2::int) as n
     cross join (select array_agg(id order by position) as ids from lists where user_id = $1) as l
     cross join (select $3::text[] as words) as w
     order by n`,
    [userId, count, TITLE_WORDS, dueReminders],
  );
  await seedTaskTags(db, [userId], 3);
  const words = SEARCH_Q.split(' ');
  const [expected] = (
    await db.query<{ search: number; tag_week: number; lists: number; tags: number; task_tags: number; dated: number }>(
      `select
         (select count(*)::int from tasks where user_id = $1
            and (title || ' ' || coalesce(description, '')) ilike '%' || $2 || '%' and (title || ' ' || coalesce(description, '')) ilike '%' || $3 || '%') as search,
         (select count(*)::int from tasks t join task_tags tt on tt.user_id = t.user_id and tt.task_id = t.id
            join tags g on g.user_id = tt.user_id and g.id = tt.tag_id
            where t.user_id = $1 and lower(g.name) = $4 and t.due_date between ${TODAY} and ${TODAY} + 6) as tag_week,
         (select count(*)::int from lists where user_id = $1) as lists,
         (select count(*)::int from tags where user_id = $1) as tags,
         (select count(*)::int from task_tags where user_id = $1) as task_tags,
         (select count(*)::int from tasks where user_id = $1 and due_date is not null) as dated`,
      [userId, words[0], words[1], TAG_DUE_TAG],
    )
  ).rows;
  return {
    search: { q: SEARCH_Q, total: expected!.search },
    tagWeek: { tag: TAG_DUE_TAG, total: expected!.tag_week },
    lists: expected!.lists,
    tags: expected!.tags,
    taskTags: expected!.task_tags,
    dated: expected!.dated,
  };
}

/**
 * The notifications of the big user's fired reminders (the newest BIG_UNREAD_NOTIFICATIONS unread)
 * and OTHER_NOTIFICATIONS of each other user (10 unread, no task: deleted since), in one statement
 * in the order they fired, so the users' rows are interleaved as a real table's would be.
 */
async function seedNotifications(db: SqlClient, bigUser: string, others: string[]): Promise<void> {
  await db.query(
    `insert into notifications (user_id, task_id, title, fire_at, read_at, created_at)
     select user_id, task_id, title, fire_at, read_at, fire_at from (
       select t.user_id, t.id as task_id, t.title, t.remind_at as fire_at,
         case when row_number() over (order by t.remind_at desc) > $2 then t.remind_at + interval '1 hour' end as read_at
       from tasks t where t.user_id = $1 and t.reminded_at is not null
       union all
       select u.id, null, 'Reminder ' || k, now() - make_interval(hours => k * 7),
         case when k > 10 then now() - make_interval(hours => k * 7) + interval '1 hour' end
       from unnest($3::text[]) as u(id) cross join generate_series(1, $4::int) as k
     ) as fired
     order by fire_at`,
    [bigUser, BIG_UNREAD_NOTIFICATIONS, others, OTHER_NOTIFICATIONS],
  );
}

/** What the big user's reminders and notifications came to, counted in SQL. */
async function reminderExpectations(db: SqlClient, userId: string): Promise<ReminderExpectations> {
  const [counts] = (
    await db.query<Omit<ReminderExpectations, 'armable'>>(
      `select
         (select count(*)::int from tasks where user_id = $1 and remind_at <= now() and reminded_at is null and not completed) as due,
         (select count(*)::int from tasks where user_id = $1 and reminded_at is not null) as fired,
         (select count(*)::int from tasks where user_id = $1 and remind_at > now() and reminded_at is null and not completed) as future,
         (select count(*)::int from tasks where user_id = $1 and remind_at <= now() and reminded_at is null and completed) as "completedUnfired",
         (select count(*)::int from tasks where user_id = $1 and recurrence is not null) as recurring,
         (select count(*)::int from notifications where user_id = $1) as notifications,
         (select count(*)::int from notifications where user_id = $1 and read_at is null) as unread,
         (select count(*)::int from notifications where user_id <> $1) as "otherNotifications"`,
      [userId],
    )
  ).rows;
  const { rows } = await db.query<{ id: string | number }>(
    `select id from tasks where user_id = $1 and not completed and remind_at is null and recurrence is null order by ${draw('id', 30)} limit $2`,
    [userId, FIRE_REMINDERS * FIRE_ROUNDS],
  );
  return { ...counts!, armable: rows.map((row) => Number(row.id)) };
}

/**
 * bulk-clear's users: CLEAR_COMPLETED completed and CLEAR_ACTIVE active tasks each (every 11th
 * active), over 3 lists and the Inbox, with 0 to 2 of 5 tags (so the delete cascades to task_tags
 * as a real one would).
 */
async function seedClearUsers(db: SqlClient, userIds: string[]): Promise<void> {
  const perUser = CLEAR_COMPLETED + CLEAR_ACTIVE;
  const every = perUser / CLEAR_ACTIVE;
  await seedListsAndTags(db, userIds, ['Work', 'Home', 'Errands'], ['work', 'home', 'urgent', 'calls', 'email']);
  await db.query(
    `insert into tasks (user_id, list_id, title, completed)
     select u.id, case when n % 4 = 0 then null else l.ids[1 + n % cardinality(l.ids)] end, 'Done ' || n, n % $3::int <> 0
     from unnest($1::text[]) as u(id)
     join (select user_id, array_agg(id order by position) as ids from lists where user_id = any($1::text[]) group by user_id) as l on l.user_id = u.id
     cross join generate_series(1, $2::int) as n
     order by u.id, n`,
    [userIds, perUser, every],
  );
  await seedTaskTags(db, userIds, 2);
}

/** The trigger-kept counters of these users (task_counts, and each list's task_count/open_count) against their rows. */
export async function checkCounters(db: SqlClient, userIds: string[]): Promise<string[]> {
  const { rows: users } = await db.query<{ user_id: string; total: number | null; completed: number | null; actual_total: number; actual_completed: number }>(
    `select u.id as user_id, c.total, c.completed,
       (select count(*)::int from tasks t where t.user_id = u.id) as actual_total,
       (select count(*)::int from tasks t where t.user_id = u.id and t.completed) as actual_completed
     from unnest($1::text[]) as u(id) left join task_counts c on c.user_id = u.id`,
    [userIds],
  );
  const { rows: lists } = await db.query<{ user_id: string; id: string | number; task_count: number; open_count: number; actual_total: number; actual_open: number }>(
    `select l.user_id, l.id, l.task_count, l.open_count,
       (select count(*)::int from tasks t where t.user_id = l.user_id and t.list_id = l.id) as actual_total,
       (select count(*)::int from tasks t where t.user_id = l.user_id and t.list_id = l.id and not t.completed) as actual_open
     from lists l where l.user_id = any($1::text[])`,
    [userIds],
  );
  const mismatches: string[] = [];
  for (const user of users) {
    if ((user.total ?? 0) !== user.actual_total || (user.completed ?? 0) !== user.actual_completed) {
      mismatches.push(`${user.user_id}: task_counts ${user.total}/${user.completed}, rows ${user.actual_total}/${user.actual_completed}`);
    }
  }
  for (const list of lists) {
    if (list.task_count !== list.actual_total || list.open_count !== list.actual_open) {
      mismatches.push(`${list.user_id} list ${list.id}: counts ${list.task_count}/${list.open_count} open, rows ${list.actual_total}/${list.actual_open} open`);
    }
  }
  return mismatches;
}

function benchUser(id: string): BenchUser {
  return { id, sessionToken: randomBytes(24).toString('base64url'), tasks: new Map() };
}

/** A bench user's email, as its row has it (and as the access tokens of it carry it). */
export function benchEmail(user: BenchUser): string {
  return `${user.id.toLowerCase()}@bench.example`;
}

/** The users and a session each, written directly: the bench signs their cookies itself (run.ts). */
async function seedUsers(db: SqlClient, users: BenchUser[]): Promise<void> {
  await db.query(
    `insert into "user" (id, name, email, email_verified)
     select u.id, 'Bench ' || u.id, u.email, true from unnest($1::text[], $2::text[]) as u(id, email)`,
    [users.map((user) => user.id), users.map(benchEmail)],
  );
  await db.query(
    `insert into session (id, token, user_id, expires_at)
     select 'session' || u.id, u.token, u.id, now() + interval '7 days'
     from unnest($1::text[], $2::text[]) as u(id, token)`,
    [users.map((user) => user.id), users.map((user) => user.sessionToken)],
  );
}

/**
 * `clearUsers`: how many bulk-clear users to seed (CLEAR_RUNS; bench/explain.ts needs one).
 * `vacuum`: VACUUM ANALYZE after seeding (default: on PostgreSQL only, see below) or ANALYZE only.
 * `dueReminders`: also arm a reminder that is due on every 100th of the big user's tasks (explain.ts).
 */
export async function prepareDatabase(
  target: DatabaseTarget,
  { clearUsers = CLEAR_RUNS, vacuum = target.kind === 'postgres', dueReminders = false }: { clearUsers?: number; vacuum?: boolean; dueReminders?: boolean } = {},
): Promise<{ seed: Seed; seconds: number }> {
  const started = performance.now();
  await migrate(target);
  const seed: Seed = {
    list: benchUser('benchList'),
    big: benchUser('benchBig'),
    creator: benchUser('benchCreate'),
    mixed: Array.from({ length: MIXED_USERS }, (_, i) => benchUser(`benchMixed${String(i).padStart(2, '0')}`)),
    clear: Array.from({ length: clearUsers }, (_, i) => benchUser(`benchClear${i}`)),
    finding: undefined as never,
    reminders: undefined as never,
  };
  const everyone = [seed.list, seed.big, seed.creator, ...seed.mixed, ...seed.clear];
  const db = await openDatabase(target);
  try {
    await seedUsers(db, everyone);
    await seedTasks(db, [seed.list.id], LIST_TASKS);
    seed.finding = await seedBigUser(db, seed.big.id, BIG_TASKS, dueReminders);
    await seedTasks(db, seed.mixed.map((user) => user.id), MIXED_TASKS);
    await seedNotifications(db, seed.big.id, seed.mixed.map((user) => user.id));
    seed.reminders = await reminderExpectations(db, seed.big.id);
    if (seed.clear.length > 0) await seedClearUsers(db, seed.clear.map((user) => user.id));
    // The triggers kept the counters through the set-based inserts: make sure, before anything is measured.
    const mismatches = await checkCounters(db, [seed.big.id, ...seed.clear.map((user) => user.id)]);
    if (mismatches.length > 0) throw new Error(`the seeded counters disagree with the rows:\n  ${mismatches.join('\n  ')}`);
    const { rows } = await db.query<{ id: string | number; user_id: string; completed: boolean }>(
      `select id, user_id, completed from tasks where user_id = any($1::text[])`,
      [seed.mixed.map((user) => user.id)],
    );
    const byId = new Map(seed.mixed.map((user) => [user.id, user]));
    for (const row of rows) byId.get(row.user_id)!.tasks.set(Number(row.id), row.completed);
    // Fresh statistics, as a long-running database would have; on PostgreSQL also what autovacuum
    // would have done to the seeded rows by then (the visibility map that index-only scans need,
    // GIN's pending list merged), now rather than under the first scenarios. PGlite runs no
    // autovacuum (one standalone backend): an embedded database is never vacuumed, nor is it here.
    await db.query(vacuum ? 'vacuum analyze' : 'analyze');
  } finally {
    await db.close();
  }
  return { seed, seconds: (performance.now() - started) / 1000 };
}

/**
 * A fresh database holding one user and its session, and no tasks: the app in front of the FastAPI
 * fixture (run.ts's backend pair) only checks the session, the fixture keeps the tasks.
 */
export async function prepareSessionOnly(target: DatabaseTarget, id: string): Promise<BenchUser> {
  await migrate(target);
  const user = benchUser(id);
  const db = await openDatabase(target);
  try {
    await seedUsers(db, [user]);
  } finally {
    await db.close();
  }
  return user;
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

export interface ClearCheck {
  /** Users whose completed tasks are not all gone, or whose active tasks are not all there. */
  wrongRows: string[];
  counterMismatches: string[];
}

/**
 * After bulk-clear: each cleared user has exactly its CLEAR_ACTIVE active tasks left (none
 * completed), and its task_counts row and lists' counts agree with them.
 */
export async function checkBulkClear(target: DatabaseTarget, users: BenchUser[]): Promise<ClearCheck> {
  const db = await openDatabase(target);
  try {
    const ids = users.map((user) => user.id);
    const { rows } = await db.query<{ user_id: string; active: number; completed: number; tagged: number }>(
      `select u.id as user_id,
         (select count(*)::int from tasks t where t.user_id = u.id and not t.completed) as active,
         (select count(*)::int from tasks t where t.user_id = u.id and t.completed) as completed,
         (select count(*)::int from task_tags tt where tt.user_id = u.id
            and not exists (select 1 from tasks t where t.user_id = tt.user_id and t.id = tt.task_id)) as tagged
       from unnest($1::text[]) as u(id)`,
      [ids],
    );
    const wrongRows = rows
      .filter((row) => row.active !== CLEAR_ACTIVE || row.completed !== 0 || row.tagged !== 0)
      .map((row) => `${row.user_id}: ${row.active} active (expected ${CLEAR_ACTIVE}), ${row.completed} completed (expected 0), ${row.tagged} tag links to deleted tasks`);
    return { wrongRows, counterMismatches: await checkCounters(db, ids) };
  } finally {
    await db.close();
  }
}

/**
 * After reminders-fire: each reminder it armed fired exactly once (reminded_at set, one
 * notification of that task, none twice); the problems found, none when all is well.
 */
export async function checkReminders(target: DatabaseTarget, userId: string, taskIds: number[]): Promise<string[]> {
  const db = await openDatabase(target);
  try {
    const [row] = (
      await db.query<{ unfired: number; notified: number; notifications: number }>(
        `select
           (select count(*)::int from tasks where user_id = $1 and id = any($2::bigint[]) and reminded_at is null) as unfired,
           (select count(distinct task_id)::int from notifications where user_id = $1 and task_id = any($2::bigint[])) as notified,
           (select count(*)::int from notifications where user_id = $1 and task_id = any($2::bigint[])) as notifications`,
        [userId, taskIds],
      )
    ).rows;
    const problems: string[] = [];
    if (row!.unfired !== 0) problems.push(`${row!.unfired} of the ${taskIds.length} armed reminders never fired`);
    if (row!.notified !== taskIds.length) problems.push(`${row!.notified} of the ${taskIds.length} armed tasks have a notification`);
    if (row!.notifications !== row!.notified) problems.push(`${row!.notifications - row!.notified} notifications more than once for a task`);
    return problems;
  } finally {
    await db.close();
  }
}

export async function dropDatabase(target: DatabaseTarget): Promise<void> {
  if (target.kind === 'embedded') rmSync(target.dataDir, { recursive: true, force: true });
  else await onServer(target, `drop database if exists "${target.name}" with (force)`);
}

// ---------------------------------------------------------------------------------------------
// The FastAPI fixture's database (interop/fastapi): its one table, `interop_task`, which the
// fixture creates when it starts (and the database too, when it is missing).

/** The interop tests' server (support/fastapi.ts's default), for when no postgres --db names one. */
const INTEROP_SERVER = 'postgres://postgres@127.0.0.1:5432/tasklane_bench';

/**
 * The fixture's database: `<name>_interop` beside the postgres --db if there is one, else
 * `tasklane_bench_interop` on the interop tests' server; never the tests' own `tasklane_interop`.
 */
export function interopTarget(postgres: PostgresTarget | undefined): PostgresTarget {
  return siblingTarget(postgres ?? (targetFor(INTEROP_SERVER) as PostgresTarget), 'interop');
}

/**
 * The soak's database (bench/soak.ts): `<name>_soak` beside the postgres --db if there is one, else
 * `tasklane_bench_soak` on the same default server as the fixture's.
 */
export function soakTarget(postgres: PostgresTarget | undefined): PostgresTarget {
  return siblingTarget(postgres ?? (targetFor(INTEROP_SERVER) as PostgresTarget), 'soak');
}

/**
 * `count` tasks of `userId` in the fixture's table, written as seedTasks writes the app's (every
 * third with a description, every fourth done); their ids newest first, the fixture's list order.
 */
export async function seedInteropTasks(target: PostgresTarget, userId: string, count: number): Promise<number[]> {
  const db = await openDatabase(target);
  try {
    // No column defaults in that table: SQLModel fills the timestamps in Python, as naive UTC.
    const { rows } = await db.query<{ id: number }>(
      `insert into interop_task (user_id, title, description, completed, created_at, updated_at)
       select $1::text, 'Task ' || n || ' of ' || $1::text, case when n % 3 = 0 then 'Some details about task ' || n end, n % 4 = 0,
         now() at time zone 'utc', now() at time zone 'utc'
       from generate_series(1, $2::int) as n
       order by n
       returning id`,
      [userId, count],
    );
    return rows.map((row) => row.id).sort((a, b) => b - a);
  } finally {
    await db.close();
  }
}
