import { z } from 'zod';
import {
  DEFAULT_ORDER,
  DESCRIPTION_MAX,
  DUE_FILTERS,
  LIMIT_DEFAULT,
  LIMIT_MAX,
  PRIORITIES,
  QUERY_MAX,
  RECUR_FROM,
  REMIND_AT_MAX_YEARS,
  TAG_MAX,
  TAGS_PER_TASK_MAX,
  TASK_DEFAULTS,
  TASK_SORTS,
  TITLE_MAX,
  type SortOrder,
  type TaskSort,
} from './limits';
import { parseRecurrence, formatRecurrence } from '@/lib/recurrence';
import { problems } from './problem';
import { RECURRENCE_NEEDS_DATE } from './task-lifecycle';
import { uniqueTags } from './text';

/**
 * The task API's wire schemas. The same schemas validate the browser's forms and the handlers'
 * bodies (and the msw mock's), so all three agree on what is valid.
 */

export { DESCRIPTION_MAX, LIMIT_DEFAULT, LIMIT_MAX, TASK_DEFAULTS, TITLE_MAX };

// PostgreSQL text cannot hold NUL, and a lone surrogate cannot be stored as UTF-8 and read back
// unchanged: refuse both up front rather than store something other than what was sent.
const storableText = (schema: z.ZodString) =>
  schema
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
    .refine((value) => value.isWellFormed(), 'must be well-formed Unicode')
    // An invisible byte-order mark, left by editors; the embedded database's reader (PGlite's
    // TextDecoder) would drop it, so it could not come back exactly: refused rather than altered.
    .refine((value) => !value.startsWith('\uFEFF'), 'must not begin with a byte order mark (U+FEFF)');

export const titleSchema = storableText(
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`),
);

export const descriptionSchema = storableText(
  z.string({ error: 'must be a string or null' }).max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`),
).nullable();

const completedSchema = z.boolean({ error: 'must be true or false' });

export const prioritySchema = z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` });

export const tagNameSchema = storableText(
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(TAG_MAX, `must be at most ${TAG_MAX} characters`)
    .refine((value) => !value.includes(','), 'must not contain a comma'),
);

const tagsSchema = z
  .array(tagNameSchema, { error: 'must be an array of tag names' })
  .max(TAGS_PER_TASK_MAX, `must have at most ${TAGS_PER_TASK_MAX} tags`)
  .overwrite(uniqueTags);

const idSchema = (what: string) =>
  z
    .number({ error: `must be ${what}` })
    .int(`must be ${what}`)
    .positive(`must be ${what}`)
    .max(Number.MAX_SAFE_INTEGER, `must be ${what}`);

const listIdSchema = idSchema('a list id (an integer) or null').nullable();

/** `YYYY-MM-DD`, a real calendar date. */
export const dateSchema = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
/** `HH:MM`, 24-hour. */
export const timeSchema = z.iso.time({ precision: -1, error: 'must be a time as HH:MM (24-hour)' });

/** An RRULE value of the contract's subset (lib/recurrence.ts), stored in its canonical spelling. */
export const recurrenceSchema = z
  .string({ error: 'must be an RRULE value such as FREQ=WEEKLY;BYDAY=MO,TH, or null' })
  .max(200, 'must be at most 200 characters')
  .transform((value, ctx) => {
    const parsed = parseRecurrence(value);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return formatRecurrence(parsed.rule);
  });

export const recurFromSchema = z.enum(RECUR_FROM, { error: 'must be due or completion' });

/** An RFC 3339 instant with its offset, at most REMIND_AT_MAX_YEARS ahead (one in the past fires at the next run). */
export const remindAtSchema = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 timestamp such as 2026-12-03T08:00:00Z' })
  .refine((value) => {
    const limit = new Date();
    limit.setUTCFullYear(limit.getUTCFullYear() + REMIND_AT_MAX_YEARS);
    return Date.parse(value) <= limit.getTime();
  }, `must be at most ${REMIND_AT_MAX_YEARS} years ahead`);

const bodyObject = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? 'The body must be a JSON object' : undefined) });

/**
 * The fields a client may write, each once: with its rule, and its default on create (`title`
 * has none: it is required). Create, update, the task itself and the OpenAPI document are built
 * from this one list, and so are the server's columns and the mock's store (see task-json.ts).
 */
const writableTaskFields = {
  title: titleSchema,
  description: descriptionSchema.default(TASK_DEFAULTS.description),
  completed: completedSchema.default(TASK_DEFAULTS.completed),
  priority: prioritySchema.default(TASK_DEFAULTS.priority),
  tags: tagsSchema.default(() => [...TASK_DEFAULTS.tags]),
  list_id: listIdSchema.default(TASK_DEFAULTS.list_id),
  due_date: dateSchema.nullable().default(TASK_DEFAULTS.due_date),
  due_time: timeSchema.nullable().default(TASK_DEFAULTS.due_time),
  recurrence: recurrenceSchema.nullable().default(TASK_DEFAULTS.recurrence),
  recur_from: recurFromSchema.default(TASK_DEFAULTS.recur_from),
  remind_at: remindAtSchema.nullable().default(TASK_DEFAULTS.remind_at),
};
type WritableTaskFields = typeof writableTaskFields;
type WithoutDefault<S> = S extends z.ZodDefault<infer Inner> ? Inner : S;

function withoutDefaults(): { [K in keyof WritableTaskFields]: WithoutDefault<WritableTaskFields[K]> } {
  return Object.fromEntries(
    Object.entries(writableTaskFields).map(([key, schema]) => [key, schema instanceof z.ZodDefault ? schema.unwrap() : schema]),
  ) as never;
}

const fieldsWithoutDefaults = withoutDefaults();

const DUE_TIME_NEEDS_DATE = 'needs a due_date: a time is a time of the due day';

/** A new task: `title`, and any other writable field (the defaults fill the rest). */
export const createTaskSchema = bodyObject(writableTaskFields).superRefine((task, ctx) => {
  if (task.due_time !== null && task.due_date === null) ctx.addIssue({ code: 'custom', path: ['due_time'], message: DUE_TIME_NEEDS_DATE });
  if (task.recurrence !== null && task.due_date === null) ctx.addIssue({ code: 'custom', path: ['recurrence'], message: RECURRENCE_NEEDS_DATE });
});
export type CreateTaskInput = z.output<typeof createTaskSchema>;
/** What a client sends to create a task. */
export type CreateTaskBody = z.input<typeof createTaskSchema>;

export const updateTaskSchema = bodyObject(
  Object.fromEntries(Object.entries(fieldsWithoutDefaults).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof WritableTaskFields]: z.ZodOptional<WithoutDefault<WritableTaskFields[K]>>;
  },
)
  .refine((input) => Object.keys(input).length > 0, `Send at least one of ${Object.keys(writableTaskFields).join(', ')}`)
  .superRefine((changes, ctx) => {
    // A time with the date cleared in the same change; a time without the date sent is checked
    // against the stored date by the database (tasks_due_time_needs_date).
    if (changes.due_time != null && changes.due_date === null) ctx.addIssue({ code: 'custom', path: ['due_time'], message: DUE_TIME_NEEDS_DATE });
    if (changes.recurrence != null && changes.due_date === null) ctx.addIssue({ code: 'custom', path: ['recurrence'], message: RECURRENCE_NEEDS_DATE });
  });
export type UpdateTaskInput = z.infer<typeof updateTaskSchema>;
/** What a client sends to change a task. */
export type UpdateTaskBody = z.input<typeof updateTaskSchema>;

export const completeTaskSchema = bodyObject({ completed: completedSchema });
export type CompleteTaskInput = z.infer<typeof completeTaskSchema>;

export const taskStatusSchema = z.enum(['all', 'pending', 'completed'], { error: 'must be all, pending or completed' });
export type TaskStatus = z.infer<typeof taskStatusSchema>;

const listIdParamSchema = z.union([z.literal('inbox'), z.string().regex(/^[1-9]\d{0,15}$/).transform(Number)], {
  error: 'must be one of your list ids, or inbox',
});

/** The filters of "Finding tasks" as a bulk change's `filter` object carries them (JSON types). */
const filterFields = {
  status: taskStatusSchema.default('all').meta({ description: 'Which tasks: all (default), pending or completed.' }),
  q: storableText(
    z
      .string({ error: 'must be a string' })
      .max(QUERY_MAX, `must be at most ${QUERY_MAX} characters`)
      .refine((value) => value.trim() !== '', 'must have at least one word'),
  )
    .optional()
    .meta({ description: 'Words (split on white space) that must each occur in the title or the description, ignoring case.' }),
  priority: z
    .array(prioritySchema, { error: `must be a list of ${PRIORITIES.join(', ')}` })
    .min(1, 'must name at least one priority')
    .optional()
    .meta({ description: 'Any of these priorities.' }),
  tag: z
    .array(tagNameSchema, { error: 'must be a list of tag names' })
    .max(TAGS_PER_TASK_MAX, `must have at most ${TAGS_PER_TASK_MAX} tags`)
    .optional()
    .meta({ description: 'The task has every one of these tags (ignoring case).' }),
  list: z
    .union([z.literal('inbox'), idSchema('one of your list ids, or inbox')], { error: 'must be one of your list ids, or inbox' })
    .optional()
    .meta({ description: 'One of your list ids, or `inbox` (tasks in no list).' }),
  due: z
    .enum(DUE_FILTERS, { error: `must be one of ${DUE_FILTERS.join(', ')}` })
    .optional()
    .meta({ description: 'overdue, today, week (today and the next 6 days), none (no due date) or scheduled (any), in your time zone.' }),
  due_from: dateSchema.optional().meta({ description: 'Due on or after this date (YYYY-MM-DD).' }),
  due_to: dateSchema.optional().meta({ description: 'Due on or before this date (YYYY-MM-DD).' }),
};
export const taskFilterSchema = z.strictObject(filterFields, { error: 'must be an object of task filters' });
export type TaskFilter = z.output<typeof taskFilterSchema>;

const pageSize = z
  .string()
  .regex(/^\d{1,4}$/, `must be an integer from 1 to ${LIMIT_MAX}`)
  .transform(Number)
  .pipe(z.number().min(1, `must be an integer from 1 to ${LIMIT_MAX}`).max(LIMIT_MAX, `must be an integer from 1 to ${LIMIT_MAX}`))
  .default(LIMIT_DEFAULT)
  .meta({ description: `Page size, 1 to ${LIMIT_MAX} (default ${LIMIT_DEFAULT}).` });

/** The query string of `GET /tasks`, as the OpenAPI document describes it (strings, `tag` repeated). */
export const listTasksParamsSchema = z.object({
  ...filterFields,
  priority: z
    .string()
    .transform((value) => value.split(','))
    .pipe(filterFields.priority.unwrap())
    .optional()
    .meta({ description: 'Comma-separated: any of these priorities.' }),
  list: listIdParamSchema.optional().meta({ description: 'One of your list ids, or `inbox` (tasks in no list).' }),
  sort: z.enum(TASK_SORTS, { error: `must be one of ${TASK_SORTS.join(', ')}` }).default('created').meta({ description: 'created (default), updated, due, priority or title.' }),
  order: z
    .enum(['asc', 'desc'], { error: 'must be asc or desc' })
    .optional()
    .meta({ description: 'asc or desc; the default is desc, but asc for due and title.' }),
  limit: pageSize,
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,2048}$/, 'is not a cursor this API issued')
    .optional()
    .meta({ description: 'Where the next page starts: copy it from the `Link` header, never build it. It belongs to its query.' }),
});

/** Where a page starts: after the row with these sort keys and this id. */
export interface CursorPosition {
  keys: (string | null)[];
  id: number;
}

export interface TaskQuery extends TaskFilter {
  sort: TaskSort;
  order: SortOrder;
  /** The words of `q`. */
  words: string[];
}

export type ListTasksQuery = TaskQuery & { limit: number; after: CursorPosition | undefined };

/** A TaskFilter (or a parsed query) with `q` split into its words. */
export function withWords<F extends TaskFilter>(filter: F): F & { words: string[] } {
  return { ...filter, words: filter.q === undefined ? [] : filter.q.trim().split(/\s+/u) };
}

export const listTasksQuerySchema = listTasksParamsSchema.transform((params, ctx): ListTasksQuery => {
  const { cursor, limit, order, ...filter } = params;
  const query = withWords({ ...filter, order: order ?? DEFAULT_ORDER[filter.sort] });
  let after: CursorPosition | undefined;
  if (cursor !== undefined) {
    const decoded = decodeCursor(cursor);
    if (!decoded || !cursorKeysFit(query.sort, decoded.k)) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'is not a cursor this API issued' });
    } else if (decoded.h !== queryFingerprint(query)) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'belongs to another query: a cursor works only with the sort and filters it came with' });
    } else {
      after = { keys: decoded.k, id: decoded.i };
    }
  }
  return { ...query, limit, after };
});

/** Query parameters this API knows; others (e.g. `user_id`) are ignored, never applied. */
export function parseListQuery(params: URLSearchParams) {
  const known: Record<string, string | string[]> = {};
  for (const key of Object.keys(listTasksParamsSchema.shape)) {
    if (key === 'tag') {
      const tags = params.getAll('tag');
      if (tags.length > 0) known.tag = tags;
      continue;
    }
    const value = params.get(key);
    if (value !== null) known[key] = value;
  }
  const result = listTasksQuerySchema.safeParse(known);
  // A problem is the parameter's, whatever part of it (`priority`, not `priority.1`).
  if (!result.success) for (const issue of result.error.issues) (issue as { path: PropertyKey[] }).path = issue.path.slice(0, 1);
  return result;
}

/**
 * What a cursor is bound to: the filters, the sort and the order (not the page size). Two queries
 * with the same fingerprint list the same tasks in the same order.
 */
export function queryFingerprint(query: Omit<TaskQuery, 'words'>): string {
  const canonical = JSON.stringify([
    query.status,
    query.q?.trim().split(/\s+/u).join(' ') ?? null,
    query.priority ? [...new Set(query.priority)].sort() : null,
    query.tag ? [...new Set(query.tag.map((tag) => tag.toLowerCase()))].sort() : null,
    query.list ?? null,
    query.due ?? null,
    query.due_from ?? null,
    query.due_to ?? null,
    query.sort,
    query.order,
  ]);
  // FNV-1a, 32 bits: a binding, not a secret (the cursor is scoped to its user like any query).
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(canonical)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(36);
}

const TIMESTAMP_KEY = /^(\d{4})-(\d\d)-(\d\d)[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d\d(:\d\d)?)$/;
const DATE_KEY = /^(\d{4})-(\d\d)-(\d\d)$/;
const TIME_KEY = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$|^24:00:00$/;

/** Year, month and day of a key name a real calendar date (the database would refuse the cast otherwise). */
function isCalendarDate(match: RegExpExecArray | null): boolean {
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The sort keys a cursor of this sort carries, each of the type the query compares it with. */
function cursorKeysFit(sort: TaskSort, keys: (string | null)[]): boolean {
  switch (sort) {
    case 'created':
      return keys.length === 0;
    case 'updated':
      return keys.length === 1 && typeof keys[0] === 'string' && isCalendarDate(TIMESTAMP_KEY.exec(keys[0]));
    case 'due':
      return (
        keys.length === 2 &&
        typeof keys[0] === 'string' &&
        (keys[0] === 'infinity' || keys[0] === '-infinity' || isCalendarDate(DATE_KEY.exec(keys[0]))) &&
        typeof keys[1] === 'string' &&
        TIME_KEY.test(keys[1])
      );
    case 'priority':
      return keys.length === 1 && (PRIORITIES as readonly unknown[]).includes(keys[0]);
    case 'title':
      return keys.length === 1 && typeof keys[0] === 'string' && keys[0].length <= TITLE_MAX && keys[0].isWellFormed() && !keys[0].includes('\u0000');
  }
}

interface CursorPayload {
  h: string;
  k: (string | null)[];
  i: number;
}

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function fromBase64Url(value: string): string | undefined {
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The cursor after a page's last row: opaque to clients, bound to its query. */
export function encodeCursor(query: Omit<TaskQuery, 'words'>, position: CursorPosition): string {
  const payload: CursorPayload = { h: queryFingerprint(query), k: position.keys, i: position.id };
  return toBase64Url(JSON.stringify(payload));
}

function decodeCursor(cursor: string): CursorPayload | undefined {
  const text = fromBase64Url(cursor);
  if (text === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { h, k, i } = payload as Record<string, unknown>;
  if (typeof h !== 'string' || !Array.isArray(k) || k.some((key) => key !== null && typeof key !== 'string')) return undefined;
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 1) return undefined;
  return { h, k: k as (string | null)[], i };
}


/** Task ids in paths: a positive integer the database can hold, or nothing (→ 404). */
export function parseTaskId(raw: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** The path's task id, or the same 404 an unknown or foreign id gets. */
export function taskIdFrom(raw: string): number {
  const id = parseTaskId(raw);
  if (id === undefined) throw problems.notFound();
  return id;
}

/** A task as the API sends it: its writable fields, and those the server owns (ISO-8601 timestamps). */
export const taskSchema = z
  .strictObject({
    id: z.number().int().positive(),
    user_id: z.string().min(1),
    ...fieldsWithoutDefaults,
    recurrence: z.string().nullable().meta({ description: 'The RRULE value, in its canonical spelling.' }),
    completed_at: z.iso.datetime().nullable().meta({ description: 'When it was last completed (the last occurrence, for a recurring task); null if never, or reopened.' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Task' });
export type TaskDto = z.infer<typeof taskSchema>;
