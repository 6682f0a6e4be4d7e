import { zonedNow } from '@/lib/dates';
import { firstOccurrence, nextOccurrence, shiftInstant } from '@/lib/occurrences';
import { parseRecurrence } from '@/lib/recurrence';
import type { RecurFrom } from './limits';

/**
 * What completing, reopening and rescheduling do to a task's recurrence, completion time and
 * reminder, as pure functions of the stored task: the server (server/tasks/queries.ts, bulk.ts)
 * and the msw mock (mocks/task-store.ts) both write what these return, so they cannot disagree.
 */

/** The stored fields these rules read (record names; `recurStart`, `recurDone` are internal). */
export interface RecurringTask {
  completed: boolean;
  completedAt: Date | null;
  dueDate: string | null;
  recurrence: string | null;
  recurFrom: RecurFrom;
  /** The series' first date: "due" occurrences are counted from it. */
  recurStart: string | null;
  /** Occurrences completed since the rule was set. */
  recurDone: number;
  remindAt: Date | null;
}

/** The fields a completion or a reopening writes. `remindedAt: null` arms the reminder again. */
export interface CompletionFields {
  completed: boolean;
  completedAt: Date | null;
  dueDate?: string;
  recurDone?: number;
  remindAt?: Date | null;
  remindedAt?: null;
}

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * Completing (`completed: true`) or reopening a task. A recurring task with an occurrence left
 * stays open and moves to it: the due date to the next occurrence strictly after the current one
 * (or after today in the person's zone, `recur_from: "completion"`), the reminder by as many
 * calendar days at the same wall-clock time, armed again. With none left it closes like any task.
 * Completing a task that is already completed changes nothing but keeps its time of completion.
 */
export function completionOf(task: RecurringTask, completed: boolean, now: Date, timeZone: string): CompletionFields {
  if (!completed) return { completed: false, completedAt: task.recurrence === null ? null : task.completedAt };
  if (task.completed) return { completed: true, completedAt: task.completedAt ?? now };
  const parsed = task.recurrence === null || task.dueDate === null ? undefined : parseRecurrence(task.recurrence);
  if (!parsed || 'error' in parsed) return { completed: true, completedAt: now };
  const today = zonedNow(timeZone, now.getTime()).date;
  const fromCompletion = task.recurFrom === 'completion';
  const next = nextOccurrence({
    rule: parsed.rule,
    anchor: fromCompletion ? today : (task.recurStart ?? task.dueDate!),
    after: fromCompletion ? today : task.dueDate!,
    done: task.recurDone,
  });
  if (next === null) return { completed: true, completedAt: now };
  const moved = daysBetween(task.dueDate!, next);
  return {
    completed: false,
    completedAt: now,
    dueDate: next,
    recurDone: task.recurDone + 1,
    remindAt: task.remindAt && shiftInstant(task.remindAt, moved, timeZone),
    remindedAt: null,
  };
}

/** The recurrence fields a write sets, or the field it is refused on. */
export type ScheduleOutcome =
  | { fields: { recurrence?: string | null; recurStart?: string | null; recurDone?: number } }
  | { refused: { path: 'recurrence'; message: string } };

export const RECURRENCE_NEEDS_DATE = 'needs a due_date: a task repeats from its due date';
const NEVER_OCCURS = 'never produces an occurrence on or after the due date: check UNTIL, or the day of the month';

/**
 * A create or an update that touches `due_date` or `recurrence`: the series starts again from the
 * (new) due date; a new rule starts its COUNT again; clearing the date clears the repetition
 * (as it clears the time), unless the same write sets a rule, which is refused. A rule with no
 * occurrence on or after the due date is refused rather than stored.
 */
export function scheduleOf(current: Pick<RecurringTask, 'dueDate' | 'recurrence'>, changes: { dueDate?: string | null; recurrence?: string | null }): ScheduleOutcome {
  const dueDate = changes.dueDate !== undefined ? changes.dueDate : current.dueDate;
  let recurrence = changes.recurrence !== undefined ? changes.recurrence : current.recurrence;
  if (changes.dueDate === null && changes.recurrence === undefined) recurrence = null;
  if (recurrence === null) return { fields: { recurrence: null, recurStart: null, recurDone: 0 } };
  if (dueDate === null) return { refused: { path: 'recurrence', message: RECURRENCE_NEEDS_DATE } };
  const parsed = parseRecurrence(recurrence);
  if ('error' in parsed) return { refused: { path: 'recurrence', message: parsed.error } };
  if (firstOccurrence(parsed.rule, dueDate) === null) return { refused: { path: 'recurrence', message: NEVER_OCCURS } };
  return { fields: { recurrence, recurStart: dueDate, ...(changes.recurrence !== undefined ? { recurDone: 0 } : {}) } };
}
