import { and, eq, getTableColumns, inArray, isNotNull, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { BulkChange } from '@/lib/api/bulk-schemas';
import { fieldProblem } from '@/lib/api/problem';
import { completionOf } from '@/lib/api/task-lifecycle';
import { withWords } from '@/lib/api/task-schemas';
import { getDb, type Db } from '@/server/db/client';
import { lists, nextUpdatedAt, tags, tasks, taskTags, users } from '@/server/db/schema';
import { matching } from './find';
import { assertUser, rowsOf } from './rows';
import { dropUnusedTags, ensureTags } from './tags';

/**
 * `POST /tasks/bulk`: one transaction and one statement for the action, whatever the number of
 * tasks (the counts follow by trigger, once per statement). `affected` is every task of the user's
 * the action matched, changed or not; ids that are not theirs match nothing. Completing is the one
 * exception: recurring tasks among them each move to their next occurrence (lib/api/task-lifecycle.ts),
 * one statement per recurring task, after the statement that completes the others.
 */
export async function bulkChange(userId: string, change: BulkChange): Promise<number> {
  const db = await getDb();
  const affected = await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const target = change.ids
      ? and(eq(tasks.userId, userId), inArray(tasks.id, change.ids))!
      : await matching(tx, userId, withWords(change.filter!), 'filter.list');
    const matched = tx.select({ id: tasks.id }).from(tasks).where(target);
    const inMatched = and(eq(tasks.userId, userId), sql`${tasks.id} in (select id from matched)`);

    /** Runs `write` (which may read `matched`) beside the count of matched tasks, in one statement. */
    const counting = async (write?: SQL) => {
      const [row] = await rowsOf<{ affected: number }>(
        tx,
        sql`with matched as (${matched})${write ? sql`, written as (${write})` : sql``} select count(*)::int as affected from matched`,
      );
      return row!.affected;
    };
    const update = (changes: Parameters<ReturnType<Db['update']>['set']>[0], unchanged: SQL) =>
      tx
        .update(tasks)
        .set({ ...changes, updatedAt: nextUpdatedAt })
        .where(and(inMatched, unchanged))
        .getSQL();

    switch (change.action) {
      case 'complete': {
        // Locked first, so nothing moves them between the count and their own completion.
        const recurring = await tx
          .select({ task: getTableColumns(tasks), timeZone: users.timezone })
          .from(tasks)
          .innerJoin(users, eq(users.id, tasks.userId))
          .where(and(target, isNotNull(tasks.recurrence), eq(tasks.completed, false)))
          .for('update', { of: tasks });
        const affected = await counting(update({ completed: true, completedAt: sql`now()` }, and(eq(tasks.completed, false), isNull(tasks.recurrence))!));
        const now = new Date();
        for (const { task, timeZone } of recurring) {
          await tx
            .update(tasks)
            .set({ ...completionOf(task, true, now, timeZone), updatedAt: nextUpdatedAt })
            .where(and(eq(tasks.userId, userId), eq(tasks.id, task.id)));
        }
        return affected;
      }
      case 'reopen':
        // A recurring task keeps the time its last occurrence was completed.
        return counting(update({ completed: false, completedAt: sql`case when ${tasks.recurrence} is null then null else ${tasks.completedAt} end` }, ne(tasks.completed, false)));
      case 'set_priority':
        return counting(update({ priority: change.priority }, ne(tasks.priority, change.priority)));
      case 'move': {
        if (change.list_id !== null) {
          const [list] = await tx
            .select({ id: lists.id })
            .from(lists)
            .where(and(eq(lists.userId, userId), eq(lists.id, change.list_id)));
          if (!list) throw fieldProblem('list_id', 'must be one of your lists, or null for the Inbox');
        }
        return counting(update({ listId: change.list_id }, sql`${tasks.listId} is distinct from ${change.list_id}`));
      }
      case 'delete': {
        const [row] = await rowsOf<{ affected: number }>(
          tx,
          sql`with deleted as (${tx.delete(tasks).where(target).returning({ id: tasks.id }).getSQL()}) select count(*)::int as affected from deleted`,
        );
        return row!.affected;
      }
      case 'add_tag': {
        const tag = (await ensureTags(tx, userId, [change.tag])).get(change.tag.toLowerCase())!;
        return counting(sql`insert into ${taskTags} (user_id, task_id, tag_id) select ${userId}, id, ${tag.id} from matched on conflict do nothing`);
      }
      case 'remove_tag': {
        const [tag] = await tx
          .select({ id: tags.id })
          .from(tags)
          .where(and(eq(tags.userId, userId), sql`lower(${tags.name}) = ${change.tag.toLowerCase()}`));
        if (!tag) return counting();
        const count = await counting(
          sql`delete from ${taskTags} where ${taskTags.userId} = ${userId} and ${taskTags.tagId} = ${tag.id} and ${taskTags.taskId} in (select id from matched)`,
        );
        await dropUnusedTags(tx, userId, [tag.id]);
        return count;
      }
    }
  });
  if (affected === 0) await assertUser(db, userId);
  return affected;
}
