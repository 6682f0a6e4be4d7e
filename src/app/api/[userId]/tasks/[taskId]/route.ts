import { parseJsonBody } from '@/lib/api/body';
import { problems } from '@/lib/api/problem';
import { json, noContent } from '@/lib/api/responses';
import { toTaskJson } from '@/lib/api/task-json';
import { taskIdFrom, updateTaskSchema } from '@/lib/api/task-schemas';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { deleteTask, getTask, updateTask } from '@/server/tasks/queries';

type Params = { userId: string; taskId: string };

export const GET = taskRoute<Params>(async ({ userId }, { taskId }) => {
  const task = await getTask(userId, taskIdFrom(taskId));
  if (!task) throw problems.notFound();
  return json(toTaskJson(task));
});

/** PUT and PATCH both take any non-empty subset of the fields; omitted fields keep their values. */
const update = taskRoute<Params>(async ({ request, userId }, { taskId }) => {
  const id = taskIdFrom(taskId);
  const task = await updateTask(userId, id, await parseJsonBody(request, updateTaskSchema));
  if (!task) throw problems.notFound();
  return json(toTaskJson(task));
});
export { update as PUT, update as PATCH };

export const DELETE = taskRoute<Params>(async ({ userId }, { taskId }) => {
  if (!(await deleteTask(userId, taskIdFrom(taskId)))) throw problems.notFound();
  return noContent();
});

export const POST = methodNotAllowed('task');
