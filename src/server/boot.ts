import { getDb } from '@/server/db/client';
import { env } from '@/server/env';

/**
 * Server start: importing env validates the configuration (a bad one stops the app with one clear
 * line), and the embedded database is opened now, so its migrations run before the first request
 * and a data directory held by another process stops this one at once instead of serving 500s.
 */
export async function boot(): Promise<void> {
  // Mock mode (npm run dev:mock) has no database at all: the browser talks to msw.
  if (env.isBuild || env.mock || env.database.kind !== 'pglite') return;
  try {
    await getDb();
  } catch (error) {
    console.error(`Tasklane cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
