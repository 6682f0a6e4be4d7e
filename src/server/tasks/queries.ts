import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { toTaskFields } from '@/lib/api/task-json';
import type { CreateTaskInput, ListTasksQuery, TaskStatus, UpdateTaskInput } from '@/lib/api/task-schemas';
import { getDb, type Db } from '@/server/db/client';
import { errorCodes, FOREIGN_KEY_VIOLATION, UserGoneError } from '@/server/db/errors';
import { nextUpdatedAt, taskCounts, tasks, users, type Task } from '@/server/db/schema';

// Every function takes the verified user id first and has it in its `where`: a task id alone
// never reaches a row.
//
// Writes are Drizzle's typed builders over the schema's columns: a new column needs no edit here.
// task_counts follows every write by trigger (drizzle/0003_task_count_triggers.sql; why:
// docs/decisions/0002-task-counts-by-trigger.md).

function statusFilter(status: TaskStatus): SQL | undefined {
  if (status === 'pending') return eq(tasks.completed, false);
  if (status === 'completed') return eq(tasks.completed, true);
  return undefined;
}

/**
 * The not-found path of a task query: undefined (404) when the user exists, UserGoneError (401)
 * when the token's user has been deleted. Only here, so the happy path stays one statement.
 */
async function missingTask(db: Db, userId: string): Promise<undefined> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new UserGoneError();
  return undefined;
}

export interface TaskPage {
  tasks: Task[];
  total: number;
  /** The last id of this page when another page follows. */
  nextAfter: number | undefined;
}

function pageQuery(db: Db, status: TaskStatus, afterCursor: boolean) {
  return db
    .select()
    .from(tasks)
    .where(
      and(
        eq(tasks.userId, sql.placeholder('userId')),
        statusFilter(status),
        afterCursor ? lt(tasks.id, sql.placeholder('cursor')) : undefined,
      ),
    )
    .orderBy(desc(tasks.id))
    .limit(sql.placeholder('limit'))
    .prepare(`list_tasks_${status}${afterCursor ? '_after' : ''}`);
}

function countsQuery(db: Db) {
  return db
    .select({ total: taskCounts.total, completed: taskCounts.completed })
    .from(users)
    .leftJoin(taskCounts, eq(taskCounts.userId, users.id))
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('task_counts_of_user');
}

type ListQueries = { counts: ReturnType<typeof countsQuery>; pages: Map<string, ReturnType<typeof pageQuery>> };
const listQueries = new WeakMap<Db, ListQueries>();

/**
 * The list's statements, built once per database client and prepared by name: the server plans
 * each once per connection, and no request rebuilds their SQL.
 */
function listQueriesOf(db: Db): ListQueries {
  let prepared = listQueries.get(db);
  if (!prepared) listQueries.set(db, (prepared = { counts: countsQuery(db), pages: new Map() }));
  return prepared;
}

/**
 * Newest first, by keyset on the (user_id, id) key: no OFFSET, no sort. Two statements, side by
 * side: the page, and the user's row joined to its counter (no row: the user is gone).
 */
export async function listTasks(userId: string, query: ListTasksQuery): Promise<TaskPage> {
  const db = await getDb();
  const prepared = listQueriesOf(db);
  const key = `${query.status}:${query.cursor !== undefined}`;
  let page = prepared.pages.get(key);
  if (!page) prepared.pages.set(key, (page = pageQuery(db, query.status, query.cursor !== undefined)));
  const [rows, [counts]] = await Promise.all([
    page.execute({ userId, cursor: query.cursor, limit: query.limit + 1 }),
    prepared.counts.execute({ userId }),
  ]);
  if (!counts) throw new UserGoneError();
  const total = counts.total ?? 0;
  const completed = counts.completed ?? 0;
  const matched = query.status === 'completed' ? completed : query.status === 'pending' ? total - completed : total;
  const more = rows.length > query.limit;
  const tasksOfPage = more ? rows.slice(0, query.limit) : rows;
  return { tasks: tasksOfPage, total: matched, nextAfter: more ? tasksOfPage.at(-1)!.id : undefined };
}

export async function createTask(userId: string, input: CreateTaskInput): Promise<Task> {
  const db = await getDb();
  try {
    const [task] = await db
      .insert(tasks)
      .values({ ...toTaskFields(input), userId })
      .returning();
    return task!;
  } catch (error) {
    if (errorCodes(error).includes(FOREIGN_KEY_VIOLATION)) throw new UserGoneError(undefined, { cause: error });
    throw error;
  }
}

export async function getTask(userId: string, taskId: number): Promise<Task | undefined> {
  const db = await getDb();
  const [task] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)));
  return task ?? missingTask(db, userId);
}

/** One statement: the changes, and `updated_at` moved on. The counts follow by trigger. */
async function changeTask(userId: string, taskId: number, changes: PgUpdateSetSource<typeof tasks>): Promise<Task | undefined> {
  const db = await getDb();
  const [task] = await db
    .update(tasks)
    .set({ ...changes, updatedAt: nextUpdatedAt })
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
    .returning();
  return task ?? missingTask(db, userId);
}

export function updateTask(userId: string, taskId: number, input: UpdateTaskInput): Promise<Task | undefined> {
  return changeTask(userId, taskId, toTaskFields(input));
}

/** Sets `completed`, or flips it when `completed` is undefined (in the statement: no read-modify-write race). */
export function completeTask(userId: string, taskId: number, completed?: boolean): Promise<Task | undefined> {
  return changeTask(userId, taskId, { completed: completed ?? sql`not ${tasks.completed}` });
}

export async function deleteTask(userId: string, taskId: number): Promise<boolean> {
  const db = await getDb();
  const deleted = await db
    .delete(tasks)
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
    .returning({ id: tasks.id });
  if (deleted.length > 0) return true;
  await missingTask(db, userId);
  return false;
}
