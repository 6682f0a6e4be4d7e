import { and, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { preconditionFailed } from '@/lib/api/conditional';
import { fieldProblem } from '@/lib/api/problem';
import { completionOf, RECURRENCE_NEEDS_DATE, scheduleOf, type ScheduleOutcome } from '@/lib/api/task-lifecycle';
import { toTaskFields, type TaskRecord } from '@/lib/api/task-json';
import type { CreateTaskInput, UpdateTaskInput } from '@/lib/api/task-schemas';
import { getDb, type Db } from '@/server/db/client';
import { CHECK_VIOLATION, constraintOf, errorCodes, FOREIGN_KEY_VIOLATION, UserGoneError } from '@/server/db/errors';
import { nextUpdatedAt, tasks, users } from '@/server/db/schema';
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
  if (codes.includes(CHECK_VIOLATION) && constraintOf(error) === 'tasks_recurrence_needs_date') throw fieldProblem('recurrence', RECURRENCE_NEEDS_DATE);
  throw error;
}

/**
 * The rows an `If-Match` allows a write to change: its versions (`updated_at` to the millisecond,
 * lib/api/conditional.ts), or any (undefined). In the write's own `where`, so no other write can
 * come between the check and the change.
 */
function versionIs(versions: number[] | undefined): SQL | undefined {
  if (versions === undefined) return undefined;
  if (versions.length === 0) return sql`false`;
  return sql`floor(extract(epoch from ${tasks.updatedAt}) * 1000)::bigint in (${sql.join(
    versions.map((version) => sql`${version}`),
    sql`, `,
  )})`;
}

/** A write that changed nothing: the task is not the user's (404), or its version did not match (412). */
async function unchanged(db: Db, userId: string, taskId: number, versions: number[] | undefined): Promise<undefined> {
  if (versions !== undefined && (await getTaskIn(db, userId, taskId))) throw preconditionFailed();
  return missingTask(db, userId);
}

/** The recurrence fields of a write, or its 422 on `recurrence` (lib/api/task-lifecycle.ts). */
function scheduled(outcome: ScheduleOutcome) {
  if ('refused' in outcome) throw fieldProblem(outcome.refused.path, outcome.refused.message);
  return outcome.fields;
}

export async function createTask(userId: string, input: CreateTaskInput): Promise<TaskWithTags> {
  const db = await getDb();
  const { tags: tagNames, ...fields } = toTaskFields(input);
  const columns = { ...fields, ...scheduled(scheduleOf({ dueDate: null, recurrence: null }, fields)), completedAt: fields.completed ? new Date() : null };
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
  return (await getTaskIn(db, userId, taskId)) ?? missingTask(db, userId);
}

async function getTaskIn(db: Db, userId: string, taskId: number): Promise<TaskWithTags | undefined> {
  const [task] = await db
    .select(taskWithTags)
    .from(tasks)
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)));
  return task;
}

/** One statement: the changes and `updated_at` moved on, answered with the task's tags; `only` narrows which rows it may change. */
async function changeTask(db: Db, userId: string, taskId: number, changes: PgUpdateSetSource<typeof tasks>, only?: SQL): Promise<TaskWithTags | undefined> {
  const updated = db.$with('updated').as(
    db
      .update(tasks)
      .set({ ...changes, updatedAt: nextUpdatedAt })
      .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId), only))
      .returning(),
  );
  const [task] = await db
    .with(updated)
    .select({ ...updated._.selectedFields, tags: tagsOf('updated') })
    .from(updated);
  return task;
}

export async function updateTask(userId: string, taskId: number, input: UpdateTaskInput, versions?: number[]): Promise<TaskWithTags | undefined> {
  const db = await getDb();
  const { tags: tagNames, ...fields } = toTaskFields(input);
  const columns: PgUpdateSetSource<typeof tasks> = { ...fields };
  // Clearing the date clears its time too, unless the same change sets one (which is refused).
  if (fields.dueDate === null && fields.dueTime === undefined) columns.dueTime = null;
  // A reminder moved is armed again; the same time sent again changes nothing.
  if (fields.remindAt !== undefined) columns.remindedAt = sql`case when ${tasks.remindAt} is distinct from ${fields.remindAt} then null else ${tasks.remindedAt} end`;
  if (fields.completed !== undefined) columns.completedAt = completedAtAfter(fields.completed);
  // The series follows the due date and the rule: those writes read the task first (in the transaction).
  const reschedules = fields.dueDate !== undefined || fields.recurrence !== undefined;
  try {
    if (tagNames === undefined && !reschedules) return (await changeTask(db, userId, taskId, columns, versionIs(versions))) ?? (await unchanged(db, userId, taskId, versions));
    const task = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      if (reschedules) {
        const [current] = await tx
          .select({ dueDate: tasks.dueDate, recurrence: tasks.recurrence })
          .from(tasks)
          .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId), versionIs(versions)))
          .for('update');
        if (!current) return undefined;
        Object.assign(columns, scheduled(scheduleOf(current, fields)));
      }
      const changed = await changeTask(tx, userId, taskId, columns, versionIs(versions));
      if (!changed || tagNames === undefined) return changed;
      return { ...changed, tags: await replaceTaskTags(tx, userId, taskId, tagNames) };
    });
    return task ?? (await unchanged(db, userId, taskId, versions));
  } catch (error) {
    return refusedWrite(error);
  }
}

/** `completed_at` after `completed` is set: kept if it was completed already, now if it is completed now, else cleared. */
function completedAtAfter(completed: boolean | SQL) {
  return sql`case when ${completed} then (case when ${tasks.completed} then ${tasks.completedAt} else now() end) else null end`;
}

/**
 * Sets `completed`, or flips it when `completed` is undefined. A task that does not repeat is one
 * statement (no read-modify-write race). A recurring one is locked, its next occurrence worked out
 * (lib/api/task-lifecycle.ts) and written in one transaction. Completions that race on one
 * occurrence queue on the lock; each one that began before the winner completed it finds it moved
 * on after it began, and answers the task as it now is: the occurrence advances once. A
 * completion sent after that answer (the next occurrence's) advances it again. `began` is when the
 * request arrived (its wait for limits or a connection must not make it look sent later).
 */
export async function completeTask(
  userId: string,
  taskId: number,
  completed?: boolean,
  { versions, began = new Date() }: { versions?: number[]; began?: Date } = {},
): Promise<TaskWithTags | undefined> {
  const db = await getDb();
  const wanted = completed ?? sql`not ${tasks.completed}`;
  const plain = await changeTask(db, userId, taskId, { completed: wanted, completedAt: completedAtAfter(wanted) }, and(isNull(tasks.recurrence), versionIs(versions)));
  if (plain) return plain;

  const task = await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const [row] = await tx
      .select({ task: getTableColumns(tasks), timeZone: users.timezone })
      .from(tasks)
      .innerJoin(users, eq(users.id, tasks.userId))
      .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
      .for('update', { of: tasks });
    if (!row) return undefined;
    const { task: current, timeZone } = row;
    if (versions !== undefined && !versions.includes(current.updatedAt.getTime())) throw preconditionFailed();
    const completing = completed ?? !current.completed;
    const completedMeanwhile = current.recurrence !== null && !current.completed && current.completedAt !== null && current.completedAt >= began;
    if (completing && completedMeanwhile) return getTaskIn(tx, userId, taskId);
    return changeTask(tx, userId, taskId, completionOf(current, completing, new Date(), timeZone));
  });
  return task ?? missingTask(db, userId);
}

export async function deleteTask(userId: string, taskId: number, versions?: number[]): Promise<boolean> {
  const db = await getDb();
  const deleted = await db
    .delete(tasks)
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId), versionIs(versions)))
    .returning({ id: tasks.id });
  if (deleted.length > 0) return true;
  await unchanged(db, userId, taskId, versions);
  return false;
}
