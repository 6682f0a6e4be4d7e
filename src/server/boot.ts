/**
 * Server start (Next's instrumentation hook, under `next start` and `next dev`): the configuration
 * is validated (every problem in one line, then the process stops), the embedded database's
 * generated secret is read or made, and the embedded database is opened, so its migrations run
 * before the first request and a data directory held by another process stops this one at once
 * instead of serving 500s. Then the reminder timer starts (server/reminders.ts).
 */
export async function boot(): Promise<void> {
  try {
    const { env } = await import('@/server/env');
    // Mock mode (npm run dev:mock) has no database at all: the browser talks to msw.
    if (env.isBuild || env.mock) return;
    void env.authSecret;
    if (env.database.kind === 'pglite') {
      const { getDb } = await import('@/server/db/client');
      await getDb();
    }
    // Reminders every 30 s from this process; on Vercel no process stays up: Vercel Cron calls
    // /api/cron/reminders. With BACKEND_URL the tasks (and their reminders) are that service's.
    if (!env.vercel && !env.backend) (await import('@/server/reminders')).startReminderTimer();
  } catch (error) {
    console.error(`Tasklane cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
