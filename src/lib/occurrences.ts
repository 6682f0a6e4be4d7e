import { tzOffset } from '@date-fns/tz';
import * as rruleModule from 'rrule';
import type { Options as RRuleOptions, RRule as RRuleSeries } from 'rrule';
import { isTimeZone } from '@/lib/dates';
import { floatingDate, formatDate, shiftYears, utcDate, weekdayOf, WEEKDAYS, type Frequency, type Recurrence } from './recurrence';

// rrule's package.json sends bundlers to extensionless ES modules and plain Node (tsx scripts) to a
// UMD bundle, whose exports Node shows only as the CommonJS default: take whichever is there.
const { RRule } = (Reflect.get(rruleModule, 'default') as typeof rruleModule | undefined) ?? rruleModule;

/**
 * The dates of a recurrence rule (lib/recurrence.ts): the next occurrence, the first, and an instant
 * moved by whole days in a time zone, computed with rrule. Server-side and in the msw mock (through
 * lib/api/task-lifecycle.ts); the browser's pages only read and write rules, so rrule stays out of
 * their bundle.
 */

/**
 * How many instances one search may look at, so that no rule can make the server loop. A search
 * starts in the rule's period that holds the date searched from (alignedStart), so a rule the
 * parser accepts needs a handful and never meets this bound. A rule whose periods hold no date at
 * all (MONTHLY;INTERVAL=12;BYMONTHDAY=31 from April) yields no instance to count: rrule itself
 * stops at year 9999, a few thousand periods on.
 */
const SEARCH_INSTANCES_MAX = 1000;

/**
 * rrule makes dates with Date.UTC, which reads years 0 to 99 as 1900 to 1999. The Gregorian
 * calendar repeats every 400 years, weekdays and leap days included, so such a series is worked
 * out 400 years later and moved back.
 */
const CALENDAR_CYCLE_YEARS = 400;

const DAY_MS = 86_400_000;

/**
 * The first occurrence strictly after `after` of the series anchored at `anchor` (its DTSTART: the
 * date the series started for `recur_from: "due"`, the completion day for `"completion"`), or null
 * when none is left: `done` occurrences are already completed, so the one in hand is number
 * `done + 1` and COUNT allows a next one only while `done + 1 < count`; UNTIL is inclusive. Null too
 * when the search ends without finding one (see SEARCH_INSTANCES_MAX).
 */
export function nextOccurrence(input: { rule: Recurrence; anchor: string; after: string; done: number }): string | null {
  const { rule, anchor, after, done } = input;
  if (!Number.isSafeInteger(done) || done < 0) throw new RangeError(`done must be a whole number from 0, not ${done}`);
  if (rule.count !== undefined && done + 1 >= rule.count) return null;
  return withinUntil(rule, searchSeries(rule, anchor, after, false));
}

/**
 * The first occurrence on or after `anchor`, or null when the rule never produces one (UNTIL
 * before the first match, or a rule whose dates the calendar lacks): a rule to refuse.
 */
export function firstOccurrence(rule: Recurrence, anchor: string): string | null {
  return withinUntil(rule, searchSeries(rule, anchor, anchor, true));
}

function withinUntil(rule: Recurrence, date: string | null): string | null {
  return date !== null && (rule.until === undefined || date <= rule.until) ? date : null;
}

function searchSeries(rule: Recurrence, anchor: string, from: string, inclusive: boolean): string | null {
  const anchorDate = floatingDate(anchor);
  const fromDate = floatingDate(from);
  const start = alignedStart(rule, anchorDate, fromDate);
  const yearShift = start.getUTCFullYear() < 100 ? CALENDAR_CYCLE_YEARS : 0;
  const series = new RRule({ ...seriesOptions(rule, anchorDate), dtstart: shiftYears(start, yearShift) }, true);
  const limit = shiftYears(fromDate, yearShift).getTime();
  const found = findDate(series, (date) => (inclusive ? date.getTime() >= limit : date.getTime() > limit));
  return found && formatDate(shiftYears(found, -yearShift));
}

function findDate(series: RRuleSeries, isWanted: (date: Date) => boolean): Date | null {
  let found: Date | null = null;
  series.all((date, index) => {
    if (isWanted(date)) found = date;
    return found === null && index < SEARCH_INSTANCES_MAX;
  });
  return found;
}

/**
 * The rule as rrule options, with the by-parts rrule would take from the anchor spelled out, so
 * the series keeps them when its start is moved (alignedStart).
 */
function seriesOptions(rule: Recurrence, anchor: Date): Partial<RRuleOptions> {
  const options: Partial<RRuleOptions> = { interval: rule.interval, wkst: RRule.MO };
  switch (rule.freq) {
    case 'DAILY':
      return { ...options, freq: RRule.DAILY };
    case 'WEEKLY':
      // rrule numbers weekdays from Monday = 0, as WEEKDAYS does.
      return { ...options, freq: RRule.WEEKLY, byweekday: (rule.byDay ?? [weekdayOf(anchor)]).map((day) => WEEKDAYS.indexOf(day)) };
    case 'MONTHLY':
      return { ...options, freq: RRule.MONTHLY, bymonthday: [rule.byMonthDay ?? anchor.getUTCDate()] };
    case 'YEARLY':
      return { ...options, freq: RRule.YEARLY, bymonth: [anchor.getUTCMonth() + 1], bymonthday: [anchor.getUTCDate()] };
  }
}

/**
 * Where to start generating: the first day of the latest period of the series (day, week from
 * Monday, month, year; a whole number of INTERVALs after the anchor's) that begins on or before
 * `from`. Every occurrence before it is before `from`, so the search costs the same for a series
 * that started last week or a century ago. Before that period, the anchor itself.
 */
function alignedStart(rule: Recurrence, anchor: Date, from: Date): Date {
  const first = periodStart(rule.freq, anchor);
  const skipped = Math.floor(periodsBetween(rule.freq, first, periodStart(rule.freq, from)) / rule.interval) * rule.interval;
  return skipped > 0 ? addPeriods(rule.freq, first, skipped) : anchor;
}

function periodStart(freq: Frequency, date: Date): Date {
  switch (freq) {
    case 'DAILY':
      return date;
    case 'WEEKLY':
      return addPeriods('DAILY', date, -WEEKDAYS.indexOf(weekdayOf(date)));
    case 'MONTHLY':
      return utcDate(date.getUTCFullYear(), date.getUTCMonth(), 1);
    case 'YEARLY':
      return utcDate(date.getUTCFullYear(), 0, 1);
  }
}

/** Whole periods from `start` to `end`, both period starts. */
function periodsBetween(freq: Frequency, start: Date, end: Date): number {
  switch (freq) {
    case 'DAILY':
      return Math.round((end.getTime() - start.getTime()) / DAY_MS);
    case 'WEEKLY':
      return Math.round((end.getTime() - start.getTime()) / (7 * DAY_MS));
    case 'MONTHLY':
      return (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
    case 'YEARLY':
      return end.getUTCFullYear() - start.getUTCFullYear();
  }
}

/** `count` periods after `start`, a period start (so month and year steps never overflow a day). */
function addPeriods(freq: Frequency, start: Date, count: number): Date {
  const [year, month, day] = [start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()];
  switch (freq) {
    case 'DAILY':
      return utcDate(year, month, day + count);
    case 'WEEKLY':
      return utcDate(year, month, day + 7 * count);
    case 'MONTHLY':
      return utcDate(year, month + count, 1);
    case 'YEARLY':
      return utcDate(year + count, 0, 1);
  }
}

/**
 * `instant` moved `days` calendar days at the same wall-clock time in `timeZone`: a reminder at
 * 08:00 in Paris stays at 08:00 when the due date crosses a DST change.
 */
export function shiftInstant(instant: Date, days: number, timeZone: string): Date {
  if (Number.isNaN(instant.getTime())) throw new RangeError('instant is not a valid date');
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be a whole number, not ${days}`);
  if (!isTimeZone(timeZone)) throw new RangeError(`${timeZone} is not an IANA time zone`);
  // Not even the second reading of a repeated hour moves when the date does not.
  if (days === 0) return new Date(instant.getTime());
  const wallClock = new Date(instant.getTime() + offsetAt(timeZone, instant.getTime()));
  wallClock.setUTCDate(wallClock.getUTCDate() + days);
  return new Date(instantOfWallClock(wallClock.getTime(), timeZone));
}

/**
 * The instant a wall-clock time in `timeZone` (given as if it were UTC) stands for, resolved as
 * RFC 5545 and Temporal's "compatible" do: a time a DST change skips is read with the offset
 * before the change (02:30 on a spring-forward night is 03:30), a time it repeats is the first of
 * the two. TZDate's setters resolve these by the host's own zone instead (date-fns/tz#25), so a
 * server in UTC and a browser in Paris would disagree; its offsets are used, not its setters.
 */
function instantOfWallClock(wallClock: number, timeZone: string): number {
  const offsetBefore = offsetAt(timeZone, wallClock - DAY_MS);
  const offsetAfter = offsetAt(timeZone, wallClock + DAY_MS);
  const readings = [wallClock - offsetBefore, wallClock - offsetAfter].filter((at) => at + offsetAt(timeZone, at) === wallClock);
  return readings.length > 0 ? Math.min(...readings) : wallClock - offsetBefore;
}

/** The zone's offset from UTC at the instant `at`, in milliseconds. */
const offsetAt = (timeZone: string, at: number) => tzOffset(timeZone, new Date(at)) * 60_000;
