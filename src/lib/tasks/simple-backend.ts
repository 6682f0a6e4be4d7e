import type { TaskFeature, TaskFeatures } from '@/lib/api/features';
import { TASK_DEFAULTS } from '@/lib/api/limits';
import { compareTasks, taskMatches, type Clock } from '@/lib/api/task-order';
import type { CreateTaskBody, TaskDto, UpdateTaskBody } from '@/lib/api/task-schemas';
import { taskQueryOf, type TaskView } from './view';

/**
 * The web app against a task service that has only the seeds' six routes (`BACKEND_URL` without
 * `BACKEND_FEATURES`): it sends every task at once, in its own order, with none of Tasklane's extra
 * fields, and it cannot filter, count or page. What the web app needs of those is done here, in the
 * browser, on that one answer; see api-client.ts for where each applies.
 */

/** A task as the web app holds it, whatever the service left out (no tags, no list, no due date...). */
export function completeTask(raw: Partial<TaskDto> & Pick<TaskDto, 'id' | 'title'>): TaskDto {
  const now = new Date(0).toISOString();
  return { ...TASK_DEFAULTS, completed_at: null, user_id: '', created_at: now, updated_at: now, ...raw } as TaskDto;
}

/** The tasks of an API query (`status=pending&sort=title`...), in its order: what the service would have answered. */
export function queryLocally(tasks: readonly TaskDto[], apiQuery: string, clock: Clock): TaskDto[] {
  const query = taskQueryOf(apiQuery);
  return tasks.filter((task) => taskMatches(task, query, clock)).sort((a, b) => compareTasks(query.sort, query.order, a, b));
}

/** The feature each task field needs; the others (title, description, completed) every service keeps. */
const FIELD_FEATURES: Partial<Record<keyof CreateTaskBody, TaskFeature>> = {
  list_id: 'lists',
  tags: 'tags',
  priority: 'priority',
  due_date: 'due',
  due_time: 'due',
  recurrence: 'recurrence',
  recur_from: 'recurrence',
  remind_at: 'reminders',
};

/** The fields of a task body the service keeps; the others would be refused, or silently dropped. */
export function supportedFields<T extends CreateTaskBody | UpdateTaskBody>(body: T, features: TaskFeatures): T {
  return Object.fromEntries(
    Object.entries(body).filter(([field]) => {
      const feature = FIELD_FEATURES[field as keyof CreateTaskBody];
      return feature === undefined || features[feature];
    }),
  ) as T;
}

/** The view with what the service cannot do taken out, so a bookmarked `?tag=x` shows the tasks, not nothing. */
export function supportedView(view: TaskView, features: TaskFeatures): TaskView {
  const { list, due, q, order, ...rest } = view;
  return {
    ...rest,
    ...(features.lists && list !== undefined ? { list } : {}),
    ...(features.due && due !== undefined ? { due } : {}),
    ...(features.query && q !== undefined ? { q } : {}),
    ...(features.query && order !== undefined ? { order } : {}),
    tag: features.tags && features.query ? view.tag : [],
    priority: features.priority && features.query ? view.priority : [],
    sort: features.query ? view.sort : 'created',
  };
}

/**
 * FastAPI's error bodies as a sentence: `{"detail": "Task not found"}`, or its validation list
 * `{"detail": [{"loc": ["body", "title"], "msg": "field required"}]}` → "title: field required.".
 */
export function fastApiDetail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('detail' in body)) return undefined;
  const { detail } = body;
  if (typeof detail === 'string') return detail || undefined;
  if (!Array.isArray(detail)) return undefined;
  const parts = detail.flatMap((item: unknown) => {
    if (!item || typeof item !== 'object' || !('msg' in item) || typeof item.msg !== 'string') return [];
    const loc = 'loc' in item && Array.isArray(item.loc) ? item.loc.filter((part: unknown) => part !== 'body' && part !== 'query' && part !== 'path') : [];
    return [loc.length > 0 ? `${loc.join('.')}: ${item.msg}` : item.msg];
  });
  if (parts.length === 0) return undefined;
  const sentence = parts.join('; ');
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
