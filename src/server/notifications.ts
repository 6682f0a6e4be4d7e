import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { MarkReadInput, NotificationDto } from '@/lib/api/notification-schemas';
import { NOTIFICATIONS_MAX } from '@/lib/api/notification-schemas';
import { getDb } from '@/server/db/client';
import { notifications } from '@/server/db/schema';
import { assertUser } from '@/server/tasks/rows';

/** A user's notifications (reminders that fired), newest first; `unread` only those not read yet. */
export async function listNotifications(userId: string, unread: boolean): Promise<NotificationDto[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), unread ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_MAX);
  if (rows.length === 0) await assertUser(db, userId);
  return rows.map((row) => ({
    id: row.id,
    task_id: row.taskId,
    title: row.title,
    fire_at: row.fireAt.toISOString(),
    read_at: row.readAt?.toISOString() ?? null,
  }));
}

/** Marks some (ids of other users' notifications are simply not theirs to mark) or all as read. */
export async function markNotificationsRead(userId: string, input: MarkReadInput): Promise<void> {
  const db = await getDb();
  await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), 'ids' in input ? inArray(notifications.id, input.ids) : undefined));
}
