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

/** `POST /notifications/read`: some of them by id, or all of them. */
export const markReadSchema = z.union(
  [
    z.strictObject({
      ids: z
        .array(z.number({ error: 'must be notification ids' }).int('must be notification ids').positive('must be notification ids'), { error: 'must be an array of notification ids' })
        .min(1, 'must name at least one notification')
        .max(MARK_READ_IDS_MAX, `must name at most ${MARK_READ_IDS_MAX} notifications`),
    }),
    z.strictObject({ all: z.literal(true, { error: 'must be true' }) }),
  ],
  { error: 'The body must be {"ids": [...]} or {"all": true}' },
);
export type MarkReadInput = z.infer<typeof markReadSchema>;
