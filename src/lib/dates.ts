import { TZDate } from '@date-fns/tz';

/**
 * Calendar dates (`YYYY-MM-DD`) and wall-clock times (`HH:MM`) as the task API and the web app
 * use them, in a person's IANA time zone (@date-fns/tz does the zone arithmetic).
 */

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** Today's date and the time of day in `timeZone`, at the instant `at`. */
export function zonedNow(timeZone: string, at: number = Date.now()): { date: string; time: string } {
  const now = new TZDate(at, timeZone);
  return {
    date: `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
    time: `${pad(now.getHours())}:${pad(now.getMinutes())}`,
  };
}

/** The calendar date `days` after `date` (negative: before): no time zone involved. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

/** Whether `value` names an IANA time zone this runtime knows. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
