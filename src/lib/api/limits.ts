/**
 * The task API's limits and defaults, without zod: browser code imports these instead of
 * task-schemas.ts, so the page's bundle does not carry the whole schema library for a few values.
 */
export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 200;

/**
 * What a new task gets for each writable field it was created without (every one but `title`).
 * task-schemas.ts applies these on create; the web app shows its optimistic row with them.
 */
export const TASK_DEFAULTS = {
  description: null,
  completed: false,
} as const;
