import { parseOptionalJsonBody } from '@/lib/api/body';
import { ifMatchVersions, taskAnswer } from '@/lib/api/conditional';
import { problems } from '@/lib/api/problem';
import { toTaskJson } from '@/lib/api/task-json';
import { completeTaskSchema, taskIdFrom } from '@/lib/api/task-schemas';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { completeTask } from '@/server/tasks/queries';

/** No body toggles `completed`; `{"completed": true|false}` sets it. */
export const PATCH = taskRoute<{ userId: string; taskId: string }>(async ({ request, userId, receivedAt }, { taskId }) => {
  const id = taskIdFrom(taskId);
  const versions = ifMatchVersions(request, id);
  const body = await parseOptionalJsonBody(request, completeTaskSchema);
  const task = await completeTask(userId, id, body?.completed, { versions, began: receivedAt });
  if (!task) throw problems.notFound();
  return taskAnswer(toTaskJson(task));
});

export const GET = methodNotAllowed('complete');
export const POST = GET;
export const PUT = GET;
export const DELETE = GET;
