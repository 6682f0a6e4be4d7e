import { parseJsonBody } from '@/lib/api/body';
import { bulkChangeSchema } from '@/lib/api/bulk-schemas';
import { json } from '@/lib/api/responses';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { bulkChange } from '@/server/tasks/bulk';

/** One action on many tasks (`ids` or a `filter`), in one transaction. */
export const POST = taskRoute(async ({ request, userId }) => {
  const change = await parseJsonBody(request, bulkChangeSchema);
  return json({ affected: await bulkChange(userId, change) });
});

export const GET = methodNotAllowed('bulk');
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
