import { z } from 'zod';
import { problems } from './problem';
import { DESCRIPTION_MAX, LIMIT_DEFAULT, LIMIT_MAX, TASK_DEFAULTS, TITLE_MAX } from './limits';

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
};
type WritableTaskFields = typeof writableTaskFields;
type WithoutDefault<S> = S extends z.ZodDefault<infer Inner> ? Inner : S;

function withoutDefaults(): { [K in keyof WritableTaskFields]: WithoutDefault<WritableTaskFields[K]> } {
  return Object.fromEntries(
    Object.entries(writableTaskFields).map(([key, schema]) => [key, schema instanceof z.ZodDefault ? schema.unwrap() : schema]),
  ) as never;
}

const fieldsWithoutDefaults = withoutDefaults();

/** A new task: `title`, and any other writable field (the defaults fill the rest). */
export const createTaskSchema = bodyObject(writableTaskFields);
export type CreateTaskInput = z.output<typeof createTaskSchema>;
/** What a client sends to create a task. */
export type CreateTaskBody = z.input<typeof createTaskSchema>;

export const updateTaskSchema = bodyObject(
  Object.fromEntries(Object.entries(fieldsWithoutDefaults).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof WritableTaskFields]: z.ZodOptional<WithoutDefault<WritableTaskFields[K]>>;
  },
).refine((input) => Object.keys(input).length > 0, `Send at least one of ${Object.keys(writableTaskFields).join(', ')}`);
export type UpdateTaskInput = z.infer<typeof updateTaskSchema>;
/** What a client sends to change a task. */
export type UpdateTaskBody = z.input<typeof updateTaskSchema>;

export const completeTaskSchema = bodyObject({ completed: completedSchema });
export type CompleteTaskInput = z.infer<typeof completeTaskSchema>;

export const taskStatusSchema = z.enum(['all', 'pending', 'completed'], { error: 'must be all, pending or completed' });
export type TaskStatus = z.infer<typeof taskStatusSchema>;

const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export const listTasksQuerySchema = z.object({
  status: taskStatusSchema.default('all').meta({ description: 'Which tasks: all (default), pending or completed.' }),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `must be an integer from 1 to ${LIMIT_MAX}`)
    .transform(Number)
    .pipe(z.number().min(1, `must be an integer from 1 to ${LIMIT_MAX}`).max(LIMIT_MAX, `must be an integer from 1 to ${LIMIT_MAX}`))
    .default(LIMIT_DEFAULT)
    .meta({ description: `Page size, 1 to ${LIMIT_MAX} (default ${LIMIT_DEFAULT}).` }),
  cursor: z
    .string()
    .regex(CURSOR_PATTERN, 'is not a cursor this API issued')
    .transform((cursor, ctx) => {
      const id = decodeCursor(cursor);
      if (id === undefined) {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued' });
        return z.NEVER;
      }
      return id;
    })
    .optional()
    .meta({ description: 'Where the next page starts: copy it from the `Link` header, never build it.' }),
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

/** Query parameters this API knows; others (e.g. `user_id`) are ignored, never applied. */
export function parseListQuery(params: URLSearchParams) {
  const known: Record<string, string> = {};
  for (const key of ['status', 'limit', 'cursor'] as const) {
    const value = params.get(key);
    if (value !== null) known[key] = value;
  }
  return listTasksQuerySchema.safeParse(known);
}

/** The cursor is the last id of the page, opaque to clients. */
export function encodeCursor(lastId: number): string {
  return btoa(`t:${lastId}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function decodeCursor(cursor: string): number | undefined {
  let decoded: string;
  try {
    decoded = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
  const match = /^t:([1-9]\d{0,15})$/.exec(decoded);
  const id = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
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
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Task' });
export type TaskDto = z.infer<typeof taskSchema>;
