import { and, desc, eq, getTableColumns, lt, sql, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { CreateTaskInput, ListTasksQuery, TaskStatus, UpdateTaskInput } from '@/lib/api/task-schemas';
import { getDb, type Db } from '@/server/db/client';
import { errorCodes, FOREIGN_KEY_VIOLATION, UserGoneError } from '@/server/db/errors';
import { nextUpdatedAt, taskCounts, tasks, users, type Task } from '@/server/db/schema';

// Every function takes the verified user id first and has it in its `where`: a task id alone
// never reaches a row.
//
// Every write keeps task_counts in the same statement (data-modifying CTEs), so the list's
// X-Total-Count is a primary-key read, not a count(*) that grows with the user's tasks. Lock order,
// the same in every writer: the task row first, the user's counter row second.

function statusFilter(status: TaskStatus): SQL | undefined {
  if (status === 'pending') return eq(tasks.completed, false);
  if (status === 'completed') return eq(tasks.completed, true);
  return undefined;
}

const taskColumns = Object.entries(getTableColumns(tasks)).map(([key, column]) => ({ key, name: toSnakeCase(key), column }));

/** A `tasks` row of a raw statement (snake_case, driver values), decoded by the schema's own columns. */
function decodeTask(row: Record<string, unknown>): Task {
  const task: Record<string, unknown> = {};
  for (const { key, name, column } of taskColumns) {
    const value = row[name];
    task[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return task as Task;
}

/** The rows of a raw statement: every driver (node-postgres, PGlite, Neon) answers with `{ rows }`. */
async function rowsOf<Row = Record<string, unknown>>(db: Db, statement: SQL): Promise<Row[]> {
  const { rows } = (await db.execute(statement)) as unknown as { rows: Row[] };
  return rows;
}

async function taskRows(db: Db, statement: SQL): Promise<Task[]> {
  return (await rowsOf(db, statement)).map(decodeTask);
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
    const [task] = await taskRows(
      db,
      sql`with inserted as (
            insert into tasks (user_id, title, description, completed)
            values (${userId}, ${input.title}, ${input.description ?? null}, ${input.completed ?? false})
            returning *
          ), counted as (
            insert into task_counts (user_id, total, completed)
            select user_id, 1, completed::int from inserted
            on conflict (user_id) do update
              set total = task_counts.total + 1, completed = task_counts.completed + excluded.completed
          )
          select * from inserted`,
    );
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

/**
 * Applies `assignments` to one of the user's tasks and moves the completed count by the change, in
 * one statement. The row is locked first (`for update`, which under READ COMMITTED waits for a
 * concurrent writer and then reads its result), so `was_completed` is the value this update
 * replaces even when two requests toggle the same task at once.
 */
async function updateCounted(userId: string, taskId: number, assignments: SQL): Promise<Task | undefined> {
  const db = await getDb();
  const [task] = await taskRows(
    db,
    sql`with old as (
          select id, completed from tasks where user_id = ${userId} and id = ${taskId} for update
        ), updated as (
          update tasks set ${assignments}, updated_at = ${nextUpdatedAt}
          from old
          where tasks.user_id = ${userId} and tasks.id = old.id
          returning tasks.*, old.completed as was_completed
        ), counted as (
          update task_counts
          set completed = task_counts.completed + (case when updated.completed then 1 else -1 end)
          from updated
          where task_counts.user_id = updated.user_id and updated.completed <> updated.was_completed
        )
        select * from updated`,
  );
  return task ?? missingTask(db, userId);
}

export async function updateTask(userId: string, taskId: number, input: UpdateTaskInput): Promise<Task | undefined> {
  if (input.completed !== undefined) {
    const assignments: SQL[] = [sql`completed = ${input.completed}`];
    if (input.title !== undefined) assignments.push(sql`title = ${input.title}`);
    if (input.description !== undefined) assignments.push(sql`description = ${input.description}`);
    return updateCounted(userId, taskId, sql.join(assignments, sql`, `));
  }
  // `completed` stays as it is: the counts do not move.
  const db = await getDb();
  const [task] = await db
    .update(tasks)
    .set({ ...input, updatedAt: nextUpdatedAt })
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
    .returning();
  return task ?? missingTask(db, userId);
}

/** Sets `completed`, or flips it when `completed` is undefined (in the statement: no read-modify-write race). */
export function completeTask(userId: string, taskId: number, completed?: boolean): Promise<Task | undefined> {
  return updateCounted(userId, taskId, completed === undefined ? sql`completed = not tasks.completed` : sql`completed = ${completed}`);
}

export async function deleteTask(userId: string, taskId: number): Promise<boolean> {
  const db = await getDb();
  const [counted] = await rowsOf<{ deleted: number }>(
    db,
    sql`with deleted as (
          delete from tasks where user_id = ${userId} and id = ${taskId}
          returning user_id, completed
        ), counted as (
          update task_counts
          set total = task_counts.total - 1, completed = task_counts.completed - deleted.completed::int
          from deleted
          where task_counts.user_id = deleted.user_id
        )
        select count(*)::int as deleted from deleted`,
  );
  if (counted!.deleted > 0) return true;
  await missingTask(db, userId);
  return false;
}
