import type { TaskDto } from '@/lib/api/task-schemas';
import { describeRecurrence, parseRecurrence, type Recurrence } from '@/lib/recurrence';

// Apart from the repeat picker, so a row (which shows the words) does not bring the picker along.

/** A task's repetition in words, as a row shows it ("every Mon, Thu"), or null when it does not repeat. */
export function repeatWords(task: Pick<TaskDto, 'recurrence' | 'due_date'>): string | null {
  const rule = ruleOf(task.recurrence);
  return rule && describeRecurrence(rule, task.due_date === null ? {} : { dueDate: task.due_date });
}

export const ruleOf = (recurrence: string | null): Recurrence | null => {
  if (recurrence === null) return null;
  const parsed = parseRecurrence(recurrence);
  return 'rule' in parsed ? parsed.rule : null;
};
