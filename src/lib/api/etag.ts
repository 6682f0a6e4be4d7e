import type { TaskDto } from './task-schemas';

/**
 * The strong ETag of a task as answered (see conditional.ts): its id and `updated_at`, which moves
 * on with every write. Apart from conditional.ts because the browser sends it back (If-Match) and
 * must not load the problem builders' zod schemas, whose first parse probes for eval (CSP).
 */
export function etagOf(task: Pick<TaskDto, 'id' | 'updated_at'>): string {
  return `"${task.id}-${Date.parse(task.updated_at).toString(36)}"`;
}
