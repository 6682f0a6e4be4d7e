import { lt, sql } from 'drizzle-orm';
import { getDb } from '@/server/db/client';
import { rateLimits } from '@/server/db/schema';
import { env } from '@/server/env';
import { logEvent } from '@/server/http/log';
import { sendMail } from '@/server/mail';
import { reminderMail } from '@/server/mail/reminder-mail';
import { rowsOf } from '@/server/tasks/rows';

/**
 * Reminders: a task whose `remind_at` has come gets one notification, and one email unless its
 * owner turned them off, whatever the number of app instances, cron calls and timers running at
 * once. The claim is one statement: it picks the armed reminders that are due (skipping rows
 * another claimer holds), marks them fired and writes their notifications, so a reminder is either
 * claimed here, with its notification, or not at all. The mails go after that statement committed,
 * from its answer: at most once each (docs/decisions/0017-mail.md). Moving `remind_at` (or a
 * recurring task's next occurrence) arms it again (server/tasks/queries.ts).
 */

/** Reminders claimed per statement; a backlog is worked off in batches of this many. */
const BATCH = 500;
/** Batches per run at most: a run always ends, the next one carries on. */
const MAX_BATCHES = 20;
/** The in-process timer's period under `npm start` and `npm run dev` (the contract's 30 s). */
export const REMINDER_PERIOD_MS = 30_000;

/** A reminder this claimer fired: its notification is written and committed; the mail is still to send. */
interface FiredReminder {
  notification_id: number;
  title: string;
  due_date: string | null;
  due_time: string | null;
  email: string;
  timezone: string;
  email_reminders: boolean;
}

/**
 * One claim: the due reminders it won, each with what its mail needs. The statement commits on its
 * own (no transaction stays open while mail is sent), and a reminder is in exactly one claimer's
 * answer, so its mail is sent once at most, whatever the number of claimers.
 */
async function claimBatch(): Promise<FiredReminder[]> {
  const db = await getDb();
  return rowsOf<FiredReminder>(
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
          returning tasks.user_id, tasks.id, tasks.title, tasks.remind_at, tasks.due_date, tasks.due_time
        ), fired as (
          insert into notifications (user_id, task_id, title, fire_at)
          select user_id, id, title, remind_at from claimed
          returning id, user_id, task_id
        )
        select fired.id as notification_id, claimed.title, to_char(claimed.due_date, 'YYYY-MM-DD') as due_date,
          to_char(claimed.due_time, 'HH24:MI') as due_time, u.email, u.timezone, u.email_reminders
        from fired
        join claimed on claimed.user_id = fired.user_id and claimed.id = fired.task_id
        join "user" u on u.id = fired.user_id`,
  );
}

/** Mails sent at once at most: a backlog goes out steadily, without opening hundreds of connections. */
const MAIL_CONCURRENCY = 4;

/**
 * Mails the fired reminders of people who want them, after their claim committed. A failure is
 * logged by sendMail and not retried (docs/decisions/0017-mail.md): the notification stays.
 */
async function mailReminders(fired: FiredReminder[]): Promise<{ mailed: number; failed: number }> {
  const queue = fired.filter((reminder) => reminder.email_reminders);
  let mailed = 0;
  let failed = 0;
  const worker = async () => {
    for (let reminder = queue.shift(); reminder; reminder = queue.shift()) {
      try {
        const content = reminderMail({ title: reminder.title, dueDate: reminder.due_date, dueTime: reminder.due_time, timeZone: reminder.timezone });
        await sendMail({ to: reminder.email, ...content });
        mailed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: MAIL_CONCURRENCY }, worker));
  return { mailed, failed };
}

/** Fires every reminder that is due, and mails it to those who want it; how many fired by this call. */
export async function fireDueReminders(): Promise<number> {
  let total = 0;
  let mailed = 0;
  let failed = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const fired = await claimBatch();
    total += fired.length;
    if (env.mail.reminders) {
      const sent = await mailReminders(fired);
      mailed += sent.mailed;
      failed += sent.failed;
    }
    if (fired.length < BATCH) break;
  }
  if (total > 0) logEvent(failed > 0 ? 'warn' : 'info', 'reminders_fired', { count: total, mailed, mail_failed: failed });
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
