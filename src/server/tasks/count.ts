import { eq } from 'drizzle-orm';
import { getDb } from '@/server/db/client';
import { taskCounts } from '@/server/db/schema';

/** How many tasks the user has: their counter row (kept by triggers), none for a user who never had one. */
export async function countTasks(userId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ total: taskCounts.total }).from(taskCounts).where(eq(taskCounts.userId, userId));
  return row?.total ?? 0;
}
