import { parseJsonBody } from '@/lib/api/body';
import { renameTagSchema } from '@/lib/api/list-schemas';
import { json, noContent } from '@/lib/api/responses';
import { getDb } from '@/server/db/client';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { deleteTag, renameTag } from '@/server/tasks/tags';

type Params = { userId: string; tagName: string };

/** Renames a tag on every task (merging into a tag that has the new name). */
export const PATCH = taskRoute<Params>(async ({ request, userId }, { tagName }) => {
  const { name } = await parseJsonBody(request, renameTagSchema);
  return json(await renameTag(await getDb(), userId, tagName, name));
});

/** Removes a tag from every task. */
export const DELETE = taskRoute<Params>(async ({ userId }, { tagName }) => {
  await deleteTag(await getDb(), userId, tagName);
  return noContent();
});

export const GET = methodNotAllowed('tag');
export const POST = GET;
export const PUT = GET;
