import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildCalendar, FEED_DESCRIPTION_MAX, type FeedTask } from './ics';

// The iCalendar text of the feed, read back with ical.js (an independent parser).

const updatedAt = new Date('2029-12-01T10:00:00Z');
let nextId = 1;
const task = (fields: Partial<FeedTask>): FeedTask => ({
  id: nextId++,
  title: 'A task',
  description: null,
  dueDate: '2030-01-07',
  dueTime: null,
  recurrence: null,
  recurDone: 0,
  createdAt: updatedAt,
  updatedAt,
  ...fields,
});

function parse(tasks: FeedTask[], timeZone = 'Europe/Paris') {
  const text = buildCalendar({ tasks, timeZone, host: 'tasks.example.com' });
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { text, calendar, events: calendar.getAllSubcomponents('vevent') };
}

describe('buildCalendar', () => {
  it('writes UNTIL as a date for an all-day series and as a UTC time for a timed one (RFC 5545 §3.3.10)', () => {
    const { text } = parse([
      task({ title: 'all day', recurrence: 'FREQ=WEEKLY;UNTIL=20300630' }),
      task({ title: 'timed', dueTime: '09:00', recurrence: 'FREQ=WEEKLY;UNTIL=20300630' }),
    ]);
    expect(text).toContain('RRULE:FREQ=WEEKLY;UNTIL=20300630\r\n');
    // 30 June 2030 at 09:00 in Paris (summer time, UTC+2) is 07:00 UTC: the last occurrence is kept.
    expect(text).toContain('RRULE:FREQ=WEEKLY;UNTIL=20300630T070000Z\r\n');
  });

  it('counts a COUNT from the occurrence in hand, never below one', () => {
    const { events } = parse([task({ title: 'a', recurrence: 'FREQ=DAILY;COUNT=10', recurDone: 4 }), task({ title: 'b', recurrence: 'FREQ=DAILY;COUNT=2', recurDone: 5 })]);
    expect(events.map((event) => String(event.getFirstPropertyValue('rrule')))).toEqual(['FREQ=DAILY;COUNT=6', 'FREQ=DAILY;COUNT=1']);
  });

  it('names the VTIMEZONE’s own TZID for an alias zone, and writes UTC for UTC', () => {
    const kolkata = parse([task({ dueTime: '09:00' })], 'Asia/Calcutta');
    expect(kolkata.calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(['Asia/Kolkata']);
    expect(kolkata.events[0]!.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Asia/Kolkata');

    const utc = parse([task({ dueTime: '09:00' })], 'UTC');
    expect(utc.calendar.getAllSubcomponents('vtimezone')).toHaveLength(0);
    expect(utc.text).toContain('DTSTART:20300107T090000Z\r\n');
  });

  it('writes no VTIMEZONE when every event is all-day', () => {
    expect(parse([task({})]).calendar.getAllSubcomponents('vtimezone')).toHaveLength(0);
  });

  it('keeps text as data: line breaks, separators and would-be properties stay in the summary', () => {
    const title = 'Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected; a, b \\ c\u0007';
    const { events } = parse([task({ title })]);
    expect(events).toHaveLength(1);
    expect(events[0]!.getFirstPropertyValue('summary')).toBe('Evil\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected; a, b \\ c');
  });

  it('folds long lines without splitting a character, and cuts long descriptions', () => {
    // 'a' first: the cut falls between the two halves of an emoji.
    const description = `a${'😀'.repeat(FEED_DESCRIPTION_MAX)}`;
    const { text, events } = parse([task({ title: 'é'.repeat(255), description })]);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(events[0]!.getFirstPropertyValue('summary')).toBe('é'.repeat(255));
    const shown = events[0]!.getFirstPropertyValue('description') as string;
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThanOrEqual(FEED_DESCRIPTION_MAX + 1);
    expect(shown.isWellFormed()).toBe(true);
  });

  it('marks tasks as free time, with DTSTAMP and LAST-MODIFIED in UTC from the task’s update', () => {
    const { text } = parse([task({ dueTime: '09:00' })]);
    expect(text).toContain('TRANSP:TRANSPARENT\r\n');
    expect(text).toContain('DTSTAMP:20291201T100000Z\r\n');
    expect(text).toContain('LAST-MODIFIED:20291201T100000Z\r\n');
    expect(text).not.toMatch(/X-WR-TIMEZONE|TIMEZONE-ID/);
  });
});
