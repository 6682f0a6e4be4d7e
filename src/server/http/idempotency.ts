import { and, eq, lt, sql } from 'drizzle-orm';
import { IDEMPOTENCY_TTL_MS, type IdempotencyStore, type StoredAnswer } from '@/lib/api/idempotency';
import { getDb } from '@/server/db/client';
import { idempotencyKeys } from '@/server/db/schema';

/**
 * A user's Idempotency-Keys in the database (table `idempotency_keys`), so a retry that lands on
 * another instance is answered the same (lib/api/idempotency.ts decides). The claim is an insert
 * that does nothing on conflict: of two requests with one key, exactly one runs.
 */
export function databaseIdempotencyStore(userId: string): IdempotencyStore {
  const row = (key: string) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
  return {
    async claim(key, fingerprint) {
      const db = await getDb();
      // The user's expired keys go first, so one of them can be used afresh.
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), lt(idempotencyKeys.createdAt, sql`now() - ${`${IDEMPOTENCY_TTL_MS} milliseconds`}::interval`)));
      const claimed = await db.insert(idempotencyKeys).values({ userId, key, fingerprint }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
      return claimed.length === 1;
    },
    async find(key) {
      const db = await getDb();
      const [found] = await db.select().from(idempotencyKeys).where(row(key));
      if (!found) return undefined;
      const answer: StoredAnswer | undefined =
        found.status === null ? undefined : { status: found.status, headers: JSON.parse(found.headers ?? '{}') as Record<string, string>, body: found.body ?? '' };
      return { fingerprint: found.fingerprint, answer, createdAt: found.createdAt };
    },
    async save(key, answer) {
      const db = await getDb();
      await db.update(idempotencyKeys).set({ status: answer.status, headers: JSON.stringify(answer.headers), body: answer.body }).where(row(key));
    },
    async release(key) {
      const db = await getDb();
      await db.delete(idempotencyKeys).where(row(key));
    },
  };
}
