import { TZDate } from '@date-fns/tz';
import type { TaskDto } from '@/lib/api/task-schemas';
import { addDays } from '@/lib/dates';

/**
 * The detail panel's reminder presets as instants, and reminders as a person reads and types them:
 * all in the person's time zone, never the browser's (a laptop set to UTC must still remind a
 * Parisian an hour before 18:00 Paris time).
 */

export const REMINDER_PRESETS = ['due', '10m', '1h', '1d'] as const;
export type ReminderPreset = (typeof REMINDER_PRESETS)[number];

/** A task without a due time is reminded from this time of its due day. */
export const UNTIMED_DUE_TIME = '09:00';

type Due = Pick<TaskDto, 'due_date' | 'due_time'>;

const MINUTE_MS = 60_000;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?$/;

/** The instant a wall-clock `YYYY-MM-DD` and `HH:MM` in `timeZone` stand for. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(new TZDate(year, month - 1, day, hours, minutes, timeZone).getTime());
}

/** When the preset reminds of this task, or null when the task has no due date to count from. */
export function presetInstant(preset: ReminderPreset, task: Due, timeZone: string): Date | null {
  if (task.due_date === null) return null;
  const time = task.due_time ?? UNTIMED_DUE_TIME;
  const due = zonedInstant(task.due_date, time, timeZone);
  switch (preset) {
    case 'due':
      return due;
    case '10m':
      return new Date(due.getTime() - 10 * MINUTE_MS);
    case '1h':
      return new Date(due.getTime() - 60 * MINUTE_MS);
    case '1d':
      // The same time the day before, also across a change to or from summer time.
      return zonedInstant(addDays(task.due_date, -1), time, timeZone);
  }
}

/** The preset a reminder is for this task, or null (no reminder, or one at another time). */
export function presetOf(remindAt: string | null, task: Due, timeZone: string): ReminderPreset | null {
  if (remindAt === null) return null;
  const at = Date.parse(remindAt);
  return REMINDER_PRESETS.find((preset) => presetInstant(preset, task, timeZone)?.getTime() === at) ?? null;
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** An instant as a `datetime-local` value (`YYYY-MM-DDTHH:MM`) on the wall clock of `timeZone`. */
export function toLocalDateTime(instant: Date | string, timeZone: string): string {
  const at = new TZDate(new Date(instant).getTime(), timeZone);
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A `datetime-local` value read on the wall clock of `timeZone`, or null when it is not a real date and time. */
export function fromLocalDateTime(value: string, timeZone: string): Date | null {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return null;
  const [year, month, day, hours, minutes] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day, hours, minutes));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hours || check.getUTCMinutes() !== minutes) return null;
  return zonedInstant(`${match[1]}-${match[2]}-${match[3]}`, `${match[4]}:${match[5]}`, timeZone);
}

/** One formatter per zone: a list of rows formats many reminders. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "Thu 4 Dec, 08:50" in `timeZone`, with the year when it is not the current one there ("Wed 6 Jan 2027, 00:30"). */
export function formatReminder(instant: Date | string, timeZone: string, now: number = Date.now()): string {
  const parts = (at: Date | number) =>
    Object.fromEntries(
      formatterFor(timeZone)
        .formatToParts(at)
        .map((part) => [part.type, part.value]),
    ) as Record<'weekday' | 'day' | 'month' | 'year' | 'hour' | 'minute', string>;
  const at = parts(new Date(instant));
  const year = at.year === parts(now).year ? '' : ` ${at.year}`;
  return `${at.weekday} ${at.day} ${at.month}${year}, ${at.hour}:${at.minute}`;
}
