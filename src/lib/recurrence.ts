/**
 * Repeating tasks: the contract's subset of an RFC 5545 RRULE value (FREQ, INTERVAL, BYDAY,
 * BYMONTHDAY, COUNT or UNTIL), read, written back in one canonical spelling, described in words,
 * and the calendar-date helpers lib/occurrences.ts steps series with. Pure: no database, safe in
 * the browser and on the server, and light: rrule is lib/occurrences.ts's alone.
 *
 * Due dates are calendar dates, so the rule runs on floating dates (midnight UTC standing for a
 * day, no time zone) and the wall-clock `due_time` is left alone: "weekly at 09:00" stays at 09:00
 * in the person's zone across a DST change. `shiftInstant` (lib/occurrences.ts) moves `remind_at`
 * the same way.
 *
 * What a series is (the choices RFC 5545 leaves open or that rrule makes differently):
 * - The occurrences are the dates the rule generates from its anchor, as rrule generates them: an
 *   anchor that does not match BYDAY or BYMONTHDAY is not itself one (RFC 5545 would make DTSTART
 *   the first instance whatever it is). The task's current due date is always the instance in hand
 *   (number `done + 1`), so this only decides where the series goes next, never the date in hand.
 * - A date the calendar lacks is skipped, as RFC 5545 says: MONTHLY on the 31st skips months with
 *   30 days and February, YEARLY from 29 February recurs in leap years only. BYMONTHDAY=-1 is the
 *   way to say "the last day of every month".
 * - COUNT is counted by the caller (`done`), so a series can be re-anchored without losing count.
 *   UNTIL is inclusive.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Readonly<Record<Weekday, string>> = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };

export const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const INTERVAL_MAX = 365;
export const COUNT_MAX = 1000;

export interface Recurrence {
  freq: Frequency;
  /** 1 to INTERVAL_MAX. */
  interval: number;
  /** WEEKLY only: distinct days in week order, Monday first. */
  byDay?: Weekday[];
  /** MONTHLY only: 1 to 31, or -1 for the last day of the month. */
  byMonthDay?: number;
  /** 1 to COUNT_MAX; never together with `until`. */
  count?: number;
  /** `YYYY-MM-DD`, the last day an occurrence may fall on. */
  until?: string;
}

export type ParsedRecurrence = { rule: Recurrence } | { error: string };

const PART_NAMES = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL'] as const;
type PartName = (typeof PART_NAMES)[number];

const EXAMPLE = 'such as FREQ=WEEKLY;BYDAY=MO';
const MESSAGES = {
  empty: `The rule is empty: give at least FREQ, ${EXAMPLE}.`,
  prefix: `Leave out the "RRULE:" prefix: the value starts with FREQ, ${EXAMPLE}.`,
  emptyPart: 'The rule has an empty part: remove the extra semicolon.',
  notAPart: (part: string) => `"${part}" is not a rule part: write NAME=VALUE parts separated by semicolons, ${EXAMPLE}.`,
  dtstart: "DTSTART is not supported: the task's due date is where the series starts.",
  unsupported: (name: string) => `${name} is not supported: a rule may use only FREQ, INTERVAL, BYDAY, BYMONTHDAY, and COUNT or UNTIL.`,
  twice: (name: string) => `${name} is given twice: give each part once.`,
  noFreq: `FREQ is missing: say how often the task repeats, ${EXAMPLE}.`,
  freq: 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.',
  interval: `INTERVAL must be a whole number from 1 to ${INTERVAL_MAX}.`,
  byDay: 'BYDAY must list days of the week as MO, TU, WE, TH, FR, SA or SU, separated by commas.',
  byDayFreq: 'BYDAY can only be used with FREQ=WEEKLY.',
  byMonthDay: 'BYMONTHDAY must be one day of the month from 1 to 31, or -1 for the last day.',
  byMonthDayFreq: 'BYMONTHDAY can only be used with FREQ=MONTHLY.',
  count: `COUNT must be a whole number from 1 to ${COUNT_MAX}.`,
  untilFormat: 'UNTIL must be a date written YYYYMMDD, such as 20261231.',
  untilDate: (value: string) => `UNTIL must be a real calendar date: ${value} is not one.`,
  countAndUntil: 'Use COUNT or UNTIL, not both: a series ends after a number of times or on a date.',
};

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** Reads an RRULE value of the contract's subset; names and values in any case, parts in any order. */
export function parseRecurrence(value: string): ParsedRecurrence {
  const text = value.trim().toUpperCase();
  if (text === '') return { error: MESSAGES.empty };
  if (text.startsWith('RRULE:')) return { error: MESSAGES.prefix };
  const parts = new Map<PartName, string>();
  for (const part of text.split(';')) {
    if (part === '') return { error: MESSAGES.emptyPart };
    const equals = part.indexOf('=');
    if (equals <= 0) return { error: MESSAGES.notAPart(part) };
    const name = part.slice(0, equals);
    if (name === 'DTSTART') return { error: MESSAGES.dtstart };
    if (!isOneOf(PART_NAMES, name)) return { error: MESSAGES.unsupported(name) };
    if (parts.has(name)) return { error: MESSAGES.twice(name) };
    parts.set(name, part.slice(equals + 1));
  }

  const freq = parts.get('FREQ');
  if (freq === undefined) return { error: MESSAGES.noFreq };
  if (!isOneOf(FREQUENCIES, freq)) return { error: MESSAGES.freq };
  const rule: Recurrence = { freq, interval: 1 };

  const interval = parts.get('INTERVAL');
  if (interval !== undefined) {
    const number = wholeNumber(interval, INTERVAL_MAX);
    if (number === null) return { error: MESSAGES.interval };
    rule.interval = number;
  }

  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) {
    const days = byDay.split(',');
    if (!days.every((day) => isOneOf(WEEKDAYS, day))) return { error: MESSAGES.byDay };
    if (freq !== 'WEEKLY') return { error: MESSAGES.byDayFreq };
    rule.byDay = WEEKDAYS.filter((day) => days.includes(day));
  }

  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    const match = /^([+-]?)([1-9]\d?)$/.exec(byMonthDay);
    const day = match ? Number(match[2]) * (match[1] === '-' ? -1 : 1) : NaN;
    if (!(day === -1 || (day >= 1 && day <= 31))) return { error: MESSAGES.byMonthDay };
    if (freq !== 'MONTHLY') return { error: MESSAGES.byMonthDayFreq };
    rule.byMonthDay = day;
  }

  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined && until !== undefined) return { error: MESSAGES.countAndUntil };
  if (count !== undefined) {
    const number = wholeNumber(count, COUNT_MAX);
    if (number === null) return { error: MESSAGES.count };
    rule.count = number;
  }
  if (until !== undefined) {
    if (!/^\d{8}$/.test(until)) return { error: MESSAGES.untilFormat };
    const date = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6)}`;
    if (readDate(date) === null) return { error: MESSAGES.untilDate(until) };
    rule.until = date;
  }
  return { rule };
}

/** 1 to `max`, written without sign or leading zeros; else null. */
function wholeNumber(text: string, max: number): number | null {
  if (!/^[1-9]\d{0,3}$/.test(text)) return null;
  const number = Number(text);
  return number <= max ? number : null;
}

/** The canonical RRULE value: FREQ, INTERVAL (when not 1), BYDAY in week order, BYMONTHDAY, COUNT or UNTIL. */
export function formatRecurrence(rule: Recurrence): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay?.length) parts.push(`BYDAY=${WEEKDAYS.filter((day) => rule.byDay?.includes(day)).join(',')}`);
  if (rule.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${rule.byMonthDay}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  else if (rule.until !== undefined) parts.push(`UNTIL=${rule.until.replaceAll('-', '')}`);
  return parts.join(';');
}

export const weekdayOf = (date: Date): Weekday => WEEKDAYS[(date.getUTCDay() + 6) % 7] as Weekday;

/** Midnight UTC of a day; unlike Date.UTC, years 0 to 99 stay themselves. Months and days overflow. */
export function utcDate(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

export function shiftYears(date: Date, years: number): Date {
  return years === 0 ? date : utcDate(date.getUTCFullYear() + years, date.getUTCMonth(), date.getUTCDate());
}

/** A `YYYY-MM-DD` calendar date as a floating date, or null when it is not one. */
function readDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = utcDate(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

export function floatingDate(value: string): Date {
  const date = readDate(value);
  if (date === null) throw new RangeError(`${value} is not a calendar date as YYYY-MM-DD`);
  return date;
}

export const pad = (value: number, length = 2) => String(value).padStart(length, '0');

export function formatDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}


const MONTH_LABELS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WORK_WEEK: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

/**
 * Short English words for a task row: "every weekday", "every 2 weeks on Mon, Thu", "every month
 * on the last day", "every year on 3 Dec, until 31 Dec 2026". A rule that takes its day from the
 * due date (WEEKLY without BYDAY, MONTHLY without BYMONTHDAY, YEARLY) names that day when
 * `dueDate` is given.
 */
export function describeRecurrence(rule: Recurrence, options: { dueDate?: string } = {}): string {
  const due = options.dueDate === undefined ? null : readDate(options.dueDate);
  const every = (unit: string) => (rule.interval === 1 ? `every ${unit}` : `every ${rule.interval} ${unit}s`);
  let words: string;
  switch (rule.freq) {
    case 'DAILY':
      words = every('day');
      break;
    case 'WEEKLY': {
      const days = rule.byDay;
      const workWeek = days?.length === WORK_WEEK.length && WORK_WEEK.every((day) => days.includes(day));
      if (days?.length && rule.interval === 1) {
        words = workWeek ? 'every weekday' : days.length === WEEKDAYS.length ? 'every day' : `every ${dayList(days)}`;
      } else if (days?.length) {
        words = `${every('week')} on ${workWeek ? 'weekdays' : dayList(days)}`;
      } else {
        words = due ? `${every('week')} on ${WEEKDAY_LABELS[weekdayOf(due)]}` : every('week');
      }
      break;
    }
    case 'MONTHLY': {
      const day = rule.byMonthDay ?? due?.getUTCDate();
      words = day === undefined ? every('month') : `${every('month')} on the ${day === -1 ? 'last day' : ordinal(day)}`;
      break;
    }
    case 'YEARLY':
      words = due ? `${every('year')} on ${due.getUTCDate()} ${MONTH_LABELS[due.getUTCMonth()]}` : every('year');
      break;
  }
  if (rule.count !== undefined) words += rule.count === 1 ? ', once' : `, ${rule.count} times`;
  else if (rule.until !== undefined) {
    const until = readDate(rule.until);
    if (until) words += `, until ${until.getUTCDate()} ${MONTH_LABELS[until.getUTCMonth()]} ${until.getUTCFullYear()}`;
  }
  return words;
}

const dayList = (days: readonly Weekday[]) =>
  WEEKDAYS.filter((day) => days.includes(day))
    .map((day) => WEEKDAY_LABELS[day])
    .join(', ');

function ordinal(day: number): string {
  const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
  return `${day}${suffix}`;
}
