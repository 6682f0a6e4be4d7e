import { problems } from '@/lib/api/problem';
import { updateTaskSchema } from '@/lib/api/task-schemas';
import { json, noContent } from '@/server/http/respond';
import { methodNotAllowed, parseBody, taskIdFrom, taskRoute } from '@/server/http/task-route';
import { toTaskJson } from '@/lib/api/task-json';
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
  const task = await updateTask(userId, id, await parseBody(request, updateTaskSchema));
  if (!task) throw problems.notFound();
  return json(toTaskJson(task));
});
export { update as PUT, update as PATCH };

export const DELETE = taskRoute<Params>(async ({ userId }, { taskId }) => {
  if (!(await deleteTask(userId, taskIdFrom(taskId)))) throw problems.notFound();
  return noContent();
});

export const POST = methodNotAllowed('task');
