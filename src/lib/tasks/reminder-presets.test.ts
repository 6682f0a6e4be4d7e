import { describe, expect, it } from 'vitest';
import { formatReminder, fromLocalDateTime, presetInstant, presetOf, toLocalDateTime, zonedInstant } from './reminder-presets';

const PARIS = 'Europe/Paris';
const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('reminder presets', () => {
  it('counts from the due time in the person’s zone', () => {
    const task = { due_date: '2026-12-10', due_time: '18:00' };
    expect(iso(presetInstant('due', task, PARIS))).toBe('2026-12-10T17:00:00.000Z');
    expect(iso(presetInstant('10m', task, PARIS))).toBe('2026-12-10T16:50:00.000Z');
    expect(iso(presetInstant('1h', task, PARIS))).toBe('2026-12-10T16:00:00.000Z');
    expect(iso(presetInstant('1d', task, PARIS))).toBe('2026-12-09T17:00:00.000Z');
    expect(iso(presetInstant('1h', task, 'UTC'))).toBe('2026-12-10T17:00:00.000Z');
  });

  it('counts from 09:00 on the due day when the task has no due time', () => {
    const task = { due_date: '2026-12-10', due_time: null };
    expect(iso(presetInstant('due', task, PARIS))).toBe('2026-12-10T08:00:00.000Z');
    expect(iso(presetInstant('1h', task, 'America/New_York'))).toBe('2026-12-10T13:00:00.000Z');
  });

  it('keeps "1 day before" at the same wall-clock time across a change to summer time', () => {
    // Paris moves to summer time in the night of 28 to 29 March 2026: 23 hours, not 24.
    const task = { due_date: '2026-03-29', due_time: '18:00' };
    expect(iso(presetInstant('1d', task, PARIS))).toBe('2026-03-28T17:00:00.000Z');
    expect(iso(presetInstant('due', task, PARIS))).toBe('2026-03-29T16:00:00.000Z');
  });

  it('has nothing to count from without a due date', () => {
    expect(presetInstant('due', { due_date: null, due_time: null }, PARIS)).toBeNull();
  });

  it('recognises the preset a stored reminder is, in any RFC 3339 spelling', () => {
    const task = { due_date: '2026-12-10', due_time: '18:00' };
    expect(presetOf('2026-12-10T16:00:00.000Z', task, PARIS)).toBe('1h');
    expect(presetOf('2026-12-10T17:50:00+01:00', task, PARIS)).toBe('10m');
    expect(presetOf('2026-12-10T16:01:00.000Z', task, PARIS)).toBeNull();
    expect(presetOf(null, task, PARIS)).toBeNull();
    expect(presetOf('2026-12-10T16:00:00.000Z', { due_date: null, due_time: null }, PARIS)).toBeNull();
  });

  it('reads and writes datetime-local values on the person’s wall clock, not the browser’s', () => {
    expect(toLocalDateTime('2026-12-04T07:50:00.000Z', PARIS)).toBe('2026-12-04T08:50');
    expect(toLocalDateTime(new Date('2026-07-04T07:50:00.000Z'), PARIS)).toBe('2026-07-04T09:50');
    expect(iso(fromLocalDateTime('2026-12-04T08:50', PARIS))).toBe('2026-12-04T07:50:00.000Z');
    expect(iso(fromLocalDateTime('2026-12-04T08:50:30', 'Asia/Tokyo'))).toBe('2026-12-03T23:50:00.000Z');
    for (const bad of ['', '2026-12-04', '2026-02-30T08:00', '2026-12-04T24:00', '2026-12-04 08:50']) expect(fromLocalDateTime(bad, PARIS)).toBeNull();
    expect(iso(zonedInstant('2026-12-04', '08:50', PARIS))).toBe('2026-12-04T07:50:00.000Z');
  });

  it('says when in words, with the year only when it is not this one', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(formatReminder('2026-12-04T07:50:00.000Z', PARIS, now)).toBe('Fri 4 Dec, 08:50');
    expect(formatReminder('2027-01-05T23:30:00.000Z', PARIS, now)).toBe('Wed 6 Jan 2027, 00:30');
  });
});
