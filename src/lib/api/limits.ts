/**
 * The task API's limits, without zod: browser code imports these instead of task-schemas.ts, so
 * the page's bundle does not carry the whole schema library for four numbers.
 */
export const TITLE_MAX = 255;
export const DESCRIPTION_MAX = 10_000;
export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 200;
