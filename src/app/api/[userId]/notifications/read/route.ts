import { parseJsonBody } from '@/lib/api/body';
import { markReadSchema } from '@/lib/api/notification-schemas';
import { noContent } from '@/lib/api/responses';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { markNotificationsRead } from '@/server/notifications';

/** `{"ids": [...]}` or `{"all": true}`: read now. Ids that are not the user's change nothing. */
export const POST = taskRoute(async ({ request, userId }) => {
  await markNotificationsRead(userId, await parseJsonBody(request, markReadSchema));
  return noContent();
});

export const GET = methodNotAllowed('notificationsRead');
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
