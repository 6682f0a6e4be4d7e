import { eq, type SQL } from 'drizzle-orm';
import type { Db } from '@/server/db/client';
import { UserGoneError } from '@/server/db/errors';
import { users } from '@/server/db/schema';

/** The rows of a raw statement: every driver (node-postgres, PGlite, Neon) answers with `{ rows }`. */
export async function rowsOf<Row = Record<string, unknown>>(db: Db, statement: SQL): Promise<Row[]> {
  const { rows } = (await db.execute(statement)) as unknown as { rows: Row[] };
  return rows;
}

/**
 * The not-found path of a user's query: nothing of theirs matched, so tell a user who exists
 * (the caller answers 404 or an empty list) from one who was deleted (UserGoneError, a 401).
 * Only there, so the happy path stays one statement.
 */
export async function assertUser(db: Db, userId: string): Promise<void> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new UserGoneError();
}
