import { inProcessTaskApi } from '@/server/proxy/task-api';
import * as tasks from './route';
import * as task from './[taskId]/route';
import * as complete from './[taskId]/complete/route';

/** The route files by their name in TASK_ROUTES: what Next routes `/api/{user_id}/tasks...` to. */
export const taskRouteModules = { tasks, task, complete };

/** The task API the proxy and the server render of /tasks send to: these route handlers, in-process. */
export const taskApi = inProcessTaskApi(taskRouteModules);
