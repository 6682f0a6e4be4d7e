import { and, count, desc, eq, lt, not, type SQL } from 'drizzle-orm';
import type { CreateTaskInput, ListTasksQuery, TaskStatus, UpdateTaskInput } from '@/lib/api/task-schemas';
import { getDb } from '@/server/db/client';
import { errorCodes, FOREIGN_KEY_VIOLATION, UserGoneError } from '@/server/db/errors';
import { nextUpdatedAt, tasks, type Task } from '@/server/db/schema';

// Every function takes the verified user id first and has it in its `where`: a task id alone
// never reaches a row.

function statusFilter(status: TaskStatus): SQL | undefined {
  if (status === 'pending') return eq(tasks.completed, false);
  if (status === 'completed') return eq(tasks.completed, true);
  return undefined;
}

export interface TaskPage {
  tasks: Task[];
  total: number;
  /** The last id of this page when another page follows. */
  nextAfter: number | undefined;
}

/** Newest first, by keyset on (user_id, id desc): no OFFSET, no sort. */
export async function listTasks(userId: string, query: ListTasksQuery): Promise<TaskPage> {
  const db = await getDb();
  const matching = and(eq(tasks.userId, userId), statusFilter(query.status));
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(tasks)
      .where(query.cursor === undefined ? matching : and(matching, lt(tasks.id, query.cursor)))
      .orderBy(desc(tasks.id))
      .limit(query.limit + 1),
    db.select({ total: count() }).from(tasks).where(matching),
  ]);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  return { tasks: page, total: counted?.total ?? 0, nextAfter: more ? page.at(-1)!.id : undefined };
}

export async function createTask(userId: string, input: CreateTaskInput): Promise<Task> {
  const db = await getDb();
  try {
    const [task] = await db
      .insert(tasks)
      .values({ userId, title: input.title, description: input.description ?? null, completed: input.completed ?? false })
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
  return task;
}

export async function updateTask(userId: string, taskId: number, input: UpdateTaskInput): Promise<Task | undefined> {
  const db = await getDb();
  const [task] = await db
    .update(tasks)
    .set({ ...input, updatedAt: nextUpdatedAt })
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
    .returning();
  return task;
}

/** Sets `completed`, or flips it in one statement when `completed` is undefined (no read-modify-write race). */
export async function completeTask(userId: string, taskId: number, completed?: boolean): Promise<Task | undefined> {
  const db = await getDb();
  const [task] = await db
    .update(tasks)
    .set({ completed: completed ?? not(tasks.completed), updatedAt: nextUpdatedAt })
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
    .returning();
  return task;
}

export async function deleteTask(userId: string, taskId: number): Promise<boolean> {
  const db = await getDb();
  const deleted = await db
    .delete(tasks)
    .where(and(eq(tasks.userId, userId), eq(tasks.id, taskId)))
    .returning({ id: tasks.id });
  return deleted.length > 0;
}
