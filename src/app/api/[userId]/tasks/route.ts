import { parseJsonBody } from '@/lib/api/body';
import { taskAnswer } from '@/lib/api/conditional';
import { nextPageLink, taskLocation } from '@/lib/api/links';
import { validationProblem } from '@/lib/api/problem';
import { json } from '@/lib/api/responses';
import { toTaskJson } from '@/lib/api/task-json';
import { createTaskSchema, parseListQuery } from '@/lib/api/task-schemas';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { listTasks } from '@/server/tasks/find';
import { createTask } from '@/server/tasks/queries';

export const GET = taskRoute(async ({ url, userId }) => {
  const query = parseListQuery(url.searchParams);
  if (!query.success) throw validationProblem(query.error, 'The query');
  const page = await listTasks(userId, query.data);
  const headers: Record<string, string> = { 'x-total-count': String(page.total) };
  if (page.next) headers.link = nextPageLink(url, query.data, page.next);
  return json(page.tasks.map(toTaskJson), { headers });
});

export const POST = taskRoute(async ({ request, url, userId }) => {
  const task = await createTask(userId, await parseJsonBody(request, createTaskSchema));
  return taskAnswer(toTaskJson(task), { status: 201, headers: { location: taskLocation(url.pathname, task.id) } });
});

export const PUT = methodNotAllowed('tasks');
export const PATCH = PUT;
export const DELETE = PUT;
