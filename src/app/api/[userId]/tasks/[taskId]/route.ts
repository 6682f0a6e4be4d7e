import { parseJsonBody } from '@/lib/api/body';
import { ifMatchVersions, notModified, notModifiedAnswer, taskAnswer } from '@/lib/api/conditional';
import { problems } from '@/lib/api/problem';
import { noContent } from '@/lib/api/responses';
import { toTaskJson } from '@/lib/api/task-json';
import { taskIdFrom, updateTaskSchema } from '@/lib/api/task-schemas';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { deleteTask, getTask, updateTask } from '@/server/tasks/queries';

type Params = { userId: string; taskId: string };

/** The task with its ETag; 304 when `If-None-Match` names its version (lib/api/conditional.ts). */
export const GET = taskRoute<Params>(async ({ request, userId }, { taskId }) => {
  const task = await getTask(userId, taskIdFrom(taskId));
  if (!task) throw problems.notFound();
  const answer = toTaskJson(task);
  return notModified(request, answer) ? notModifiedAnswer(answer) : taskAnswer(answer);
});

/** PUT and PATCH both take any non-empty subset of the fields; omitted fields keep their values. `If-Match`: 412 unless it names the version. */
const update = taskRoute<Params>(async ({ request, userId }, { taskId }) => {
  const id = taskIdFrom(taskId);
  const versions = ifMatchVersions(request, id);
  const task = await updateTask(userId, id, await parseJsonBody(request, updateTaskSchema), versions);
  if (!task) throw problems.notFound();
  return taskAnswer(toTaskJson(task));
});
export { update as PUT, update as PATCH };

export const DELETE = taskRoute<Params>(async ({ request, userId }, { taskId }) => {
  const id = taskIdFrom(taskId);
  if (!(await deleteTask(userId, id, ifMatchVersions(request, id)))) throw problems.notFound();
  return noContent();
});

export const POST = methodNotAllowed('task');
