import { z } from 'zod';
import { LIST_NAME_MAX } from './limits';
import { tagNameSchema } from './task-schemas';

/** The wire schemas of lists and tags (the tasks' own are in task-schemas.ts). */

export const listNameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(LIST_NAME_MAX, `must be at most ${LIST_NAME_MAX} characters`)
  .refine((value) => !value.includes('\u0000') && value.isWellFormed(), 'must be well-formed text');

export const colorSchema = z
  .string({ error: 'must be a colour as #rrggbb, or null' })
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb, or null')
  .transform((value) => value.toLowerCase())
  .nullable();

const positionSchema = z.number({ error: 'must be a position (0 is first)' }).int('must be a whole number').min(0, 'must be 0 or more');

const bodyObject = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? 'The body must be a JSON object' : undefined) });

export const createListSchema = bodyObject({ name: listNameSchema, color: colorSchema.default(null) });
export type CreateListInput = z.output<typeof createListSchema>;

export const updateListSchema = bodyObject({
  name: listNameSchema.optional(),
  color: colorSchema.optional(),
  position: positionSchema.optional().meta({ description: 'Moves the list; the others shift. Past the end: last.' }),
}).refine((input) => Object.keys(input).length > 0, 'Send at least one of name, color, position');
export type UpdateListInput = z.output<typeof updateListSchema>;
export type UpdateListBody = z.input<typeof updateListSchema>;

export const listSchema = z
  .strictObject({
    id: z.number().int().positive(),
    name: z.string(),
    color: z.string().nullable(),
    position: z.number().int().min(0),
    task_count: z.number().int().min(0).meta({ description: 'Tasks in the list.' }),
    open_count: z.number().int().min(0).meta({ description: 'Tasks in the list not completed.' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'List' });
export type ListDto = z.infer<typeof listSchema>;

export const renameTagSchema = bodyObject({ name: tagNameSchema });

export const tagSummarySchema = z
  .strictObject({ name: z.string(), count: z.number().int().min(0).meta({ description: 'Tasks carrying the tag, completed ones included.' }) })
  .meta({ id: 'Tag' });
export type TagDto = z.infer<typeof tagSummarySchema>;

/** List ids in paths, like task ids: a positive integer, or the same 404 as an unknown list. */
export function parseListId(raw: string): number | undefined {
  if (!/^[1-9]\d{0,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}
