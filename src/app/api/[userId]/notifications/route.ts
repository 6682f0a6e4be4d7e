import { json } from '@/lib/api/responses';
import { notificationsParamsSchema } from '@/lib/api/notification-schemas';
import { validationProblem } from '@/lib/api/problem';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { listNotifications } from '@/server/notifications';

/** The reminders that fired, newest first (`?unread=true`: only those not read yet). */
export const GET = taskRoute(async ({ url, userId }) => {
  const params = notificationsParamsSchema.safeParse({ unread: url.searchParams.get('unread') ?? undefined });
  if (!params.success) throw validationProblem(params.error, 'The query');
  return json(await listNotifications(userId, params.data.unread === 'true'));
});

export const POST = methodNotAllowed('notifications');
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
