import { parseJsonBody } from '@/lib/api/body';
import { taskLocation } from '@/lib/api/links';
import { createListSchema } from '@/lib/api/list-schemas';
import { json } from '@/lib/api/responses';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { createList, listLists, toListJson } from '@/server/tasks/lists';

export const GET = taskRoute(async ({ userId }) => json((await listLists(userId)).map(toListJson)));

export const POST = taskRoute(async ({ request, url, userId }) => {
  const list = await createList(userId, await parseJsonBody(request, createListSchema));
  return json(toListJson(list), { status: 201, headers: { location: taskLocation(url.pathname, list.id) } });
});

export const PUT = methodNotAllowed('lists');
export const PATCH = PUT;
export const DELETE = PUT;
