import { and, asc, eq, gt, gte, lt, lte, sql } from 'drizzle-orm';
import { problems } from '@/lib/api/problem';
import type { CreateListInput, ListDto, UpdateListInput } from '@/lib/api/list-schemas';
import { getDb, type Db } from '@/server/db/client';
import { errorCodes, FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, UserGoneError } from '@/server/db/errors';
import { lists, users } from '@/server/db/schema';
import { assertUser } from './rows';

// A user's lists: positions 0..n-1 without gaps, kept so by each write in one transaction that
// first locks the user's row (writes of one user's lists take turns; other users never wait).
// task_count and open_count are kept by the task triggers (drizzle/0004).

type ListRow = typeof lists.$inferSelect;

export function toListJson(list: ListRow): ListDto {
  return {
    id: list.id,
    name: list.name,
    color: list.color,
    position: list.position,
    task_count: list.taskCount,
    open_count: list.openCount,
    created_at: list.createdAt.toISOString(),
    updated_at: list.updatedAt.toISOString(),
  };
}

const nameTaken = (name: string) => problems.conflict(`You already have a list named “${name}”.`);

/** Serialises one user's list writes (positions stay 0..n-1); 401 when the user is gone. */
async function lockUser(tx: Db, userId: string): Promise<void> {
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
  if (!user) throw new UserGoneError();
}

export async function listLists(userId: string): Promise<ListRow[]> {
  const db = await getDb();
  const rows = await db.select().from(lists).where(eq(lists.userId, userId)).orderBy(asc(lists.position), asc(lists.id));
  if (rows.length === 0) await assertUser(db, userId);
  return rows;
}


export async function createList(userId: string, input: CreateListInput): Promise<ListRow> {
  const db = await getDb();
  try {
    return await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      await lockUser(tx, userId);
      const [list] = await tx
        .insert(lists)
        .values({
          userId,
          name: input.name,
          color: input.color,
          position: sql`(select count(*)::int from ${lists} where ${lists.userId} = ${userId})`,
        })
        .returning();
      return list!;
    });
  } catch (error) {
    if (errorCodes(error).includes(UNIQUE_VIOLATION)) throw nameTaken(input.name);
    if (errorCodes(error).includes(FOREIGN_KEY_VIOLATION)) throw new UserGoneError(undefined, { cause: error });
    throw error;
  }
}

export async function updateList(userId: string, listId: number, input: UpdateListInput): Promise<ListRow> {
  const db = await getDb();
  try {
    return await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      await lockUser(tx, userId);
      const ofUser = eq(lists.userId, userId);
      const [current] = await tx
        .select({ position: lists.position, count: sql<number>`(select count(*)::int from ${lists} where ${ofUser})` })
        .from(lists)
        .where(and(ofUser, eq(lists.id, listId)));
      if (!current) throw problems.notFound();
      let position = current.position;
      if (input.position !== undefined) {
        // Past the end is last; the lists in between shift by one towards the gap.
        position = Math.min(input.position, current.count - 1);
        if (position < current.position) {
          await tx
            .update(lists)
            .set({ position: sql`${lists.position} + 1` })
            .where(and(ofUser, gte(lists.position, position), lt(lists.position, current.position)));
        } else if (position > current.position) {
          await tx
            .update(lists)
            .set({ position: sql`${lists.position} - 1` })
            .where(and(ofUser, gt(lists.position, current.position), lte(lists.position, position)));
        }
      }
      const [list] = await tx
        .update(lists)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.color !== undefined ? { color: input.color } : {}),
          position,
          updatedAt: sql`greatest(now(), ${lists.updatedAt} + interval '1 millisecond')`,
        })
        .where(and(ofUser, eq(lists.id, listId)))
        .returning();
      return list!;
    });
  } catch (error) {
    if (errorCodes(error).includes(UNIQUE_VIOLATION)) throw nameTaken(input.name ?? '');
    throw error;
  }
}

/** Deletes the list and, by the foreign key's cascade, its tasks, in one transaction; closes the gap. */
export async function deleteList(userId: string, listId: number): Promise<void> {
  const db = await getDb();
  await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await lockUser(tx, userId);
    const [deleted] = await tx
      .delete(lists)
      .where(and(eq(lists.userId, userId), eq(lists.id, listId)))
      .returning({ position: lists.position });
    if (!deleted) throw problems.notFound();
    await tx
      .update(lists)
      .set({ position: sql`${lists.position} - 1` })
      .where(and(eq(lists.userId, userId), gt(lists.position, deleted.position)));
  });
}
