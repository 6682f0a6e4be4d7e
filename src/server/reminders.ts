import { lt, sql } from 'drizzle-orm';
import { getDb } from '@/server/db/client';
import { rateLimits } from '@/server/db/schema';
import { logEvent } from '@/server/http/log';
import { rowsOf } from '@/server/tasks/rows';

/**
 * Reminders: a task whose `remind_at` has come gets one notification, whatever the number of app
 * instances, cron calls and timers running at once. The claim is one statement: it picks the
 * armed reminders that are due (skipping rows another claimer holds), marks them fired and writes
 * their notifications, so a reminder is either claimed here, with its notification, or not at all.
 * Moving `remind_at` (or a recurring task's next occurrence) arms it again (server/tasks/queries.ts).
 */

/** Reminders claimed per statement; a backlog is worked off in batches of this many. */
const BATCH = 500;
/** Batches per run at most: a run always ends, the next one carries on. */
const MAX_BATCHES = 20;
/** The in-process timer's period under `npm start` and `npm run dev` (the contract's 30 s). */
export const REMINDER_PERIOD_MS = 30_000;

async function claimBatch(): Promise<number> {
  const db = await getDb();
  const fired = await rowsOf<{ id: number }>(
    db,
    sql`with due as (
          select user_id, id from tasks
          where remind_at <= now() and reminded_at is null and not completed
          order by remind_at
          limit ${BATCH}
          for update skip locked
        ), claimed as (
          update tasks set reminded_at = now()
          from due
          where tasks.user_id = due.user_id and tasks.id = due.id and tasks.reminded_at is null
          returning tasks.user_id, tasks.id, tasks.title, tasks.remind_at
        )
        insert into notifications (user_id, task_id, title, fire_at)
        select user_id, id, title, remind_at from claimed
        returning id`,
  );
  return fired.length;
}

/** Fires every reminder that is due; how many fired by this call. */
export async function fireDueReminders(): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const fired = await claimBatch();
    total += fired;
    if (fired < BATCH) break;
  }
  if (total > 0) logEvent('info', 'reminders_fired', { count: total });
  return total;
}

/**
 * The scheduled work of a tick or a cron call: due reminders, then the shared rate-limit rows that
 * expired over an hour ago (server/http/limiter.ts; an indexed delete, nothing on the other stores).
 */
export async function runScheduledWork(): Promise<number> {
  const fired = await fireDueReminders();
  await (await getDb()).delete(rateLimits).where(lt(rateLimits.expire, sql`now() - interval '1 hour'`));
  return fired;
}

interface ReminderTimer {
  stop(): void;
}
const holder = globalThis as typeof globalThis & { __tasklaneReminders?: ReminderTimer };

/**
 * Fires reminders every 30 s in this process (server/boot.ts starts it under `npm start` and
 * `npm run dev`; on Vercel, Vercel Cron calls /api/cron/reminders instead). server.mjs stops it
 * before closing the database. A run that fails (the database is away) is logged and retried on
 * the next tick; runs never overlap within the process.
 */
export function startReminderTimer(periodMs = REMINDER_PERIOD_MS): ReminderTimer {
  holder.__tasklaneReminders?.stop();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runScheduledWork();
    } catch (error) {
      logEvent('warn', 'reminders_failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      running = false;
    }
  };
  const interval = setInterval(() => void tick(), periodMs);
  interval.unref();
  void tick();
  const timer = { stop: () => clearInterval(interval) };
  holder.__tasklaneReminders = timer;
  return timer;
}
