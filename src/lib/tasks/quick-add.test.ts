import { describe, expect, it } from 'vitest';
import { createTaskSchema } from '@/lib/api/task-schemas';
import { parseQuickAdd, quickAddFields, type QuickAddOptions, type QuickAddPart } from './quick-add';

// Wednesday 2 December 2026, 10:00 in Paris (09:00 UTC).
const PARIS: QuickAddOptions = { now: new Date('2026-12-02T09:00:00Z'), timeZone: 'Europe/Paris' };
// 12:00 UTC on Wednesday 2 December is already Thursday 3 December, 01:00, in Auckland.
const AUCKLAND: QuickAddOptions = { now: new Date('2026-12-02T12:00:00Z'), timeZone: 'Pacific/Auckland' };
const LISTS = [
  { id: 7, name: 'Work' },
  { id: 9, name: 'Two words' },
];

const parse = (line: string, options: Partial<QuickAddOptions> = {}) => parseQuickAdd(line, { ...PARIS, lists: LISTS, ...options });
const partOf = <K extends QuickAddPart['kind']>(line: string, kind: K, options: Partial<QuickAddOptions> = {}) =>
  parse(line, options).parts.find((part): part is Extract<QuickAddPart, { kind: K }> => part.kind === kind);
const dueOf = (line: string, options: Partial<QuickAddOptions> = {}) => partOf(line, 'due', options)?.value;

describe('parseQuickAdd', () => {
  it('takes a due date, a tag and a priority out of the line, each with its text, place and chip label', () => {
    expect(parse('Pay rent tomorrow 9am #home !high')).toEqual({
      title: 'Pay rent',
      parts: [
        { kind: 'due', text: 'tomorrow 9am', start: 9, end: 21, value: { due_date: '2026-12-03', due_time: '09:00' }, label: 'Tomorrow 09:00' },
        { kind: 'tag', text: '#home', start: 22, end: 27, value: { tag: 'home' }, label: '#home' },
        { kind: 'priority', text: '!high', start: 28, end: 33, value: { priority: 'high' }, label: 'High priority' },
      ],
    });
  });

  it('understands the dates a person types, forward from now, in their time zone', () => {
    expect(dueOf('Call mom tomorrow')).toEqual({ due_date: '2026-12-03', due_time: null });
    expect(dueOf('Call mom today at 18:00')).toEqual({ due_date: '2026-12-02', due_time: '18:00' });
    expect(dueOf('Gym next monday')).toEqual({ due_date: '2026-12-07', due_time: null });
    expect(dueOf('Report fri')).toEqual({ due_date: '2026-12-04', due_time: null });
    expect(dueOf('Report friday 3pm')).toEqual({ due_date: '2026-12-04', due_time: '15:00' });
    expect(dueOf('Dentist on 12 March')).toEqual({ due_date: '2027-03-12', due_time: null });
    expect(dueOf('Dentist March 12')).toEqual({ due_date: '2027-03-12', due_time: null });
    expect(dueOf('Water plants in 3 days')).toEqual({ due_date: '2026-12-05', due_time: null });
    expect(dueOf('Wrap gifts 2026-12-24')).toEqual({ due_date: '2026-12-24', due_time: null });
    expect(dueOf('Call back in 2 hours')).toEqual({ due_date: '2026-12-02', due_time: '12:00' });
    expect(dueOf('Reply now')).toEqual({ due_date: '2026-12-02', due_time: '10:00' });
  });

  it('keeps the text it took the date from, and labels it as a task row would', () => {
    expect(partOf('Dentist on 12 March', 'due')).toMatchObject({ text: 'on 12 March', start: 8, end: 19, label: '12 Mar 2027' });
    expect(parse('Dentist on 12 March').title).toBe('Dentist');
    expect(partOf('Report friday 3pm', 'due')?.label).toBe('Fri 15:00');
    expect(partOf('Wrap gifts 2026-12-24', 'due')?.label).toBe('24 Dec');
    expect(partOf('Call mom today at 18:00', 'due')?.label).toBe('Today 18:00');
  });

  it('puts a yearless date that has passed in the coming year, but keeps today today', () => {
    expect(dueOf('Renew passport Jan 5')).toEqual({ due_date: '2027-01-05', due_time: null });
    expect(dueOf('Renew passport Nov 30')).toEqual({ due_date: '2027-11-30', due_time: null });
    // chrono alone says 2027-12-02: the hour has passed, so it moves the whole date a year on.
    expect(dueOf('Stand-up Dec 2 9am')).toEqual({ due_date: '2026-12-02', due_time: '09:00' });
    // A time alone that has passed today is tomorrow's.
    expect(dueOf('Stand-up at 9am')).toEqual({ due_date: '2026-12-03', due_time: '09:00' });
  });

  it('reads the date on the clock of the time zone given, not UTC or the machine', () => {
    expect(dueOf('Call mom tomorrow', AUCKLAND)).toEqual({ due_date: '2026-12-04', due_time: null });
    expect(dueOf('Call mom today', AUCKLAND)).toEqual({ due_date: '2026-12-03', due_time: null });
    expect(dueOf('Call mom thu', AUCKLAND)).toEqual({ due_date: '2026-12-03', due_time: null });
    expect(dueOf('Call mom wed', AUCKLAND)).toEqual({ due_date: '2026-12-09', due_time: null });
    expect(dueOf('Call mom Dec 3', AUCKLAND)).toEqual({ due_date: '2026-12-03', due_time: null });
    expect(dueOf('Call mom at 9am', AUCKLAND)).toEqual({ due_date: '2026-12-03', due_time: '09:00' });
    expect(partOf('Call mom tomorrow', 'due', AUCKLAND)?.label).toBe('Tomorrow');
  });

  it('reads a time said in another zone on the person’s clock', () => {
    expect(dueOf('Call tomorrow 9am UTC')).toEqual({ due_date: '2026-12-03', due_time: '10:00' });
    expect(partOf('Call tomorrow 9am UTC', 'due')?.text).toBe('tomorrow 9am UTC');
  });

  it('leaves numbers that are no date, and durations that say how long, in the title', () => {
    expect(parse('Buy 2 milk')).toEqual({ title: 'Buy 2 milk', parts: [] });
    expect(parse('Read 1984')).toEqual({ title: 'Read 1984', parts: [] });
    expect(parse('Workout 30 minutes')).toEqual({ title: 'Workout 30 minutes', parts: [] });
    expect(parse('Meditate for 20 minutes')).toEqual({ title: 'Meditate for 20 minutes', parts: [] });
    expect(parse('Buy 2 milk tomorrow')).toMatchObject({ title: 'Buy 2 milk', parts: [{ kind: 'due', text: 'tomorrow' }] });
  });

  it('does not read a date inside a hyphenated word', () => {
    expect(parse('Buy sat-nav')).toEqual({ title: 'Buy sat-nav', parts: [] });
    expect(parse('Reply now-ish')).toEqual({ title: 'Reply now-ish', parts: [] });
    expect(parse('Plan mid-march trip fri')).toMatchObject({ title: 'Plan mid-march trip', parts: [{ kind: 'due', text: 'fri' }] });
    expect(dueOf('Lunch wed-thu')).toEqual({ due_date: '2026-12-02', due_time: null });
  });

  it('takes only the first date; the others stay in the title', () => {
    expect(parse('Call Ann tomorrow about friday')).toMatchObject({ title: 'Call Ann about friday', parts: [{ kind: 'due', text: 'tomorrow' }] });
  });

  describe('tags', () => {
    it('are #words of letters in any script, digits, - _ and /, several to a line', () => {
      const result = parse('Plan trip #travel #Été #日本 #work/admin #to-do_2');
      expect(result.title).toBe('Plan trip');
      expect(result.parts.map((part) => part.value)).toEqual([{ tag: 'travel' }, { tag: 'Été' }, { tag: '日本' }, { tag: 'work/admin' }, { tag: 'to-do_2' }]);
    });

    it('end at white space or a comma', () => {
      expect(parse('Shop #food,#errands').parts.map((part) => part.text)).toEqual(['#food', '#errands']);
      expect(parse('Shop #food, #errands, then rest').title).toBe('Shop then rest');
      expect(parse('Buy milk, #home').title).toBe('Buy milk');
    });

    it('are not a # alone, digits alone, other punctuation or more than 32 characters: those stay in the title', () => {
      expect(parse('Fix bug #123')).toEqual({ title: 'Fix bug #123', parts: [] });
      expect(parse('Fix bug #1 and #2')).toEqual({ title: 'Fix bug #1 and #2', parts: [] });
      expect(parse('Press # twice')).toEqual({ title: 'Press # twice', parts: [] });
      expect(parse('Learn C# #dev.')).toEqual({ title: 'Learn C# #dev.', parts: [] });
      expect(parse(`Note #${'a'.repeat(32)}`).parts).toHaveLength(1);
      expect(parse(`Note #${'a'.repeat(33)}`).parts).toEqual([]);
    });

    it('count once when they differ only in case, spelt as first typed; each mention leaves the title', () => {
      const result = parse('Tidy #Home and #home');
      expect(result.title).toBe('Tidy and');
      expect(result.parts.map((part) => [part.text, part.value, part.label])).toEqual([
        ['#Home', { tag: 'Home' }, '#Home'],
        ['#home', { tag: 'Home' }, '#Home'],
      ]);
      expect(quickAddFields(result).tags).toEqual(['Home']);
    });

    it('stop at 20 to a task: the rest stay in the title', () => {
      const tags = Array.from({ length: 21 }, (_, index) => `#t${index + 1}`);
      const result = parse(`Many ${tags.join(' ')}`);
      expect(result.title).toBe('Many #t21');
      expect(quickAddFields(result).tags).toHaveLength(20);
    });

    it('split a date in two: a date is one stretch of the line', () => {
      expect(parse('Pay rent tomorrow #home 9am')).toMatchObject({
        title: 'Pay rent 9am',
        parts: [
          { kind: 'due', text: 'tomorrow', value: { due_date: '2026-12-03', due_time: null } },
          { kind: 'tag', text: '#home' },
        ],
      });
    });

    it('keep their words from being read as a date', () => {
      expect(parse('Plan #tomorrow')).toEqual({ title: 'Plan', parts: [{ kind: 'tag', text: '#tomorrow', start: 5, end: 14, value: { tag: 'tomorrow' }, label: '#tomorrow' }] });
    });
  });

  describe('priority', () => {
    it('is !high !medium !med !low, !1 !2 !3 or p1 p2 p3, in any case', () => {
      const priorityOf = (line: string) => partOf(line, 'priority')?.value.priority;
      expect(priorityOf('Task !high')).toBe('high');
      expect(priorityOf('Task !Medium')).toBe('medium');
      expect(priorityOf('Task !med')).toBe('medium');
      expect(priorityOf('Task !LOW')).toBe('low');
      expect(priorityOf('Task !1')).toBe('high');
      expect(priorityOf('Task !2')).toBe('medium');
      expect(priorityOf('Task !3')).toBe('low');
      expect(priorityOf('Task p1')).toBe('high');
      expect(priorityOf('Task P2')).toBe('medium');
      expect(priorityOf('Task p3')).toBe('low');
      expect(partOf('Task !med', 'priority')?.label).toBe('Medium priority');
      expect(partOf('Task p3', 'priority')?.label).toBe('Low priority');
    });

    it('is a whole word only', () => {
      expect(parse('Convert mp3 files')).toEqual({ title: 'Convert mp3 files', parts: [] });
      expect(parse('Tell p1x and Wow!high')).toEqual({ title: 'Tell p1x and Wow!high', parts: [] });
      expect(parse('Task !urgent')).toEqual({ title: 'Task !urgent', parts: [] });
    });

    it('is the last one typed; earlier ones stay in the title', () => {
      expect(parse('Task !low p1')).toMatchObject({ title: 'Task !low', parts: [{ kind: 'priority', text: 'p1', value: { priority: 'high' } }] });
    });
  });

  describe('list', () => {
    it('is @name or @"two words" naming one of the lists, ignoring case, labelled with its own name', () => {
      expect(parse('Send report @work')).toEqual({
        title: 'Send report',
        parts: [{ kind: 'list', text: '@work', start: 12, end: 17, value: { listName: 'Work' }, label: 'List: Work' }],
      });
      expect(parse('Send report @"two WORDS" first')).toMatchObject({ title: 'Send report first', parts: [{ kind: 'list', text: '@"two WORDS"', value: { listName: 'Two words' } }] });
      expect(parse('Send report @“Two words”').parts[0]?.value).toEqual({ listName: 'Two words' });
    });

    it('stays in the title when it names no list: an email address or a mention', () => {
      expect(parse('Email bob@example.com')).toEqual({ title: 'Email bob@example.com', parts: [] });
      expect(parse('Thank @ann')).toEqual({ title: 'Thank @ann', parts: [] });
      expect(parse('Send report @work', { lists: [] })).toEqual({ title: 'Send report @work', parts: [] });
    });

    it('is the last one named', () => {
      expect(parse('Send report @work @"two words"')).toMatchObject({ title: 'Send report @work', parts: [{ kind: 'list', value: { listName: 'Two words' } }] });
    });
  });

  describe('taking a part back (ignore)', () => {
    it('keeps that part’s text in the title and the other parts as they were', () => {
      const line = 'Pay rent tomorrow 9am #home';
      const first = parse(line);
      const due = first.parts.find((part) => part.kind === 'due')!;
      expect(parse(line, { ignore: [due] })).toEqual({
        title: 'Pay rent tomorrow 9am',
        parts: [{ kind: 'tag', text: '#home', start: 22, end: 27, value: { tag: 'home' }, label: '#home' }],
      });
    });

    it('lets the next date, or the earlier priority, count instead', () => {
      expect(parse('Call Ann tomorrow about friday', { ignore: [{ start: 9, end: 17 }] })).toMatchObject({
        title: 'Call Ann tomorrow about',
        parts: [{ kind: 'due', text: 'friday', value: { due_date: '2026-12-04', due_time: null } }],
      });
      expect(parse('Task !low p1', { ignore: [{ start: 10, end: 12 }] })).toMatchObject({ title: 'Task p1', parts: [{ kind: 'priority', text: '!low', value: { priority: 'low' } }] });
    });

    it('does not read a tag taken back as a date either', () => {
      expect(parse('Plan #fri', { ignore: [{ start: 5, end: 9 }] })).toEqual({ title: 'Plan #fri', parts: [] });
    });
  });

  it('keeps the whole line as the title when the parts would leave none', () => {
    expect(parse('tomorrow #home !high')).toEqual({ title: 'tomorrow #home !high', parts: [] });
    expect(parse('  #home   ')).toEqual({ title: '#home', parts: [] });
  });

  it('collapses white space in the title', () => {
    expect(parse('  Pay   rent  #home  ').title).toBe('Pay rent');
  });

  it('refuses a time zone it does not know', () => {
    expect(() => parseQuickAdd('Call mom tomorrow', { now: PARIS.now, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});

describe('quickAddFields', () => {
  it('gives the task body fields the parts set, the list by its id', () => {
    const result = parse('Pay rent tomorrow 9am #home #Bills @work p2');
    expect(result.title).toBe('Pay rent');
    const fields = quickAddFields(result, LISTS);
    expect(fields).toEqual({ due_date: '2026-12-03', due_time: '09:00', tags: ['home', 'Bills'], priority: 'medium', list_id: 7 });
    // What the web app sends is a valid new task.
    expect(createTaskSchema.parse({ title: result.title, ...fields })).toMatchObject({ title: 'Pay rent', list_id: 7, due_time: '09:00' });
  });

  it('gives only what the line set: a date without a time says so', () => {
    expect(quickAddFields(parse('Call mom fri'))).toEqual({ due_date: '2026-12-04', due_time: null });
    expect(quickAddFields(parse('Buy milk'))).toEqual({});
  });

  it('leaves the list out when no list has that name any more', () => {
    expect(quickAddFields(parse('Send report @work'), [{ id: 3, name: 'Home' }])).toEqual({});
    expect(quickAddFields(parse('Send report @work'), [{ id: 3, name: 'WORK' }])).toEqual({ list_id: 3 });
  });
});
