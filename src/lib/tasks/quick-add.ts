import { TZDate } from '@date-fns/tz';
import { casual, type ParsedResult } from 'chrono-node/en';
import { TAG_MAX, TAGS_PER_TASK_MAX, type Priority } from '@/lib/api/limits';
import { ALL_FEATURES, type TaskFeatures } from '@/lib/api/features';
import { uniqueTags } from '@/lib/api/text';
import { isTimeZone, zonedNow } from '@/lib/dates';
import { dueLabel } from './due-label';

/**
 * The quick-add field's parser: "Pay rent tomorrow 9am #home !high" becomes the title "Pay rent"
 * and the parts it understood (a due date, tags, a priority, a list), each with where it stands in
 * the line, so the field can show it as a chip and the person can take it back.
 */

export type QuickAddPriority = Exclude<Priority, 'none'>;

/** A stretch of the line: `line.slice(start, end)`. */
export interface QuickAddRange {
  start: number;
  end: number;
}

interface Part<Kind extends string, Value> extends QuickAddRange {
  kind: Kind;
  /** The exact text of the line it came from: "tomorrow 9am", "#home", "!high". */
  text: string;
  /** What it sets. */
  value: Value;
  /** For the chip: "Tomorrow 09:00", "#home", "High priority", "List: Work". */
  label: string;
}

export type QuickAddPart =
  | Part<'due', { due_date: string; due_time: string | null }>
  | Part<'tag', { tag: string }>
  | Part<'priority', { priority: QuickAddPriority }>
  | Part<'list', { listName: string }>;

export interface QuickAddResult {
  /** The line without the understood parts, white space collapsed and trimmed: the task's title. */
  title: string;
  /** In the order they appear in the line. */
  parts: QuickAddPart[];
}

export interface QuickAddList {
  id: number;
  name: string;
}

export interface QuickAddOptions {
  now: Date;
  /** The person's IANA time zone: "tomorrow" is their tomorrow. */
  timeZone: string;
  /** The lists `@name` may name. */
  lists?: readonly QuickAddList[];
  /**
   * Stretches not to understand: the ranges of parts the person took back ("that is not a date").
   * Their text stays in the title. Offsets into this line: drop them when the line is edited before them.
   */
  ignore?: readonly QuickAddRange[];
  /** What the task API keeps (lib/api/features.ts): `#tag` is only understood where tags are. All by default. */
  features?: Pick<TaskFeatures, 'tags' | 'priority' | 'lists' | 'due'>;
}

/** The task body fields a quick-add line sets (only those it sets). */
export interface QuickAddFields {
  due_date?: string;
  due_time?: string | null;
  tags?: string[];
  priority?: QuickAddPriority;
  list_id?: number;
}

// A token starts the line or follows white space or a comma, and ends the same way.
const TAG = /(?<=^|[\s,])#([^\s,]+)(?=$|[\s,])/gu;
const TAG_NAME = /^[\p{L}\p{M}\p{Nd}_/-]+$/u;
const PRIORITY = /(?<=^|[\s,])(?:!(high|medium|med|low|[123])|p([123]))(?=$|[\s,])/giu;
// Phones type curly quotes for straight ones.
const LIST = /(?<=^|[\s,])@(?:["“]([^"“”]+)["”]|([^\s,"“”]+))(?=$|[\s,])/gu;

const PRIORITY_WORDS: Record<string, QuickAddPriority> = { high: 'high', medium: 'medium', med: 'medium', low: 'low', 1: 'high', 2: 'medium', 3: 'low' };
const PRIORITY_LABELS: Record<QuickAddPriority, string> = { high: 'High priority', medium: 'Medium priority', low: 'Low priority' };

// With forwardDate, chrono reads a bare duration as "that long from now" ("Workout 30 minutes",
// "Meditate for 20 minutes", "2h"): those say how long, not when. "in 3 days" and "3 days later" stay.
const BARE_DURATION = /^(?:\d|(?:for|an?|few|several|half|couple|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b)/i;
const RELATIVE_WORD = /\b(?:ago|later|after|before|from now|hence)$/i;
// chrono matches inside hyphenated words ("sat-nav", "now-ish", "mid-march"): a date is whole words.
const WORD_CHARACTER = /[\p{L}\p{N}_-]/u;

// Understood tokens and ignored stretches are blanked out before chrono reads the line, with a
// character that is not white space so chrono does not join the words on either side into one date.
const MASK = '|';

const overlaps = (a: QuickAddRange, b: QuickAddRange) => a.start < b.end && b.start < a.end;
const rangeOf = (match: RegExpExecArray): QuickAddRange => ({ start: match.index, end: match.index + match[0].length });
const collapse = (text: string) => text.replace(/\s+/gu, ' ').trim();
const findList = (lists: readonly QuickAddList[], name: string) => lists.find((list) => list.name.trim().toLowerCase() === name.trim().toLowerCase());

export function parseQuickAdd(line: string, options: QuickAddOptions): QuickAddResult {
  if (!isTimeZone(options.timeZone)) throw new RangeError(`Unknown time zone: ${options.timeZone}`);
  const ignored = options.ignore ?? [];
  const free = (range: QuickAddRange) => !ignored.some((other) => overlaps(range, other));

  const features = options.features ?? ALL_FEATURES;
  const tokens = [
    ...(features.tags ? tagParts(line, free) : []),
    ...(features.priority ? priorityParts(line, free) : []),
    ...(features.lists ? listParts(line, options.lists ?? [], free) : []),
  ];
  const blanked = [...ignored, ...tokens];
  let masked = line;
  for (const { start, end } of blanked) masked = masked.slice(0, start) + MASK.repeat(end - start) + masked.slice(end);
  const due = features.due ? duePart(line, masked, options, (range) => !blanked.some((other) => overlaps(range, other))) : undefined;

  const parts = (due ? [due, ...tokens] : tokens).sort((a, b) => a.start - b.start);
  const title = titleWithout(line, parts);
  // A task needs a title: a line that is all parts ("tomorrow #home") is taken as the title.
  if (title === '') return { title: collapse(line), parts: [] };
  return { title, parts };
}

/**
 * `#word` tags: letters (any script), digits, `-`, `_`, `/`, at least one letter (so "Fix bug #123"
 * keeps its number), at most TAG_MAX characters. Spellings that differ only in case are one tag,
 * spelt as first typed; past TAGS_PER_TASK_MAX tags, the rest stay in the title.
 */
function tagParts(line: string, free: (range: QuickAddRange) => boolean): QuickAddPart[] {
  const parts: QuickAddPart[] = [];
  const spellings = new Map<string, string>();
  for (const match of line.matchAll(TAG)) {
    const name = match[1]!;
    const range = rangeOf(match);
    if (name.length > TAG_MAX || !TAG_NAME.test(name) || !/\p{L}/u.test(name) || !free(range)) continue;
    const key = name.toLowerCase();
    if (!spellings.has(key)) {
      if (spellings.size === TAGS_PER_TASK_MAX) continue;
      spellings.set(key, name);
    }
    const tag = spellings.get(key)!;
    parts.push({ kind: 'tag', text: match[0], ...range, value: { tag }, label: `#${tag}` });
  }
  return parts;
}

/** `!high` `!medium` `!med` `!low`, `!1` to `!3`, `p1` to `p3`. The last one counts; earlier ones stay in the title. */
function priorityParts(line: string, free: (range: QuickAddRange) => boolean): QuickAddPart[] {
  const match = [...line.matchAll(PRIORITY)].filter((candidate) => free(rangeOf(candidate))).at(-1);
  if (!match) return [];
  const priority = PRIORITY_WORDS[(match[1] ?? match[2])!.toLowerCase()]!;
  return [{ kind: 'priority', text: match[0], ...rangeOf(match), value: { priority }, label: PRIORITY_LABELS[priority] }];
}

/**
 * `@Work` or `@"Two words"` naming one of the lists, ignoring case; the last one counts. An `@name`
 * that names no list (an email address, a mention) stays in the title.
 */
function listParts(line: string, lists: readonly QuickAddList[], free: (range: QuickAddRange) => boolean): QuickAddPart[] {
  let found: QuickAddPart | undefined;
  for (const match of line.matchAll(LIST)) {
    const list = findList(lists, (match[1] ?? match[2])!);
    const range = rangeOf(match);
    if (list && free(range)) found = { kind: 'list', text: match[0], ...range, value: { listName: list.name }, label: `List: ${list.name}` };
  }
  return found ? [found] : [];
}

/** The first date chrono finds in the line, as a calendar date (and a time, if one was said) in the person's time zone. */
function duePart(line: string, masked: string, options: QuickAddOptions, free: (range: QuickAddRange) => boolean): QuickAddPart | undefined {
  const clock = zonedNow(options.timeZone, options.now.getTime());
  // chrono's { instant, timezone } reference takes an offset or an abbreviation (an IANA name is
  // ignored), and its forwardDate compares that zone's wall clock with instants in the runtime's
  // zone: "Thu" said on a Thursday in Auckland lands a week out on a UTC machine. So chrono works
  // in the runtime's zone throughout, on a Date that reads the person's wall-clock time there.
  const wall = new TZDate(options.now.getTime(), options.timeZone);
  const reference = new Date(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes(), wall.getSeconds());
  for (const result of casual.parse(masked, reference, { forwardDate: true })) {
    const range = { start: result.index, end: result.index + result.text.length };
    const glued = WORD_CHARACTER.test(line.charAt(range.start - 1)) || WORD_CHARACTER.test(line.charAt(range.end));
    if (glued || !free(range) || isBareDuration(result)) continue;
    const value = dueOf(result, clock.date, options.timeZone);
    const label = dueLabel({ ...value, completed: false }, clock)!.text;
    return { kind: 'due', text: line.slice(range.start, range.end), ...range, value, label };
  }
  return undefined;
}

function isBareDuration(result: ParsedResult): boolean {
  return result.tags().has('result/relativeDate') && BARE_DURATION.test(result.text) && !RELATIVE_WORD.test(result.text);
}

function dueOf(result: ParsedResult, today: string, timeZone: string): { due_date: string; due_time: string | null } {
  const { start } = result;
  const tags = result.tags();
  // chrono marks its own zone certain for "now" and "in 2 hours"; otherwise a certain zone was
  // said ("9am UTC"), and the instant it names is read on the person's clock.
  const zoneSaid = start.isCertain('timezoneOffset') && !tags.has('casualReference/now') && !tags.has('result/relativeDateAndTime');
  const instant = zoneSaid
    ? start.date().getTime()
    : new TZDate(start.get('year')!, start.get('month')! - 1, start.get('day')!, start.get('hour')!, start.get('minute')!, timeZone).getTime();
  const { date, time } = zonedNow(timeZone, instant);
  // forwardDate moves a yearless date whose hour has passed to next year ("Dec 2 9am" said at 10:00
  // on 2 December): a date, not a time, is what must not be past, so today stays today.
  const lastYear = `${String(Number(date.slice(0, 4)) - 1).padStart(4, '0')}${date.slice(4)}`;
  return { due_date: !start.isCertain('year') && lastYear === today ? today : date, due_time: start.isCertain('hour') ? time : null };
}

/** The line without the parts. A comma that set a part off goes with it: "Buy milk, #home" is "Buy milk". */
function titleWithout(line: string, parts: readonly QuickAddRange[]): string {
  const pieces: string[] = [];
  let from = 0;
  for (const part of parts) {
    pieces.push(line.slice(from, part.start));
    from = part.end;
  }
  pieces.push(line.slice(from));
  const trimmed = pieces.map((piece, index) => {
    let text = piece;
    if (index > 0) text = text.replace(/^\s*,/u, '');
    if (index < pieces.length - 1) text = text.replace(/,\s*$/u, '');
    return text;
  });
  return collapse(trimmed.join(' '));
}

/** The task body fields the parts set; a list by its name in `lists` (ignoring case), left out if no list has that name. */
export function quickAddFields(result: QuickAddResult, lists: readonly QuickAddList[] = []): QuickAddFields {
  const fields: QuickAddFields = {};
  const tags: string[] = [];
  for (const part of result.parts) {
    switch (part.kind) {
      case 'due':
        fields.due_date = part.value.due_date;
        fields.due_time = part.value.due_time;
        break;
      case 'tag':
        tags.push(part.value.tag);
        break;
      case 'priority':
        fields.priority = part.value.priority;
        break;
      case 'list': {
        const list = findList(lists, part.value.listName);
        if (list) fields.list_id = list.id;
        break;
      }
    }
  }
  if (tags.length > 0) fields.tags = uniqueTags(tags);
  return fields;
}
