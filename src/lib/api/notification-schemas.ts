import { z } from 'zod';

/** The reminders that fired, as `GET /notifications` answers them (newest first). */
export const NOTIFICATIONS_MAX = 200;
export const MARK_READ_IDS_MAX = 1_000;

export const notificationSchema = z
  .strictObject({
    id: z.number().int().positive(),
    task_id: z.number().int().positive().nullable().meta({ description: 'The task it reminded of (which may have been deleted since: the notification keeps its title).' }),
    title: z.string().meta({ description: 'The task’s title when the reminder fired.' }),
    fire_at: z.iso.datetime().meta({ description: 'The `remind_at` it fired for.' }),
    read_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });
export type NotificationDto = z.infer<typeof notificationSchema>;

export const notificationsParamsSchema = z.object({
  unread: z.enum(['true', 'false'], { error: 'must be true or false' }).optional().meta({ description: '`true`: only those not read yet.' }),
});

/** `POST /notifications/read`: some of them by id, or all of them; each refusal names its field. */
export const markReadSchema = z
  .strictObject(
    {
      ids: z
        .array(z.number({ error: 'must be notification ids' }).int('must be notification ids').positive('must be notification ids'), { error: 'must be an array of notification ids' })
        .min(1, 'must name at least one notification')
        .max(MARK_READ_IDS_MAX, `must name at most ${MARK_READ_IDS_MAX} notifications`)
        .optional(),
      all: z.literal(true, { error: 'must be true' }).optional(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'The body must be {"ids": [...]} or {"all": true}' : undefined) },
  )
  .superRefine((body, ctx) => {
    if (body.ids !== undefined && body.all !== undefined) ctx.addIssue({ code: 'custom', path: ['all'], message: 'cannot be sent with ids: send one or the other' });
    if (body.ids === undefined && body.all === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'Send {"ids": [...]} or {"all": true}' });
  })
  .transform((body): { ids: number[] } | { all: true } => (body.ids !== undefined ? { ids: body.ids } : { all: true }));
export type MarkReadInput = z.output<typeof markReadSchema>;
