import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { fieldProblem } from '@/lib/api/problem';
import { toTaskFields, type TaskRecord } from '@/lib/api/task-json';
import type { CreateTaskInput, UpdateTaskInput } from '@/lib/api/task-schemas';
import { getDb, type Db } from '@/server/db/client';
import { CHECK_VIOLATION, constraintOf, errorCodes, FOREIGN_KEY_VIOLATION, UserGoneError } from '@/server/db/errors';
import { nextUpdatedAt, tasks } from '@/server/db/schema';
import { assertUser } from './rows';
import { replaceTaskTags, tagsOf, tagsOfTask } from './tags';

// Every function takes the verified user id first and has it in its `where`: a task id alone
// never reaches a row.
//
// Writes are Drizzle's typed builders over the schema's columns: a new column needs no edit here.
// task_counts and the lists' counts follow every write by trigger (drizzle/0003 and 0004; why:
// docs/decisions/0002-task-counts-by-trigger.md). Tags live in their own tables (tags.ts): a write
// that sets them is one transaction, any other write one statement.

/** A task row with its tags: what the API answers with (see lib/api/task-json.ts). */
export type TaskWithTags = TaskRecord;

/** The columns of a task and its tags, for a select over `tasks`. */
export const taskWithTags = { ...getTableColumns(tasks), tags: tagsOfTask };

/** The not-found path of a task query: undefined (404), or a 401 when the user is gone (rows.ts). */
export async function missingTask(db: Db, userId: string): Promise<undefined> {
  await assertUser(db, userId);
  return undefined;
}

/**
 * The database's refusals of a task write that are the client's to fix: a list that is not theirs
 * (the (user_id, list_id) key), a time without a date. A deleted user is a 401.
 */
export function refusedWrite(error: unknown): never {
  const codes = errorCodes(error);
  if (codes.includes(FOREIGN_KEY_VIOLATION)) {
    if (constraintOf(error) === 'tasks_list_fk') throw fieldProblem('list_id', 'must be one of your lists, or null for the Inbox');
    throw new UserGoneError(undefined, { cause: error });
  }
  if (codes.includes(CHECK_VIOLATION) && constraintOf(error) === 'tasks_due_time_needs_date') {
    throw fieldProblem('due_time', 'needs a due_date: a time is a time of the due day');
  }
  throw error;
}

export async function createTask(userId: string, input: CreateTaskInput): Promise<TaskWithTags> {
  const db = await getDb();
  const { tags: tagNames, ...columns } = toTaskFields(input);
  const insert = (executor: Db) => executor.insert(tasks).values({ ...columns, userId }).returning();
  try {
    if (tagNames.length === 0) {
      const [task] = await insert(db);
      return { ...task!, tags: [] };
    }
    return await db.transaction(async (tx) => {
      const [task] = await insert(tx as unknown as Db);
      return { ...task!, tags: await replaceTaskTags(tx as unknown as Db, userId, task!.id, tagNames) };
    });
  } catch (error) {
    return refusedWrite(error);
  }
}

export async function getTask(userId: string, taskId: number): Promise<TaskWithTags | undefined> {
  const db = await getDb();
  const [task] = await db
    .select(taskWithTags)
    .from(tasks)
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)));
  return task ?? missingTask(db, userId);
}

/** One statement: the changes and `updated_at` moved on, answered with the task's tags. */
async function changeTask(db: Db, userId: string, taskId: number, changes: PgUpdateSetSource<typeof tasks>): Promise<TaskWithTags | undefined> {
  const updated = db.$with('updated').as(
    db
      .update(tasks)
      .set({ ...changes, updatedAt: nextUpdatedAt })
      .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
      .returning(),
  );
  const [task] = await db
    .with(updated)
    .select({ ...updated._.selectedFields, tags: tagsOf('updated') })
    .from(updated);
  return task;
}

export async function updateTask(userId: string, taskId: number, input: UpdateTaskInput): Promise<TaskWithTags | undefined> {
  const db = await getDb();
  const { tags: tagNames, ...columns } = toTaskFields(input);
  // Clearing the date clears its time too, unless the same change sets one (which is refused).
  if (columns.dueDate === null && columns.dueTime === undefined) columns.dueTime = null;
  try {
    if (tagNames === undefined) return (await changeTask(db, userId, taskId, columns)) ?? (await missingTask(db, userId));
    const task = await db.transaction(async (tx) => {
      const changed = await changeTask(tx as unknown as Db, userId, taskId, columns);
      if (!changed) return undefined;
      return { ...changed, tags: await replaceTaskTags(tx as unknown as Db, userId, taskId, tagNames) };
    });
    return task ?? (await missingTask(db, userId));
  } catch (error) {
    return refusedWrite(error);
  }
}

/** Sets `completed`, or flips it when `completed` is undefined (in the statement: no read-modify-write race). */
export async function completeTask(userId: string, taskId: number, completed?: boolean): Promise<TaskWithTags | undefined> {
  const db = await getDb();
  return (await changeTask(db, userId, taskId, { completed: completed ?? sql`not ${tasks.completed}` })) ?? missingTask(db, userId);
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
