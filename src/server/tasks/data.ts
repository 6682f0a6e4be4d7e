import { and, asc, eq, gt, sql } from 'drizzle-orm';
import {
  csvExportHead,
  csvExportRows,
  JSON_EXPORT_TAIL,
  jsonExportHead,
  jsonExportTasks,
  type ExportUser,
  type ImportList,
  type ImportPlan,
} from '@/lib/api/export-format';
import type { ExportFormat } from '@/lib/api/limits';
import { scheduleOf } from '@/lib/api/task-lifecycle';
import { toTaskFields, toTaskJson } from '@/lib/api/task-json';
import { zonedNow } from '@/lib/dates';
import { getDb, type Db } from '@/server/db/client';
import { UserGoneError } from '@/server/db/errors';
import { lists, tasks, taskTags, users } from '@/server/db/schema';
import { logEvent } from '@/server/http/log';
import { listLists, toListJson } from './lists';
import { taskWithTags } from './queries';
import { ensureTags } from './tags';

// "Your data": a user's export, written as it is read, and an import, all or nothing.

/** Tasks per read of an export, and per insert of an import (16 parameters a row: far below PostgreSQL's 65,535). */
export const DATA_BATCH = 1_000;
/** task_tags rows per insert (3 parameters each). */
const LINK_BATCH = 5_000;

export interface ExportFile {
  /** YYYY-MM-DD in the user's time zone: the file's name says the day it was made. */
  today: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * One batch of the user's tasks after `afterId`, oldest first: a keyset walk of the primary key
 * (user_id, id), so every batch is a few index reads whatever the size, and each task is read once
 * even while the user goes on changing them. Each batch is its own statement, not one transaction
 * held open for as long as a slow download takes (which, on the embedded database, would hold
 * every other request back): a task changed meanwhile is written as it is when its batch is read.
 */
export function readTaskBatch(db: Db, userId: string, afterId: number) {
  return db
    .select(taskWithTags)
    .from(tasks)
    .where(and(eq(tasks.userId, userId), gt(tasks.id, afterId)))
    .orderBy(asc(tasks.id))
    .limit(DATA_BATCH);
}

/**
 * The user's export: the head (the user and the lists, few) is read before the answer starts; the
 * tasks are read a batch at a time as the client takes them (the stream's `pull`), so memory holds
 * a batch or two whatever the number of tasks, and a client that stops reading stops the reads.
 */
export async function exportUserData(userId: string, format: ExportFormat, requestId?: string): Promise<ExportFile> {
  const db = await getDb();
  const [user] = await db.select({ id: users.id, name: users.name, email: users.email, timezone: users.timezone }).from(users).where(eq(users.id, userId));
  if (!user) throw new UserGoneError();
  const userLists = await listLists(userId);
  const listNames = new Map(userLists.map((list) => [list.id, list.name]));
  const head = format === 'json' ? jsonExportHead(user satisfies ExportUser, userLists.map(toListJson)) : csvExportHead();
  const encoder = new TextEncoder();
  let afterId = 0;
  let first = true;

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(head));
      },
      async pull(controller) {
        try {
          const batch = (await readTaskBatch(db, userId, afterId)).map(toTaskJson);
          if (batch.length > 0) {
            afterId = batch.at(-1)!.id;
            controller.enqueue(encoder.encode(format === 'json' ? jsonExportTasks(batch, first) : csvExportRows(batch, listNames)));
            first = false;
          }
          if (batch.length < DATA_BATCH) {
            if (format === 'json') controller.enqueue(encoder.encode(JSON_EXPORT_TAIL));
            controller.close();
          }
        } catch (error) {
          // The status line has gone: the download breaks off (an incomplete JSON does not parse,
          // so a truncated file is not mistaken for a whole one) and the log says why.
          logEvent('error', 'export_failed', { requestId, error: error instanceof Error ? error.message : String(error) });
          controller.error(error);
        }
      },
    },
    // One batch read ahead of the client, no more.
    { highWaterMark: 1 },
  );
  return { today: zonedNow(user.timezone).date, body };
}

/** Serialises the user's list writes (positions stay 0..n-1, as lists.ts keeps them); 401 when the user is gone. */
async function lockUser(tx: Db, userId: string): Promise<void> {
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
  if (!user) throw new UserGoneError();
}

/** The user's lists of these names (ignoring case), the missing ones created last in the file's order: id by lower-cased name. */
async function ensureLists(tx: Db, userId: string, wanted: readonly ImportList[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (wanted.length === 0) return ids;
  const existing = await tx
    .select({ id: lists.id, name: lists.name })
    .from(lists)
    .where(and(eq(lists.userId, userId), sql`lower(${lists.name}) = any(${sql.param(wanted.map((list) => list.name.toLowerCase()))}::text[])`));
  for (const list of existing) ids.set(list.name.toLowerCase(), list.id);
  const missing = wanted.filter((list) => !ids.has(list.name.toLowerCase()));
  if (missing.length === 0) return ids;
  const [{ count }] = (await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(lists)
    .where(eq(lists.userId, userId))) as [{ count: number }];
  const created = await tx
    .insert(lists)
    .values(missing.map((list, index) => ({ userId, name: list.name, color: list.color, position: count + index })))
    .returning({ id: lists.id, name: lists.name });
  for (const list of created) ids.set(list.name.toLowerCase(), list.id);
  return ids;
}

/**
 * Adds the plan's lists and tasks to the user's, in one transaction: every task or none. Tasks get
 * new ids in the file's order; `created_at` and `completed_at` are the file's. Lists are matched
 * by name ignoring case or created; tags are made once for the whole file (ensureTags, one
 * statement) and linked in batches. task_counts and the lists' counts follow by their statement
 * triggers, once per batch. A reminder whose time has passed is imported as fired: importing an
 * old export does not ring every reminder it ever had.
 */
export async function importUserData(userId: string, plan: ImportPlan): Promise<number> {
  const db = await getDb();
  const now = new Date();
  await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await lockUser(tx, userId);
    const listIds = await ensureLists(tx, userId, plan.lists);
    const tagNames = [...new Map(plan.tasks.flatMap((task) => task.input.tags).map((name) => [name.toLowerCase(), name])).values()];
    const tagIds = await ensureTags(tx, userId, tagNames);

    for (let start = 0; start < plan.tasks.length; start += DATA_BATCH) {
      const batch = plan.tasks.slice(start, start + DATA_BATCH);
      const rows = batch.map(({ input, list, createdAt, completedAt }) => {
        const { tags: _tags, ...fields } = toTaskFields({ ...input, list_id: list === null ? null : listIds.get(list.toLowerCase())! });
        const schedule = scheduleOf({ dueDate: null, recurrence: null }, fields);
        if ('refused' in schedule) throw new Error('an import task was planned with a refused rule'); // parseImport checked it
        return {
          ...fields,
          ...schedule.fields,
          userId,
          createdAt: createdAt ?? now,
          completedAt: completedAt !== undefined ? completedAt : fields.completed ? now : null,
          remindedAt: fields.remindAt !== null && fields.remindAt <= now ? fields.remindAt : null,
        };
      });
      const inserted = await tx.insert(tasks).values(rows).returning({ id: tasks.id });
      // Identity values are drawn in the order of the VALUES list: ascending ids are the batch's order.
      const ids = inserted.map((row) => row.id).sort((a, b) => a - b);
      const links = batch.flatMap((task, index) => task.input.tags.map((name) => ({ userId, taskId: ids[index]!, tagId: tagIds.get(name.toLowerCase())!.id })));
      for (let from = 0; from < links.length; from += LINK_BATCH) {
        await tx.insert(taskTags).values(links.slice(from, from + LINK_BATCH));
      }
    }
  });
  return plan.tasks.length;
}
