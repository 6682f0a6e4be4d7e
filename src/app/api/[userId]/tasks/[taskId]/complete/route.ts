import { problems } from '@/lib/api/problem';
import { completeTaskSchema } from '@/lib/api/task-schemas';
import { json } from '@/server/http/respond';
import { methodNotAllowed, parseOptionalBody, taskIdFrom, taskRoute } from '@/server/http/task-route';
import { toTaskJson } from '@/lib/api/task-json';
import { completeTask } from '@/server/tasks/queries';

/** No body toggles `completed`; `{"completed": true|false}` sets it. */
export const PATCH = taskRoute<{ userId: string; taskId: string }>(async ({ request, userId }, { taskId }) => {
  const id = taskIdFrom(taskId);
  const body = await parseOptionalBody(request, completeTaskSchema);
  const task = await completeTask(userId, id, body?.completed);
  if (!task) throw problems.notFound();
  return json(toTaskJson(task));
});

export const GET = methodNotAllowed('complete');
export const POST = GET;
export const PUT = GET;
export const DELETE = GET;
