/**
 * What the task API behind the proxy can do beyond the seeds' six routes (list, create, read,
 * replace, delete, toggle). Tasklane's own API does all of it; an external service of the seeds'
 * kind (`BACKEND_URL`) does none unless the operator says so in `BACKEND_FEATURES`. The web app
 * shows only what the API behind it can do, so a feature it lacks is hidden, not broken.
 */

export const TASK_FEATURES = {
  lists: 'lists of tasks (/lists, list_id)',
  tags: 'tags (/tags, tags)',
  priority: 'priorities (priority)',
  due: 'due dates and times (due_date, due_time)',
  query: 'finding tasks: filters, search, sort, pages and X-Total-Count',
  bulk: 'bulk changes (/tasks/bulk)',
  patch: 'partial updates (PATCH) and {"completed": true|false} on /complete',
  recurrence: 'repeating tasks (recurrence, recur_from)',
  reminders: 'reminders and their notifications (remind_at, /notifications)',
  calendar: 'a calendar feed (/calendar-feed)',
  data: 'export and import of your data (/export, /import)',
} as const;

export type TaskFeature = keyof typeof TASK_FEATURES;
export type TaskFeatures = Readonly<Record<TaskFeature, boolean>>;

const NAMES = Object.keys(TASK_FEATURES) as TaskFeature[];

const featuresOf = (enabled: (name: TaskFeature) => boolean) => Object.fromEntries(NAMES.map((name) => [name, enabled(name)])) as TaskFeatures;

/** Tasklane's own task API. */
export const ALL_FEATURES: TaskFeatures = featuresOf(() => true);
/** A service written from the seeds: the six routes, nothing else. */
export const SEED_FEATURES: TaskFeatures = featuresOf(() => false);

/** `BACKEND_FEATURES`: `all`, `none`, or names from TASK_FEATURES, comma-separated. */
export function parseFeatures(value: string): TaskFeatures | { unknown: string[] } {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return ALL_FEATURES;
  if (names.length === 1 && names[0] === 'none') return SEED_FEATURES;
  const unknown = names.filter((name) => !(name in TASK_FEATURES));
  if (unknown.length > 0) return { unknown };
  return featuresOf((name) => names.includes(name));
}

export const FEATURE_NAMES = NAMES;
