import { TZDate } from '@date-fns/tz';
import { ICalCalendar, ICalEventTransparency } from 'ical-generator';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import { formatRecurrence, parseRecurrence } from '@/lib/recurrence';

/**
 * A user's pending dated tasks as an iCalendar (RFC 5545) document, written by ical-generator with
 * VTIMEZONE blocks from timezones-ical-library. Pure: the rows come from feeds.ts.
 */

/** The task columns the feed reads. */
export interface FeedTask {
  id: number;
  title: string;
  description: string | null;
  /** `YYYY-MM-DD`. */
  dueDate: string;
  /** `HH:MM` wall-clock time in the user's zone, or null: an all-day event. */
  dueTime: string | null;
  /** The canonical RRULE value, or null. */
  recurrence: string | null;
  /** Occurrences of the rule completed so far: a COUNT is used up against it. */
  recurDone: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface FeedCalendar {
  tasks: readonly FeedTask[];
  /** The user's IANA zone: where a `due_time` is. */
  timeZone: string;
  /** The app's public host: the domain part of every UID, so UIDs are unique across apps. */
  host: string;
}

/** A timed task occupies half an hour; an all-day one its day (DTEND is exclusive). */
const TIMED_DURATION_MS = 30 * 60_000;
const DAY_MS = 86_400_000;
/** How often calendar apps are asked to come back (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 15 * 60;
/**
 * A description is a preview in a calendar app; the whole text (up to 10,000 characters) stays in
 * Tasklane. Cut, the worst-case feed (FEED_EVENTS_MAX events) stays near a megabyte.
 */
export const FEED_DESCRIPTION_MAX = 500;

/** TEXT values may not hold control characters (RFC 5545 §3.3.11) but tab and the line breaks ical-generator escapes. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const text = (value: string) => value.replace(CONTROL_CHARACTERS, '');

/** At most FEED_DESCRIPTION_MAX characters, never cutting a surrogate pair in two. */
function preview(value: string): string {
  if (value.length <= FEED_DESCRIPTION_MAX) return value;
  const cut = /[\uD800-\uDBFF]/.test(value[FEED_DESCRIPTION_MAX - 1]!) ? FEED_DESCRIPTION_MAX - 1 : FEED_DESCRIPTION_MAX;
  return `${value.slice(0, cut)}…`;
}

const KNOWN_ZONES = new Set(tzlib_get_timezones(false) as string[]);

/**
 * The zone a timed event is written in: the library's TZID for the user's zone, which is the
 * canonical name (`Asia/Calcutta` comes back as `Asia/Kolkata`, and the event must name the TZID
 * its VTIMEZONE carries). Null: times are written in UTC (`…Z`), for UTC itself and for a zone the
 * library lacks, whose wall-clock times then drift by an hour across its DST changes.
 */
function calendarZone(timeZone: string): { tzid: string; block: string } | null {
  if (!KNOWN_ZONES.has(timeZone)) return null;
  const [block, tzidLine] = tzlib_get_ical_block(timeZone, false) as string[];
  const tzid = tzidLine?.startsWith('TZID=') ? tzidLine.slice('TZID='.length) : undefined;
  if (!block || !tzid || tzid === 'Etc/UTC') return null;
  return { tzid, block };
}

/** The instant of a wall-clock date and time in `timeZone` (a time the day lacks moves forward, as TZDate does). */
function zonedInstant(date: string, time: string, timeZone: string): TZDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new TZDate(year, month - 1, day, hours, minutes, timeZone);
}

/** `YYYYMMDDTHHMMSSZ`. Through a plain Date: TZDate's toISOString writes the zone's offset, not Z. */
const utcStamp = (instant: Date) => new Date(instant.getTime()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * The task's rule as the event's RRULE, whose DTSTART is the occurrence in hand (the due date):
 * - COUNT counts what is left, this occurrence included: the task has used `recurDone` of it.
 * - UNTIL has DTSTART's value type (RFC 5545 §3.3.10): a date for an all-day event; for a timed one,
 *   the last day at the due time, in UTC.
 * The dates then match the app's own stepping (lib/recurrence.ts) for `recur_from: "due"`; for
 * `"completion"` they are a projection, since the next date depends on the day it is done.
 */
function rruleOf(task: FeedTask, timeZone: string): string | undefined {
  if (task.recurrence === null) return undefined;
  const parsed = parseRecurrence(task.recurrence);
  if ('error' in parsed) return undefined;
  const { rule } = parsed;
  const count = rule.count === undefined ? undefined : Math.max(1, rule.count - task.recurDone);
  const value = formatRecurrence({ ...rule, count, until: undefined });
  if (rule.until === undefined) return value;
  const until = task.dueTime === null ? rule.until.replaceAll('-', '') : utcStamp(zonedInstant(rule.until, task.dueTime, timeZone));
  return `${value};UNTIL=${until}`;
}

export function buildCalendar({ tasks, timeZone, host }: FeedCalendar): string {
  const zone = calendarZone(timeZone);
  const calendar = new ICalCalendar({
    name: 'Tasklane',
    description: 'Your pending Tasklane tasks that have a due date',
    prodId: { company: 'Tasklane', product: 'Tasklane', language: 'EN' },
    ttl: FEED_REFRESH_SECONDS,
    // No calendar-wide zone name: ical-generator would then write DTSTAMP, CREATED and
    // LAST-MODIFIED as local times, where RFC 5545 wants UTC. The generator alone writes the
    // VTIMEZONE of the zone the events name.
    ...(zone ? { timezone: { name: null, generator: (tzid: string) => (tzid === zone.tzid ? zone.block : null) } } : {}),
  });

  for (const task of tasks) {
    const timed = task.dueTime !== null;
    let start: Date;
    let end: Date;
    if (timed) {
      const at = zonedInstant(task.dueDate, task.dueTime!, timeZone).getTime();
      // TZDates in the event's zone: ical-generator writes their wall-clock time after TZID.
      start = zone ? new TZDate(at, zone.tzid) : new Date(at);
      end = zone ? new TZDate(at + TIMED_DURATION_MS, zone.tzid) : new Date(at + TIMED_DURATION_MS);
    } else {
      start = new Date(`${task.dueDate}T00:00:00Z`);
      end = new Date(start.getTime() + DAY_MS);
    }
    calendar.createEvent({
      id: `task-${task.id}@${host}`,
      summary: text(task.title),
      description: task.description === null ? null : preview(text(task.description)),
      allDay: !timed,
      start,
      end,
      // In the zone's own wall-clock time, so a weekly 09:00 stays at 09:00 across DST changes.
      timezone: timed ? (zone?.tzid ?? null) : null,
      repeating: rruleOf(task, timeZone) ?? null,
      stamp: task.updatedAt,
      created: task.createdAt,
      lastModified: task.updatedAt,
      // A task is something to do, not a meeting: it does not make the person busy.
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}
