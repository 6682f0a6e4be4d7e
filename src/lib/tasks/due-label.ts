import type { Clock } from '@/lib/api/task-order';
import type { TaskDto } from '@/lib/api/task-schemas';
import { addDays } from '@/lib/dates';

/**
 * A due date as a row shows it at a glance, in the person's time zone: "Today", "Tomorrow",
 * "Yesterday", a weekday within the coming week ("Fri"), else "12 Mar" (with the year when it is
 * not this year's); overdue when it has passed and the task is still open.
 */
export interface DueLabel {
  text: string;
  /** For a screen reader and a tooltip: "Friday, 5 December 2026 at 18:00". */
  long: string;
  overdue: boolean;
}

const utc = (date: string) => new Date(`${date}T00:00:00Z`);
const format = (date: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options }).format(utc(date));

export function dueLabel(task: Pick<TaskDto, 'due_date' | 'due_time' | 'completed'>, clock: Clock): DueLabel | null {
  const date = task.due_date;
  if (date === null) return null;
  let text: string;
  if (date === clock.date) text = 'Today';
  else if (date === addDays(clock.date, 1)) text = 'Tomorrow';
  else if (date === addDays(clock.date, -1)) text = 'Yesterday';
  else if (date > clock.date && date <= addDays(clock.date, 6)) text = format(date, { weekday: 'short' });
  else text = format(date, date.slice(0, 4) === clock.date.slice(0, 4) ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' });
  const time = task.due_time;
  const overdue = !task.completed && (date < clock.date || (date === clock.date && time !== null && time < clock.time));
  return {
    text: time ? `${text} ${time}` : text,
    long: `${format(date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}${time ? ` at ${time}` : ''}`,
    overdue,
  };
}
