import { parseJsonBody } from '@/lib/api/body';
import { parseListId, updateListSchema } from '@/lib/api/list-schemas';
import { problems } from '@/lib/api/problem';
import { json, noContent } from '@/lib/api/responses';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { deleteList, toListJson, updateList } from '@/server/tasks/lists';

type Params = { userId: string; listId: string };

/** The path's list id, or the same 404 an unknown or foreign list gets. */
function listIdFrom(raw: string): number {
  const id = parseListId(raw);
  if (id === undefined) throw problems.notFound();
  return id;
}

/** Renames, recolours or moves a list (`position`: the others shift). */
export const PATCH = taskRoute<Params>(async ({ request, userId }, { listId }) => {
  const id = listIdFrom(listId);
  return json(toListJson(await updateList(userId, id, await parseJsonBody(request, updateListSchema))));
});

/** Deletes the list and its tasks. */
export const DELETE = taskRoute<Params>(async ({ userId }, { listId }) => {
  await deleteList(userId, listIdFrom(listId));
  return noContent();
});

export const GET = methodNotAllowed('list');
export const POST = GET;
export const PUT = GET;
