import fc from 'fast-check';
import { RRule } from 'rrule';
import { describe, expect, it } from 'vitest';
import { addDays, zonedNow } from '@/lib/dates';
import { firstOccurrence, nextOccurrence, shiftInstant } from './occurrences';
import { COUNT_MAX, FREQUENCIES, INTERVAL_MAX, WEEKDAYS, describeRecurrence, formatRecurrence, parseRecurrence, type Recurrence } from './recurrence';

/** The rule of a value the test knows is valid. */
function rule(value: string): Recurrence {
  const parsed = parseRecurrence(value);
  if ('error' in parsed) throw new Error(`${value}: ${parsed.error}`);
  return parsed.rule;
}

const floating = (date: string) => new Date(`${date}T00:00:00Z`);
const dateOf = (date: Date) => date.toISOString().slice(0, 10);

/** rrule's own series for the value, started at `anchor`, with its COUNT and UNTIL. */
const rruleSeries = (value: string, anchor: string) => new RRule({ ...RRule.parseString(value), dtstart: floating(anchor) });

/** rrule's own answer: its first date strictly after `after` (COUNT and UNTIL included). */
function rruleAfter(value: string, anchor: string, after: string): string | null {
  const next = rruleSeries(value, anchor).after(floating(after));
  return next && dateOf(next);
}

const next = (value: string, anchor: string, after: string, done = 0) => nextOccurrence({ rule: rule(value), anchor, after, done });

describe('parseRecurrence', () => {
  it.each([
    ['FREQ=DAILY', 'FREQ=DAILY', { freq: 'DAILY', interval: 1 }],
    ['FREQ=DAILY;INTERVAL=3', 'FREQ=DAILY;INTERVAL=3', { freq: 'DAILY', interval: 3 }],
    ['FREQ=DAILY;INTERVAL=365', 'FREQ=DAILY;INTERVAL=365', { freq: 'DAILY', interval: 365 }],
    ['FREQ=WEEKLY', 'FREQ=WEEKLY', { freq: 'WEEKLY', interval: 1 }],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', { freq: 'WEEKLY', interval: 1, byDay: ['MO', 'TU', 'WE', 'TH', 'FR'] }],
    ['BYDAY=TH,MO;FREQ=WEEKLY', 'FREQ=WEEKLY;BYDAY=MO,TH', { freq: 'WEEKLY', interval: 1, byDay: ['MO', 'TH'] }],
    ['FREQ=WEEKLY;BYDAY=SU,MO,MO', 'FREQ=WEEKLY;BYDAY=MO,SU', { freq: 'WEEKLY', interval: 1, byDay: ['MO', 'SU'] }],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', { freq: 'WEEKLY', interval: 2, byDay: ['MO'] }],
    ['FREQ=MONTHLY', 'FREQ=MONTHLY', { freq: 'MONTHLY', interval: 1 }],
    ['FREQ=MONTHLY;BYMONTHDAY=15', 'FREQ=MONTHLY;BYMONTHDAY=15', { freq: 'MONTHLY', interval: 1, byMonthDay: 15 }],
    ['FREQ=MONTHLY;BYMONTHDAY=31', 'FREQ=MONTHLY;BYMONTHDAY=31', { freq: 'MONTHLY', interval: 1, byMonthDay: 31 }],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'FREQ=MONTHLY;BYMONTHDAY=-1', { freq: 'MONTHLY', interval: 1, byMonthDay: -1 }],
    ['FREQ=MONTHLY;BYMONTHDAY=+5', 'FREQ=MONTHLY;BYMONTHDAY=5', { freq: 'MONTHLY', interval: 1, byMonthDay: 5 }],
    ['BYMONTHDAY=1;INTERVAL=2;FREQ=MONTHLY', 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1', { freq: 'MONTHLY', interval: 2, byMonthDay: 1 }],
    ['FREQ=YEARLY', 'FREQ=YEARLY', { freq: 'YEARLY', interval: 1 }],
    ['FREQ=YEARLY;COUNT=5', 'FREQ=YEARLY;COUNT=5', { freq: 'YEARLY', interval: 1, count: 5 }],
    ['FREQ=DAILY;COUNT=1000', 'FREQ=DAILY;COUNT=1000', { freq: 'DAILY', interval: 1, count: 1000 }],
    ['UNTIL=20261231;FREQ=DAILY', 'FREQ=DAILY;UNTIL=20261231', { freq: 'DAILY', interval: 1, until: '2026-12-31' }],
    ['FREQ=YEARLY;UNTIL=20280229', 'FREQ=YEARLY;UNTIL=20280229', { freq: 'YEARLY', interval: 1, until: '2028-02-29' }],
    ['freq=weekly;byday=mo,th;until=20261231', 'FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261231', { freq: 'WEEKLY', interval: 1, byDay: ['MO', 'TH'], until: '2026-12-31' }],
    ['Freq=Daily;Interval=1', 'FREQ=DAILY', { freq: 'DAILY', interval: 1 }],
    ['  FREQ=DAILY;COUNT=2 ', 'FREQ=DAILY;COUNT=2', { freq: 'DAILY', interval: 1, count: 2 }],
  ])('accepts %s as %s', (value, canonical, expected) => {
    const parsed = parseRecurrence(value);
    expect(parsed).toEqual({ rule: expected });
    expect(formatRecurrence((parsed as { rule: Recurrence }).rule)).toBe(canonical);
  });

  it.each([
    ['', 'The rule is empty: give at least FREQ, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['   ', 'The rule is empty: give at least FREQ, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['RRULE:FREQ=DAILY', 'Leave out the "RRULE:" prefix: the value starts with FREQ, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['rrule:freq=daily', 'Leave out the "RRULE:" prefix: the value starts with FREQ, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['FREQ', '"FREQ" is not a rule part: write NAME=VALUE parts separated by semicolons, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['=DAILY', '"=DAILY" is not a rule part: write NAME=VALUE parts separated by semicolons, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['every day', '"EVERY DAY" is not a rule part: write NAME=VALUE parts separated by semicolons, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['FREQ=DAILY;', 'The rule has an empty part: remove the extra semicolon.'],
    ['FREQ=DAILY;;COUNT=2', 'The rule has an empty part: remove the extra semicolon.'],
    ['FREQ=MONTHLY;BYSETPOS=-1', 'BYSETPOS is not supported: a rule may use only FREQ, INTERVAL, BYDAY, BYMONTHDAY, and COUNT or UNTIL.'],
    ['FREQ=DAILY;BYHOUR=9', 'BYHOUR is not supported: a rule may use only FREQ, INTERVAL, BYDAY, BYMONTHDAY, and COUNT or UNTIL.'],
    ['FREQ=WEEKLY;WKST=SU', 'WKST is not supported: a rule may use only FREQ, INTERVAL, BYDAY, BYMONTHDAY, and COUNT or UNTIL.'],
    ['FREQ=YEARLY;BYMONTH=3', 'BYMONTH is not supported: a rule may use only FREQ, INTERVAL, BYDAY, BYMONTHDAY, and COUNT or UNTIL.'],
    ['FREQ=DAILY;X-NAME=1', 'X-NAME is not supported: a rule may use only FREQ, INTERVAL, BYDAY, BYMONTHDAY, and COUNT or UNTIL.'],
    ['FREQ=DAILY;DTSTART=20260101', "DTSTART is not supported: the task's due date is where the series starts."],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ is given twice: give each part once.'],
    ['FREQ=DAILY;count=2;COUNT=3', 'COUNT is given twice: give each part once.'],
    ['INTERVAL=2', 'FREQ is missing: say how often the task repeats, such as FREQ=WEEKLY;BYDAY=MO.'],
    ['FREQ=HOURLY', 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.'],
    ['FREQ=', 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL must be a whole number from 1 to 365.'],
    ['FREQ=DAILY;INTERVAL=366', 'INTERVAL must be a whole number from 1 to 365.'],
    ['FREQ=DAILY;INTERVAL=-1', 'INTERVAL must be a whole number from 1 to 365.'],
    ['FREQ=DAILY;INTERVAL=1.5', 'INTERVAL must be a whole number from 1 to 365.'],
    ['FREQ=DAILY;INTERVAL=02', 'INTERVAL must be a whole number from 1 to 365.'],
    ['FREQ=DAILY;INTERVAL=', 'INTERVAL must be a whole number from 1 to 365.'],
    ['FREQ=MONTHLY;BYDAY=MO', 'BYDAY can only be used with FREQ=WEEKLY.'],
    ['FREQ=DAILY;BYDAY=MO,TU', 'BYDAY can only be used with FREQ=WEEKLY.'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'BYDAY must list days of the week as MO, TU, WE, TH, FR, SA or SU, separated by commas.'],
    ['FREQ=WEEKLY;BYDAY=MON', 'BYDAY must list days of the week as MO, TU, WE, TH, FR, SA or SU, separated by commas.'],
    ['FREQ=WEEKLY;BYDAY=MO,,TH', 'BYDAY must list days of the week as MO, TU, WE, TH, FR, SA or SU, separated by commas.'],
    ['FREQ=WEEKLY;BYDAY=', 'BYDAY must list days of the week as MO, TU, WE, TH, FR, SA or SU, separated by commas.'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY must be one day of the month from 1 to 31, or -1 for the last day.'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY must be one day of the month from 1 to 31, or -1 for the last day.'],
    ['FREQ=MONTHLY;BYMONTHDAY=-2', 'BYMONTHDAY must be one day of the month from 1 to 31, or -1 for the last day.'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'BYMONTHDAY must be one day of the month from 1 to 31, or -1 for the last day.'],
    ['FREQ=MONTHLY;BYMONTHDAY=', 'BYMONTHDAY must be one day of the month from 1 to 31, or -1 for the last day.'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY can only be used with FREQ=MONTHLY.'],
    ['FREQ=YEARLY;BYMONTHDAY=1', 'BYMONTHDAY can only be used with FREQ=MONTHLY.'],
    ['FREQ=DAILY;COUNT=0', 'COUNT must be a whole number from 1 to 1000.'],
    ['FREQ=DAILY;COUNT=1001', 'COUNT must be a whole number from 1 to 1000.'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20261231', 'Use COUNT or UNTIL, not both: a series ends after a number of times or on a date.'],
    ['FREQ=DAILY;UNTIL=20260230', 'UNTIL must be a real calendar date: 20260230 is not one.'],
    ['FREQ=DAILY;UNTIL=20270229', 'UNTIL must be a real calendar date: 20270229 is not one.'],
    ['FREQ=DAILY;UNTIL=20261301', 'UNTIL must be a real calendar date: 20261301 is not one.'],
    ['FREQ=DAILY;UNTIL=20261231T000000Z', 'UNTIL must be a date written YYYYMMDD, such as 20261231.'],
    ['FREQ=DAILY;UNTIL=2026-12-31', 'UNTIL must be a date written YYYYMMDD, such as 20261231.'],
  ])('refuses %j', (value, error) => {
    expect(parseRecurrence(value)).toEqual({ error });
  });

  const ruleArbitrary: fc.Arbitrary<Recurrence> = fc
    .record({
      freq: fc.constantFrom(...FREQUENCIES),
      interval: fc.integer({ min: 1, max: INTERVAL_MAX }),
      byDay: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined }),
      byMonthDay: fc.option(fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant(-1)), { nil: undefined }),
      end: fc.oneof(
        fc.constant({}),
        fc.integer({ min: 1, max: COUNT_MAX }).map((count) => ({ count })),
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => ({ until: dateOf(date) })),
      ),
    })
    .map(({ freq, interval, byDay, byMonthDay, end }) => ({
      freq,
      interval,
      ...(freq === 'WEEKLY' && byDay ? { byDay } : {}),
      ...(freq === 'MONTHLY' && byMonthDay !== undefined ? { byMonthDay } : {}),
      ...end,
    }));

  it('reads back every rule it writes, and writes back every canonical value it reads', () => {
    fc.assert(
      fc.property(ruleArbitrary, (recurrence) => {
        const canonical = formatRecurrence(recurrence);
        expect(parseRecurrence(canonical)).toEqual({ rule: recurrence });
        expect(formatRecurrence(rule(canonical))).toBe(canonical);
        // The same rule, its parts shuffled and in lower case, reads as the same rule.
        expect(parseRecurrence(canonical.split(';').reverse().join(';').toLowerCase())).toEqual({ rule: recurrence });
      }),
    );
  });

  it('answers any text with a rule or a sentence, never an exception', () => {
    const unit = fc.constantFrom('FREQ', 'DAILY', 'WEEKLY', 'BYDAY', 'MO', 'COUNT', 'UNTIL', '=', ';', ',', '1', '-', '2026', 'x', ' ');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit, maxLength: 12 })), (value) => {
        const parsed = parseRecurrence(value);
        if ('error' in parsed) expect(parsed.error).toMatch(/^\S.*\.$/);
        else expect(formatRecurrence(rule(formatRecurrence(parsed.rule)))).toBe(formatRecurrence(parsed.rule));
      }),
    );
  });
});

describe('nextOccurrence', () => {
  // Each case: the hand-stated date, and rrule's own answer for the same series.
  it.each([
    ['daily', 'FREQ=DAILY', '2026-05-10', '2026-05-10', '2026-05-11'],
    ['daily across a month and a year end', 'FREQ=DAILY', '2026-12-31', '2026-12-31', '2027-01-01'],
    ['every 3 days', 'FREQ=DAILY;INTERVAL=3', '2026-05-10', '2026-05-10', '2026-05-13'],
    ['every 3 days, from the series start', 'FREQ=DAILY;INTERVAL=3', '2026-05-01', '2026-05-10', '2026-05-13'],
    ['weekdays, Friday to Monday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-05-01', '2026-05-01', '2026-05-04'],
    ['weekdays, Monday to Tuesday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-05-01', '2026-05-04', '2026-05-05'],
    ['Mon and Thu, Thursday to Monday', 'FREQ=WEEKLY;BYDAY=MO,TH', '2026-05-07', '2026-05-07', '2026-05-11'],
    ['Mon and Thu, Monday to Thursday', 'FREQ=WEEKLY;BYDAY=MO,TH', '2026-05-04', '2026-05-04', '2026-05-07'],
    ['weekly on the anchor weekday', 'FREQ=WEEKLY', '2026-05-13', '2026-05-13', '2026-05-20'],
    ['every 2 weeks', 'FREQ=WEEKLY;INTERVAL=2', '2026-05-04', '2026-05-04', '2026-05-18'],
    ['every 2 weeks on Mon and Thu, within the week', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026-05-04', '2026-05-04', '2026-05-07'],
    ['every 2 weeks on Mon and Thu, skipping a week', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026-05-04', '2026-05-07', '2026-05-18'],
    ['every 2 weeks, months after the start', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026-05-04', '2026-08-13', '2026-08-24'],
    ['monthly on the 31st skips February', 'FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31', '2026-01-31', '2026-03-31'],
    ['monthly on the 31st skips April', 'FREQ=MONTHLY;BYMONTHDAY=31', '2026-01-31', '2026-03-31', '2026-05-31'],
    ['monthly from the 31st takes that day and skips alike', 'FREQ=MONTHLY', '2026-01-31', '2026-01-31', '2026-03-31'],
    ['monthly on the 15th', 'FREQ=MONTHLY;BYMONTHDAY=15', '2026-05-15', '2026-05-15', '2026-06-15'],
    ['last day: Jan 31 to Feb 28', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2026-01-31', '2026-01-31', '2026-02-28'],
    ['last day: Feb 28 to Mar 31', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2026-01-31', '2026-02-28', '2026-03-31'],
    ['last day: Mar 31 to Apr 30', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2026-01-31', '2026-03-31', '2026-04-30'],
    ['last day: Feb 29 in 2028', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2028-01-31', '2028-01-31', '2028-02-29'],
    ['every 2 months on the 1st', 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1', '2026-01-01', '2026-01-01', '2026-03-01'],
    ['yearly', 'FREQ=YEARLY', '2026-12-03', '2026-12-03', '2027-12-03'],
    ['yearly on Feb 29: leap years only', 'FREQ=YEARLY', '2024-02-29', '2024-02-29', '2028-02-29'],
    ['yearly on Feb 29, a century on: 2100 is no leap year', 'FREQ=YEARLY', '2024-02-29', '2096-02-29', '2104-02-29'],
    ['every 2 years on Feb 29', 'FREQ=YEARLY;INTERVAL=2', '2024-02-29', '2024-02-29', '2028-02-29'],
    ['UNTIL includes its own day', 'FREQ=DAILY;UNTIL=20260512', '2026-05-10', '2026-05-11', '2026-05-12'],
    ['UNTIL passed', 'FREQ=DAILY;UNTIL=20260512', '2026-05-10', '2026-05-12', null],
    ['UNTIL between two occurrences', 'FREQ=WEEKLY;UNTIL=20260516', '2026-05-04', '2026-05-11', null],
    ['completion-anchored, every 3 days', 'FREQ=DAILY;INTERVAL=3', '2026-05-13', '2026-05-13', '2026-05-16'],
    ['completion-anchored, weekly on Monday, done on a Wednesday', 'FREQ=WEEKLY;BYDAY=MO', '2026-05-13', '2026-05-13', '2026-05-18'],
    ['completion-anchored, monthly', 'FREQ=MONTHLY', '2026-05-20', '2026-05-20', '2026-06-20'],
  ])('%s', (_name, value, anchor, after, expected) => {
    expect(next(value, anchor, after)).toBe(expected);
    expect(rruleAfter(value, anchor, after)).toBe(expected);
  });

  it('counts COUNT with the occurrences already done: the third is the last', () => {
    const value = 'FREQ=WEEKLY;COUNT=3';
    expect(rruleSeries(value, '2026-05-04').all().map(dateOf)).toEqual(['2026-05-04', '2026-05-11', '2026-05-18']);
    expect(next(value, '2026-05-04', '2026-05-04', 0)).toBe('2026-05-11');
    expect(next(value, '2026-05-04', '2026-05-11', 1)).toBe('2026-05-18');
    expect(next(value, '2026-05-04', '2026-05-18', 2)).toBeNull();
    expect(next('FREQ=DAILY;COUNT=1', '2026-05-04', '2026-05-04', 0)).toBeNull();
  });

  it('counts COUNT from `done`, not from the anchor, so a completion-anchored series keeps its count', () => {
    // Completed for the second time on 2026-05-20: the series restarts there, one occurrence left.
    expect(next('FREQ=DAILY;INTERVAL=3;COUNT=3', '2026-05-20', '2026-05-20', 1)).toBe('2026-05-23');
    expect(next('FREQ=DAILY;INTERVAL=3;COUNT=3', '2026-05-23', '2026-05-23', 2)).toBeNull();
  });

  it('does not count an anchor that misses BYDAY as an occurrence (rrule.js, unlike RFC 5545 DTSTART)', () => {
    // 2026-05-12 is a Tuesday.
    expect(firstOccurrence(rule('FREQ=WEEKLY;BYDAY=MO'), '2026-05-12')).toBe('2026-05-18');
    expect(dateOf(rruleSeries('FREQ=WEEKLY;BYDAY=MO', '2026-05-12').all((_date, index) => index < 1)[0] as Date)).toBe('2026-05-18');
    // The task due on that Tuesday is the instance in hand; the series goes on from the rule's Mondays.
    expect(next('FREQ=WEEKLY;BYDAY=MO', '2026-05-12', '2026-05-12')).toBe('2026-05-18');
    expect(firstOccurrence(rule('FREQ=MONTHLY;BYMONTHDAY=1'), '2026-05-12')).toBe('2026-06-01');
  });

  it('finds the next date of a series that started a century ago without walking it', () => {
    expect(next('FREQ=DAILY', '1926-05-10', '2026-05-10')).toBe('2026-05-11');
    expect(next('FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA', '1926-05-10', '2026-05-10')).toBe(rruleAfter('FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA', '1926-05-10', '2026-05-10'));
    expect(next('FREQ=DAILY', '1970-01-01', '9999-12-30')).toBe('9999-12-31');
    // rrule stops at year 9999.
    expect(next('FREQ=DAILY', '1970-01-01', '9999-12-31')).toBeNull();
  });

  it('agrees with rrule walking the whole series from its start', () => {
    const anchorArbitrary = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map(dateOf);
    const shape = fc.record({
      freq: fc.constantFrom(...FREQUENCIES),
      interval: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: INTERVAL_MAX })),
      byDay: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined }),
      byMonthDay: fc.option(fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant(-1)), { nil: undefined }),
    });
    fc.assert(
      fc.property(shape, anchorArbitrary, fc.integer({ min: -40, max: 1500 }), ({ freq, interval, byDay, byMonthDay }, anchor, distance) => {
        const recurrence: Recurrence = { freq, interval, ...(freq === 'WEEKLY' && byDay ? { byDay } : {}), ...(freq === 'MONTHLY' && byMonthDay ? { byMonthDay } : {}) };
        const value = formatRecurrence(recurrence);
        const after = addDays(anchor, distance);
        expect(nextOccurrence({ rule: recurrence, anchor, after, done: 0 })).toBe(rruleAfter(value, anchor, after));
      }),
      { numRuns: 300 },
    );
  });

  it('works out years 0 to 99, which Date.UTC reads as 1900 to 1999, on the 400-year calendar cycle', () => {
    // 1 January of year 1 was a Monday (proleptic Gregorian).
    expect(next('FREQ=WEEKLY', '0001-01-01', '0001-01-01')).toBe('0001-01-08');
    expect(next('FREQ=YEARLY', '0004-02-29', '0004-02-29')).toBe('0008-02-29');
    expect(next('FREQ=MONTHLY;BYMONTHDAY=-1', '0099-11-30', '0099-12-31')).toBe('0100-01-31');
    expect(firstOccurrence(rule('FREQ=DAILY'), '0000-01-01')).toBe('0000-01-01');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 365 }), (year, day) => {
        const anchor = addDays(`0${year + 400}-01-01`, day);
        const earlier = (date: string) => `${String(Number(date.slice(0, 4)) - 400).padStart(4, '0')}${date.slice(4)}`;
        for (const value of ['FREQ=WEEKLY;BYDAY=WE,SU', 'FREQ=MONTHLY;BYMONTHDAY=29', 'FREQ=YEARLY;INTERVAL=3']) {
          const later = next(value, anchor, anchor);
          expect(next(value, earlier(anchor), earlier(anchor))).toBe(later && earlier(later));
        }
      }),
    );
  });

  it('refuses a done count or a date it cannot use', () => {
    expect(() => next('FREQ=DAILY', '2026-05-10', '2026-05-10', -1)).toThrow(RangeError);
    expect(() => next('FREQ=DAILY', '2026-05-10', '2026-05-10', 1.5)).toThrow(RangeError);
    expect(() => next('FREQ=DAILY', '2025-02-29', '2025-02-29')).toThrow(RangeError);
    expect(() => next('FREQ=DAILY', '2026-05-10', '10 May 2026')).toThrow(RangeError);
  });
});

describe('firstOccurrence', () => {
  it('is the anchor when the anchor is one', () => {
    expect(firstOccurrence(rule('FREQ=DAILY'), '2026-05-10')).toBe('2026-05-10');
    expect(firstOccurrence(rule('FREQ=WEEKLY;BYDAY=MO,TH'), '2026-05-07')).toBe('2026-05-07');
    expect(firstOccurrence(rule('FREQ=YEARLY'), '2024-02-29')).toBe('2024-02-29');
    expect(firstOccurrence(rule('FREQ=DAILY;UNTIL=20260510'), '2026-05-10')).toBe('2026-05-10');
  });

  it('is the first day of the rule after an anchor that misses it', () => {
    expect(firstOccurrence(rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31'), '2026-05-15')).toBe('2026-05-31');
    expect(firstOccurrence(rule('FREQ=MONTHLY;BYMONTHDAY=31'), '2026-04-15')).toBe('2026-05-31');
  });

  it('is null for a rule that never produces an occurrence', () => {
    expect(firstOccurrence(rule('FREQ=DAILY;UNTIL=20260509'), '2026-05-10')).toBeNull();
    expect(firstOccurrence(rule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260516'), '2026-05-12')).toBeNull();
    expect(firstOccurrence(rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31'), '2026-04-30')).toBeNull();
    expect(firstOccurrence(rule('FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30'), '2026-02-01')).toBeNull();
  });
});

describe('the search cap', () => {
  it('ends a rule whose periods never hold a date: null, like rrule, which stops at year 9999', () => {
    const value = 'FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31';
    expect(next(value, '2026-04-30', '2026-04-30')).toBeNull();
    expect(next(value, '2026-04-30', '2026-04-30', 5)).toBeNull();
    expect(rruleAfter(value, '2026-04-30', '2026-04-30')).toBeNull();
    // Every 4 years on the 29th from a February that is 1 year after a leap year: never a leap year.
    expect(next('FREQ=MONTHLY;INTERVAL=48;BYMONTHDAY=29', '2025-02-01', '2025-02-01')).toBeNull();
  });
});

describe('a series across a DST change', () => {
  it('moves a weekly Monday series by 7 calendar days across the change', () => {
    // Europe/Paris changes on 2026-03-29 and 2026-10-25; America/New_York on 2026-03-08 and 2026-11-01.
    for (const [anchor, expected] of [
      ['2026-03-23', '2026-03-30'],
      ['2026-10-19', '2026-10-26'],
      ['2026-03-02', '2026-03-09'],
      ['2026-10-26', '2026-11-02'],
    ] as const) {
      expect(next('FREQ=WEEKLY;BYDAY=MO', anchor, anchor)).toBe(expected);
      expect(addDays(anchor, 7)).toBe(expected);
    }
  });

  it.each([
    ['Europe/Paris, spring', 'Europe/Paris', '2026-03-23T07:00:00.000Z', '2026-03-30T06:00:00.000Z', '2026-03-30'],
    ['Europe/Paris, autumn', 'Europe/Paris', '2026-10-19T06:00:00.000Z', '2026-10-26T07:00:00.000Z', '2026-10-26'],
    ['America/New_York, spring', 'America/New_York', '2026-03-02T13:00:00.000Z', '2026-03-09T12:00:00.000Z', '2026-03-09'],
    ['America/New_York, autumn', 'America/New_York', '2026-10-26T12:00:00.000Z', '2026-11-02T13:00:00.000Z', '2026-11-02'],
  ])('keeps a reminder at 08:00 when it moves 7 days: %s', (_name, zone, reminder, expected, day) => {
    expect(zonedNow(zone, Date.parse(reminder)).time).toBe('08:00');
    const moved = shiftInstant(new Date(reminder), 7, zone);
    expect(moved.toISOString()).toBe(expected);
    expect(zonedNow(zone, moved.getTime())).toEqual({ date: day, time: '08:00' });
  });

  it('moves back as well as forward, and keeps seconds', () => {
    expect(shiftInstant(new Date('2026-03-30T06:00:00.000Z'), -7, 'Europe/Paris').toISOString()).toBe('2026-03-23T07:00:00.000Z');
    expect(shiftInstant(new Date('2026-05-10T07:15:42.500Z'), 0, 'Europe/Paris').toISOString()).toBe('2026-05-10T07:15:42.500Z');
    expect(shiftInstant(new Date('2026-01-31T23:30:00.000Z'), 1, 'UTC').toISOString()).toBe('2026-02-01T23:30:00.000Z');
  });

  it('puts a wall-clock time the day skips an hour later, and one it repeats at the first (RFC 5545)', () => {
    // 02:30 in Paris does not exist on 2026-03-29: read with the winter offset, it is 03:30 CEST.
    expect(shiftInstant(new Date('2026-03-22T01:30:00.000Z'), 7, 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 in Paris happens twice on 2026-10-25 (00:30Z in CEST, 01:30Z in CET): the first.
    expect(shiftInstant(new Date('2026-10-18T00:30:00.000Z'), 7, 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(shiftInstant(new Date('2026-03-01T07:30:00.000Z'), 7, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(shiftInstant(new Date('2026-10-25T05:30:00.000Z'), 7, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Lord Howe Island moves its clocks by half an hour: 02:15 on 2026-10-04 is skipped, 02:45 it is.
    const moved = shiftInstant(new Date('2026-09-26T15:45:00.000Z'), 7, 'Australia/Lord_Howe');
    expect(moved.toISOString()).toBe('2026-10-03T15:45:00.000Z');
    expect(zonedNow('Australia/Lord_Howe', moved.getTime())).toEqual({ date: '2026-10-04', time: '02:45' });
  });

  it('keeps the wall-clock time on the moved date in any zone, later only when the change skips it', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'UTC'];
    const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, fc.integer({ min: -400, max: 400 }), fc.constantFrom(...zones), (from, days, zone) => {
        const moved = shiftInstant(from, days, zone);
        const before = zonedNow(zone, from.getTime());
        const after = zonedNow(zone, moved.getTime());
        expect(after.date).toBe(addDays(before.date, days));
        expect(after.time >= before.time).toBe(true);
        // A skipped time comes out later by the gap, at most an hour; and no later than that.
        expect(Math.abs(moved.getTime() - from.getTime() - days * 86_400_000)).toBeLessThanOrEqual(2 * 3_600_000);
        expect(moved.getUTCSeconds() * 1000 + moved.getUTCMilliseconds()).toBe(from.getUTCSeconds() * 1000 + from.getUTCMilliseconds());
        if (days === 0) expect(moved.getTime()).toBe(from.getTime());
      }),
      { numRuns: 500 },
    );
    // The second 02:30 of 2026-10-25 in Paris stays itself when the date stays.
    expect(shiftInstant(new Date('2026-10-25T01:30:00.000Z'), 0, 'Europe/Paris').toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('refuses an instant, a day count or a zone it cannot use', () => {
    expect(() => shiftInstant(new Date('nope'), 1, 'Europe/Paris')).toThrow(RangeError);
    expect(() => shiftInstant(new Date(), 0.5, 'Europe/Paris')).toThrow(RangeError);
    expect(() => shiftInstant(new Date(), 1, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('describeRecurrence', () => {
  it.each([
    ['FREQ=DAILY', undefined, 'every day'],
    ['FREQ=DAILY;INTERVAL=3', undefined, 'every 3 days'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', undefined, 'every weekday'],
    ['FREQ=WEEKLY;BYDAY=MO,TH', undefined, 'every Mon, Thu'],
    ['FREQ=WEEKLY;BYDAY=SA,SU', undefined, 'every Sat, Sun'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU', undefined, 'every day'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', undefined, 'every 2 weeks on Mon'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR', undefined, 'every 2 weeks on weekdays'],
    ['FREQ=WEEKLY', undefined, 'every week'],
    ['FREQ=WEEKLY', '2026-05-13', 'every week on Wed'],
    ['FREQ=WEEKLY;INTERVAL=2', '2026-05-13', 'every 2 weeks on Wed'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', undefined, 'every month on the 15th'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', undefined, 'every month on the last day'],
    ['FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1', undefined, 'every 2 months on the 1st'],
    ['FREQ=MONTHLY', undefined, 'every month'],
    ['FREQ=MONTHLY', '2026-01-31', 'every month on the 31st'],
    ['FREQ=YEARLY', '2026-12-03', 'every year on 3 Dec'],
    ['FREQ=YEARLY;INTERVAL=2', '2024-02-29', 'every 2 years on 29 Feb'],
    ['FREQ=YEARLY', undefined, 'every year'],
    ['FREQ=DAILY;COUNT=5', undefined, 'every day, 5 times'],
    ['FREQ=DAILY;COUNT=1', undefined, 'every day, once'],
    ['FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231', undefined, 'every Mon, until 31 Dec 2026'],
    ['FREQ=YEARLY;UNTIL=20300101', '2026-12-03', 'every year on 3 Dec, until 1 Jan 2030'],
  ])('%s (due %s): %s', (value, dueDate, expected) => {
    expect(describeRecurrence(rule(value), dueDate === undefined ? {} : { dueDate })).toBe(expected);
  });

  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [30, '30th'],
    [31, '31st'],
  ])('names day %i of the month the %s', (day, words) => {
    expect(describeRecurrence({ freq: 'MONTHLY', interval: 1, byMonthDay: day })).toBe(`every month on the ${words}`);
  });
});
