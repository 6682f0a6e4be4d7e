import { z } from 'zod';
import { BULK_IDS_MAX } from './limits';
import { prioritySchema, tagNameSchema, taskFilterSchema } from './task-schemas';

/** `POST /tasks/bulk`: exactly one of `ids` or `filter`, and an action with its one extra field. */

export const BULK_ACTIONS = ['complete', 'reopen', 'delete', 'move', 'add_tag', 'remove_tag', 'set_priority'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

const idsSchema = z
  .array(z.number({ error: 'must be task ids (integers)' }).int('must be task ids (integers)').positive('must be task ids (integers)').max(Number.MAX_SAFE_INTEGER), {
    error: 'must be an array of task ids',
  })
  .min(1, 'must name at least one task')
  .max(BULK_IDS_MAX, `must name at most ${BULK_IDS_MAX.toLocaleString('en')} tasks`);

const target = { ids: idsSchema.optional(), filter: taskFilterSchema.optional() };
const body = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject({ ...target, ...shape }, { error: (issue) => (issue.code === 'invalid_type' ? 'The body must be a JSON object' : undefined) });

export const bulkChangeSchema = z
  .discriminatedUnion(
    'action',
    [
      body({ action: z.literal('complete') }),
      body({ action: z.literal('reopen') }),
      body({ action: z.literal('delete') }),
      body({
        action: z.literal('move'),
        list_id: z.number({ error: 'must be a list id or null' }).int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
      }),
      body({ action: z.literal('add_tag'), tag: tagNameSchema }),
      body({ action: z.literal('remove_tag'), tag: tagNameSchema }),
      body({ action: z.literal('set_priority'), priority: prioritySchema }),
    ],
    { error: `action must be one of ${BULK_ACTIONS.join(', ')}` },
  )
  .superRefine((change, ctx) => {
    if ((change.ids === undefined) === (change.filter === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['ids'], message: 'send exactly one of ids or filter' });
    }
  });
export type BulkChange = z.output<typeof bulkChangeSchema>;
export type BulkChangeBody = z.input<typeof bulkChangeSchema>;

export const bulkResultSchema = z.strictObject({ affected: z.number().int().min(0).meta({ description: 'The user’s tasks the action was applied to.' }) });
