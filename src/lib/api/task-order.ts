import { PRIORITIES, type SortOrder, type TaskSort } from './limits';
import type { CursorPosition, TaskDto, TaskFilter } from './task-schemas';
import { compareText } from './text';
import { addDays } from '../dates';

/**
 * "Finding tasks" in JavaScript, the way server/tasks/find.ts asks PostgreSQL: which tasks match a
 * filter, in which order, and what a cursor's keys are. The msw mock answers with it, and the web
 * app places a changed task where the server will list it.
 */

type Sortable = Pick<TaskDto, 'id' | 'title' | 'priority' | 'due_date' | 'due_time' | 'updated_at'>;

/** A task's sort keys, as text, in the form server/tasks/find.ts puts them in a cursor. */
export function sortKeys(task: Sortable, sort: TaskSort, order: SortOrder): string[] {
  switch (sort) {
    case 'created':
      return [];
    case 'updated':
      return [task.updated_at];
    case 'title':
      return [task.title.toLowerCase()];
    case 'priority':
      return [task.priority];
    case 'due':
      // No date sorts last either way ('infinity' ascending, '-infinity' descending); no time, last in its day.
      return [task.due_date ?? (order === 'asc' ? 'infinity' : '-infinity'), `${task.due_time ?? '24:00'}:00`.slice(0, 8)];
  }
}

/** An `updated_at` key (ISO-8601, or PostgreSQL's text form `2026-12-03 10:00:00.123+00`) in ms. */
function instant(key: string): number {
  return Date.parse(key.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

/** How two keys of one sort compare, in ascending terms. */
function compareKey(sort: TaskSort, a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (sort === 'priority') return PRIORITIES.indexOf(a as never) - PRIORITIES.indexOf(b as never);
  if (sort === 'title') return compareText(a ?? '', b ?? '');
  if (sort === 'updated') return instant(a!) - instant(b!) || compareText(a!, b!);
  // Dates (and ±infinity) and times as text: '-' < digits < 'i' puts the infinities at the ends.
  return compareText(a ?? '', b ?? '');
}

/** Negative when the row (keys, id) comes before the other in this sort and order; ties by id descending. */
export function compareRows(sort: TaskSort, order: SortOrder, a: CursorPosition, b: CursorPosition): number {
  for (let i = 0; i < a.keys.length; i++) {
    const byKey = compareKey(sort, a.keys[i]!, b.keys[i]!);
    if (byKey !== 0) return order === 'asc' ? byKey : -byKey;
  }
  if (sort === 'created') return order === 'asc' ? a.id - b.id : b.id - a.id;
  return b.id - a.id;
}

export function compareTasks(sort: TaskSort, order: SortOrder, a: Sortable, b: Sortable): number {
  return compareRows(sort, order, { keys: sortKeys(a, sort, order), id: a.id }, { keys: sortKeys(b, sort, order), id: b.id });
}

/** Today and now in the user's time zone (see lib/dates.ts), for the due filters. */
export interface Clock {
  date: string;
  time: string;
}

/** Whether `task` matches `filter` (its `q` split into `words`), as server/tasks/find.ts's `matching` decides. */
export function taskMatches(task: TaskDto, filter: TaskFilter & { words: string[] }, clock: Clock): boolean {
  if (filter.status === 'pending' && task.completed) return false;
  if (filter.status === 'completed' && !task.completed) return false;
  const text = `${task.title} ${task.description ?? ''}`.toLowerCase();
  if (!filter.words.every((word) => text.includes(word.toLowerCase()))) return false;
  if (filter.priority && !filter.priority.includes(task.priority)) return false;
  const tags = new Set(task.tags.map((tag) => tag.toLowerCase()));
  if (filter.tag && !filter.tag.every((tag) => tags.has(tag.toLowerCase()))) return false;
  if (filter.list === 'inbox' && task.list_id !== null) return false;
  if (typeof filter.list === 'number' && task.list_id !== filter.list) return false;
  const due = task.due_date;
  switch (filter.due) {
    case 'overdue':
      if (task.completed || due === null || due > clock.date || (due === clock.date && (task.due_time === null || task.due_time >= clock.time))) return false;
      break;
    case 'today':
      if (due !== clock.date) return false;
      break;
    case 'week':
      if (due === null || due < clock.date || due > addDays(clock.date, 6)) return false;
      break;
    case 'none':
      if (due !== null) return false;
      break;
    case 'scheduled':
      if (due === null) return false;
      break;
  }
  if (filter.due_from && (due === null || due < filter.due_from)) return false;
  if (filter.due_to && (due === null || due > filter.due_to)) return false;
  return true;
}
