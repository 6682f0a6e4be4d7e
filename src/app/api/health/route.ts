import { sql } from 'drizzle-orm';
import { problemResponse, problems } from '@/lib/api/problem';
import { getDb } from '@/server/db/client';
import { describeError } from '@/server/db/errors';
import { logEvent } from '@/server/http/log';
import { json } from '@/lib/api/responses';

/** 200 when the database answers a query, 503 otherwise (whatever the reason). */
export async function GET(): Promise<Response> {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return json({ status: 'ok' });
  } catch (error) {
    logEvent('warn', 'health_check_failed', { error: describeError(error) });
    return problemResponse(problems.unavailable());
  }
}
