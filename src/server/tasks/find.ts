import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { fieldProblem } from '@/lib/api/problem';
import type { CursorPosition, ListTasksQuery, TaskFilter } from '@/lib/api/task-schemas';
import { addDays, zonedNow } from '@/lib/dates';
import { getDb, type Db } from '@/server/db/client';
import { UserGoneError } from '@/server/db/errors';
import { lists, tags, taskCounts, tasks, taskTags, users } from '@/server/db/schema';
import { taskWithTags, type TaskWithTags } from './queries';

// "Finding tasks": the filters as one `where`, each sort as a keyset walk over an index of its own
// (schema.ts), and X-Total-Count from a counter where one exists. Every query names the user first.
// The shapes and their plans: docs/decisions/0013-finding-tasks.md.

/** The text the search looks in; the same expression as tasks_search_idx, so the index serves it. */
const searchText = sql`(${tasks.title} || ' ' || coalesce(${tasks.description}, ''))`;

/** `word` as an ILIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally. */
function containing(word: string): string {
  return `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The user's "today" and "now", for the due filters: their time zone (default UTC). */
async function clockOf(db: Db, userId: string): Promise<{ date: string; time: string }> {
  const [user] = await db.select({ timezone: users.timezone }).from(users).where(eq(users.id, userId));
  if (!user) throw new UserGoneError();
  return zonedNow(user.timezone);
}

function needsClock(filter: TaskFilter): boolean {
  return filter.due === 'overdue' || filter.due === 'today' || filter.due === 'week';
}

/** A list filter's list must be the user's own: 422 on `list` otherwise (the same for unknown and foreign ids). */
async function assertOwnList(db: Db, userId: string, list: TaskFilter['list'], path: string): Promise<void> {
  if (list === undefined || list === 'inbox') return;
  const [found] = await db
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.userId, userId), eq(lists.id, list)));
  if (!found) throw fieldProblem(path, 'must be one of your list ids, or inbox', 'The query');
}

/** The user's tasks that match `filter`, as one condition (also the bulk changes' `filter`). */
export async function matching(db: Db, userId: string, filter: TaskFilter & { words: string[] }, listPath = 'list'): Promise<SQL> {
  await assertOwnList(db, userId, filter.list, listPath);
  const today = needsClock(filter) ? await clockOf(db, userId) : undefined;
  const conditions: (SQL | undefined)[] = [eq(tasks.userId, userId)];
  if (filter.status === 'pending') conditions.push(eq(tasks.completed, false));
  if (filter.status === 'completed') conditions.push(eq(tasks.completed, true));
  for (const word of filter.words) conditions.push(sql`${searchText} ilike ${containing(word)}`);
  if (filter.priority) conditions.push(inArray(tasks.priority, filter.priority));
  for (const tag of filter.tag ?? []) {
    conditions.push(sql`exists (
      select 1 from ${taskTags}
      where ${taskTags.userId} = ${userId} and ${taskTags.taskId} = ${tasks.id}
        and ${taskTags.tagId} = (select ${tags.id} from ${tags} where ${tags.userId} = ${userId} and lower(${tags.name}) = ${tag.toLowerCase()})
    )`);
  }
  if (filter.list === 'inbox') conditions.push(isNull(tasks.listId));
  else if (filter.list !== undefined) conditions.push(eq(tasks.listId, filter.list));
  switch (filter.due) {
    case 'overdue':
      conditions.push(
        eq(tasks.completed, false),
        sql`(${tasks.dueDate} < ${today!.date}::date or (${tasks.dueDate} = ${today!.date}::date and ${tasks.dueTime} < ${today!.time}::time))`,
      );
      break;
    case 'today':
      conditions.push(sql`${tasks.dueDate} = ${today!.date}::date`);
      break;
    case 'week':
      conditions.push(sql`${tasks.dueDate} between ${today!.date}::date and ${addDays(today!.date, 6)}::date`);
      break;
    case 'none':
      conditions.push(isNull(tasks.dueDate));
      break;
    case 'scheduled':
      conditions.push(isNotNull(tasks.dueDate));
      break;
  }
  if (filter.due_from) conditions.push(sql`${tasks.dueDate} >= ${filter.due_from}::date`);
  if (filter.due_to) conditions.push(sql`${tasks.dueDate} <= ${filter.due_to}::date`);
  return and(...conditions)!;
}

interface SortPlan {
  orderBy: SQL[];
  /** The row's keys as text, for the next page's cursor. */
  keys: SQL<string[]>;
  /** The rows after a cursor's position, in this order. */
  after: (position: CursorPosition) => SQL;
}

const dueDateAsc = sql`coalesce(${tasks.dueDate}, 'infinity'::date)`;
const dueDateDesc = sql`coalesce(${tasks.dueDate}, '-infinity'::date)`;
const dueTime = sql`coalesce(${tasks.dueTime}, '24:00'::time)`;
const titleKey = sql`lower(${tasks.title}) collate "C"`;
const negativeId = sql`(-${tasks.id})`;

/**
 * Each sort's order, keys and keyset condition, written to match an index (schema.ts) so a page
 * is a range read of it. Ties are broken by id descending in both orders; tasks without a due
 * date come last in both orders of `due`, and a day's untimed tasks after its timed ones ('24:00').
 */
function sortPlan(query: Pick<ListTasksQuery, 'sort' | 'order'>): SortPlan {
  const ascending = query.order === 'asc';
  switch (query.sort) {
    case 'created':
      return {
        orderBy: [ascending ? asc(tasks.id) : desc(tasks.id)],
        keys: sql`array[]::text[]`,
        after: ({ id }) => (ascending ? sql`${tasks.id} > ${id}` : sql`${tasks.id} < ${id}`),
      };
    case 'updated':
      // Ties on updated_at are rare (every write moves it): ascending reads the index forward and
      // orders the few equal ones by id descending. Its keyset condition (mixed directions, so no
      // row comparison) leads with the bound `>=` the index can start at: an OR alone is a filter,
      // and a page N pages deep would step over every row before it.
      return {
        orderBy: ascending ? [asc(tasks.updatedAt), desc(tasks.id)] : [desc(tasks.updatedAt), desc(tasks.id)],
        keys: sql`array[${tasks.updatedAt}::text]`,
        after: ({ keys: [at], id }) =>
          ascending
            ? sql`(${tasks.updatedAt} >= ${at}::timestamptz and (${tasks.updatedAt} > ${at}::timestamptz or ${tasks.id} < ${id}))`
            : sql`(${tasks.updatedAt}, ${tasks.id}) < (${at}::timestamptz, ${id})`,
      };
    case 'title':
      return {
        orderBy: ascending ? [sql`${titleKey} asc`, desc(tasks.id)] : [sql`${titleKey} desc`, desc(tasks.id)],
        keys: sql`array[lower(${tasks.title})]`,
        // Ascending: the same `>=` start as `updated` ascending.
        after: ({ keys: [title], id }) =>
          ascending
            ? sql`(${titleKey} >= ${title} collate "C" and (${titleKey} > ${title} collate "C" or ${tasks.id} < ${id}))`
            : sql`(${titleKey}, ${tasks.id}) < (${title} collate "C", ${id})`,
      };
    case 'priority':
      return ascending
        ? {
            orderBy: [asc(tasks.priority), sql`${negativeId} asc`],
            keys: sql`array[${tasks.priority}::text]`,
            after: ({ keys: [priority], id }) => sql`(${tasks.priority}, ${negativeId}) > (${priority}::task_priority, ${-id})`,
          }
        : {
            orderBy: [desc(tasks.priority), desc(tasks.id)],
            keys: sql`array[${tasks.priority}::text]`,
            after: ({ keys: [priority], id }) => sql`(${tasks.priority}, ${tasks.id}) < (${priority}::task_priority, ${id})`,
          };
    case 'due':
      return ascending
        ? {
            orderBy: [sql`${dueDateAsc} asc`, sql`${dueTime} asc`, sql`${negativeId} asc`],
            keys: sql`array[${dueDateAsc}::text, ${dueTime}::text]`,
            after: ({ keys: [date, time], id }) => sql`(${dueDateAsc}, ${dueTime}, ${negativeId}) > (${date}::date, ${time}::time, ${-id})`,
          }
        : {
            orderBy: [sql`${dueDateDesc} desc`, sql`${dueTime} desc`, desc(tasks.id)],
            keys: sql`array[${dueDateDesc}::text, ${dueTime}::text]`,
            after: ({ keys: [date, time], id }) => sql`(${dueDateDesc}, ${dueTime}, ${tasks.id}) < (${date}::date, ${time}::time, ${id})`,
          };
  }
}

export interface TaskPage {
  tasks: TaskWithTags[];
  total: number;
  /** Where the next page starts, when another page follows. */
  next: CursorPosition | undefined;
}

/** Only a status (or nothing): the counts are the user's counter row. */
function isStatusOnly(query: ListTasksQuery): boolean {
  return query.words.length === 0 && !query.priority && !query.tag && query.list === undefined && !query.due && !query.due_from && !query.due_to;
}

const ofStatus = (status: ListTasksQuery['status'], all: number, done: number) => (status === 'completed' ? done : status === 'pending' ? all - done : all);

/**
 * X-Total-Count, and whether the user still exists (a deleted user's token gets 401), in one
 * statement: the counter row for a status alone (task_counts, prepared) or a list (lists.task_count and
 * open_count, the Inbox being the rest), else a count of the matching rows, which the filter's
 * own index bounds.
 */
async function countMatching(db: Db, userId: string, query: ListTasksQuery, where: SQL): Promise<number> {
  if (isStatusOnly(query)) return statusCount(db, userId, query.status);
  const listOnly = query.list !== undefined && isStatusOnly({ ...query, list: undefined });
  if (listOnly && query.list === 'inbox') {
    const listed = (column: SQLWrapper) => sql<number>`(select coalesce(sum(${column}), 0)::int from ${lists} where ${lists.userId} = ${users.id})`;
    const [counts] = await db
      .select({ total: taskCounts.total, completed: taskCounts.completed, listed: listed(lists.taskCount), listedOpen: listed(lists.openCount) })
      .from(users)
      .leftJoin(taskCounts, eq(taskCounts.userId, users.id))
      .where(eq(users.id, userId));
    if (!counts) throw new UserGoneError();
    const total = (counts.total ?? 0) - counts.listed;
    const done = (counts.completed ?? 0) - (counts.listed - counts.listedOpen);
    return ofStatus(query.status, total, done);
  }
  if (listOnly) {
    const [list] = await db
      .select({ total: lists.taskCount, open: lists.openCount })
      .from(lists)
      .where(and(eq(lists.userId, userId), eq(lists.id, query.list as number)));
    return list ? ofStatus(query.status, list.total, list.total - list.open) : 0;
  }
  const [row] = await db
    .select({ count: sql<number>`(select count(*)::int from ${tasks} where ${where})` })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) throw new UserGoneError();
  return row.count;
}

/**
 * The plain list (newest first, a status at most: the app's first page and most API clients'),
 * as prepared statements: built once per client, and on PostgreSQL planned once per connection.
 * The bench's bearer-list lost a quarter of its throughput when the general path grew filters,
 * sorts and tags; this path wins it back (0013).
 */
function plainStatements(db: Db) {
  let prepared = plainCache.get(db);
  if (!prepared) {
    const page = (status: ListTasksQuery['status']) =>
      db
        .select(taskWithTags)
        .from(tasks)
        .where(
          and(
            eq(tasks.userId, sql.placeholder('userId')),
            sql`${tasks.id} < ${sql.placeholder('before')}`,
            status === 'pending' ? eq(tasks.completed, false) : status === 'completed' ? eq(tasks.completed, true) : undefined,
          ),
        )
        .orderBy(desc(tasks.id))
        .limit(sql.placeholder('limit'))
        .prepare(`tasks_plain_${status}`);
    prepared = {
      pages: { all: page('all'), pending: page('pending'), completed: page('completed') },
      counts: db
        .select({ total: taskCounts.total, completed: taskCounts.completed })
        .from(users)
        .leftJoin(taskCounts, eq(taskCounts.userId, users.id))
        .where(eq(users.id, sql.placeholder('userId')))
        .prepare('tasks_plain_counts'),
    };
    plainCache.set(db, prepared);
  }
  return prepared;
}
/** A prepared statement, as far as this file runs it. */
interface Prepared<Row> {
  execute: (values: Record<string, unknown>) => Promise<Row[]>;
}
const plainCache = new WeakMap<
  Db,
  { pages: Record<ListTasksQuery['status'], Prepared<TaskWithTags>>; counts: Prepared<{ total: number | null; completed: number | null }> }
>();

/** Larger than any task id: the first page's `before`. */
const NO_CURSOR = '9223372036854775807';

/** The user's tasks of a status, from their counter row (the prepared statement); a deleted user is a UserGoneError. */
async function statusCount(db: Db, userId: string, status: ListTasksQuery['status']): Promise<number> {
  const [row] = await plainStatements(db).counts.execute({ userId });
  if (!row) throw new UserGoneError();
  return ofStatus(status, row.total ?? 0, row.completed ?? 0);
}

async function plainPage(db: Db, userId: string, query: ListTasksQuery): Promise<TaskPage> {
  const [rows, total] = await Promise.all([
    plainStatements(db).pages[query.status].execute({ userId, before: query.after ? String(query.after.id) : NO_CURSOR, limit: query.limit + 1 }),
    statusCount(db, userId, query.status),
  ]);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    tasks: page,
    total,
    next: more && last ? { keys: [], id: last.id } : undefined,
  };
}

/** One page of the user's tasks matching the query, in its order, from its cursor on; and how many match in all. */
export async function listTasks(userId: string, query: ListTasksQuery): Promise<TaskPage> {
  const db = await getDb();
  if (query.sort === 'created' && query.order === 'desc' && isStatusOnly(query)) return plainPage(db, userId, query);
  const where = await matching(db, userId, query);
  const plan = sortPlan(query);
  const [rows, total] = await Promise.all([
    db
      .select({ ...taskWithTags, sortKeys: plan.keys })
      .from(tasks)
      .where(query.after ? and(where, plan.after(query.after)) : where)
      .orderBy(...plan.orderBy)
      .limit(query.limit + 1),
    countMatching(db, userId, query, where),
  ]);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page.at(-1);
  return {
    tasks: page.map(({ sortKeys: _keys, ...task }) => task),
    total,
    next: more && last ? { keys: last.sortKeys, id: last.id } : undefined,
  };
}
