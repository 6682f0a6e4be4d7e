import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { getDb } from '@/server/db/client';
import { errorCodes, FOREIGN_KEY_VIOLATION, UserGoneError } from '@/server/db/errors';
import { calendarFeeds, tasks, users } from '@/server/db/schema';
import { env } from '@/server/env';
import { buildCalendar, type FeedTask } from './ics';

/**
 * A user's calendar feed: a URL holding a random secret, which is the credential (calendar apps
 * send no session nor token). Only the secret's SHA-256 is stored, so a database leak does not
 * open anyone's feed; the URL can be shown once, when it is made. One feed per user: a new one
 * replaces the old, whose URL stops working.
 */

const SECRET_BYTES = 32;
/** 32 random bytes in base64url without padding, then `.ics`: the only file names the feed route reads. */
const FEED_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;
export const FEED_PATH = '/api/calendar/';
/**
 * At most this many events, the latest due dates first, so a huge account cannot make a huge (and
 * slow: ical-generator 10 folds lines a character at a time, about 1 µs each) answer. A thousand
 * pending dated tasks is far more than a calendar shows usefully.
 */
export const FEED_EVENTS_MAX = 1_000;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** The secret in a feed file name (`<secret>.ics`), or undefined when the name cannot be a feed's. */
export function secretOfFile(file: string): string | undefined {
  return FEED_FILE.exec(file)?.[1];
}

/** A new secret for the user's feed (the old one stops working at once); answers the feed's URL. */
export async function rotateFeed(userId: string): Promise<string> {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const db = await getDb();
  const secretHash = hashOf(secret);
  try {
    await db
      .insert(calendarFeeds)
      .values({ userId, secretHash })
      .onConflictDoUpdate({ target: calendarFeeds.userId, set: { secretHash, createdAt: sql`now()` } });
  } catch (error) {
    if (errorCodes(error).includes(FOREIGN_KEY_VIOLATION)) throw new UserGoneError(undefined, { cause: error });
    throw error;
  }
  return `${env.baseUrl}${FEED_PATH}${secret}.ics`;
}

/** Turns the user's feed off; nothing to do when there is none. */
export async function deleteFeed(userId: string): Promise<void> {
  const db = await getDb();
  await db.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId));
}

/** When the user's current feed address was made, or null when the feed is off. */
export async function feedCreatedAt(userId: string): Promise<Date | null> {
  const db = await getDb();
  const [feed] = await db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  return feed?.createdAt ?? null;
}

export interface Feed {
  /** Changes whenever the calendar would: the tasks in it, any of their updates, the user's zone. */
  etag: string;
  /** The iCalendar text: built only when asked, as a 304 needs none. */
  render(): string;
}

/** The feed a secret opens, or undefined when no feed has that secret (unknown, replaced or turned off). */
export async function feedFor(secret: string): Promise<Feed | undefined> {
  const db = await getDb();
  const [owner] = await db
    .select({ userId: calendarFeeds.userId, timeZone: users.timezone })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.secretHash, hashOf(secret)));
  if (!owner) return undefined;

  // The pending tasks with a due date (drizzle's type cannot know dueDate is then never null).
  const rows = (await db
    .select({
      id: tasks.id,
      title: tasks.title,
      description: tasks.description,
      dueDate: tasks.dueDate,
      dueTime: tasks.dueTime,
      recurrence: tasks.recurrence,
      recurDone: tasks.recurDone,
      createdAt: tasks.createdAt,
      updatedAt: tasks.updatedAt,
    })
    .from(tasks)
    .where(and(eq(tasks.userId, owner.userId), eq(tasks.completed, false), isNotNull(tasks.dueDate)))
    .orderBy(desc(tasks.dueDate), desc(tasks.id))
    .limit(FEED_EVENTS_MAX)) as FeedTask[];

  const host = new URL(env.baseUrl).hostname;
  // Every input of the text but the code itself (a release that changes the text for the same
  // tasks reaches a calendar app at its next change, or when it drops its copy).
  const fingerprint = createHash('sha256').update(JSON.stringify([owner.timeZone, host, rows])).digest('base64url');
  return {
    etag: `W/"${fingerprint}"`,
    render: () => buildCalendar({ tasks: rows, timeZone: owner.timeZone, host }),
  };
}
