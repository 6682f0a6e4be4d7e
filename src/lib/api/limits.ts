/**
 * The task API's limits, vocabularies and defaults, without zod: browser code imports these
 * instead of task-schemas.ts, so the page's bundle does not carry the whole schema library for a
 * few values.
 */
export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 200;
export const TAG_MAX = 32;
export const TAGS_PER_TASK_MAX = 20;
export const LIST_NAME_MAX = 64;
export const QUERY_MAX = 200;
export const BULK_IDS_MAX = 1_000;

export const PRIORITIES = ['none', 'low', 'medium', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TASK_SORTS = ['created', 'updated', 'due', 'priority', 'title'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export type SortOrder = 'asc' | 'desc';
/** `due` and `title` read naturally from the first; the others newest or highest first. */
export const DEFAULT_ORDER: Record<TaskSort, SortOrder> = { created: 'desc', updated: 'desc', due: 'asc', priority: 'desc', title: 'asc' };

export const DUE_FILTERS = ['overdue', 'today', 'week', 'none', 'scheduled'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/**
 * What a new task gets for each writable field it was created without (every one but `title`).
 * task-schemas.ts applies these on create; the web app shows its optimistic row with them.
 */
export const TASK_DEFAULTS = {
  description: null,
  completed: false,
  priority: 'none',
  tags: [] as string[],
  list_id: null,
  due_date: null,
  due_time: null,
  recurrence: null,
  recur_from: 'due',
  remind_at: null,
} as const;

export const RECUR_FROM = ['due', 'completion'] as const;
export type RecurFrom = (typeof RECUR_FROM)[number];
/** How far ahead a reminder may be set. */
export const REMIND_AT_MAX_YEARS = 10;

/** Import's own body cap (the task API's other bodies stop at 64 KB). */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Tasks per import: one transaction stays minutes short of a timeout (10 MB of bare titles is millions). */
export const IMPORT_MAX_TASKS = 100_000;
