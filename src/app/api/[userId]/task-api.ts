import { env } from '@/server/env';
import { httpTaskApi } from '@/server/proxy/http-task-api';
import { inProcessTaskApi } from '@/server/proxy/task-api';
import * as lists from './lists/route';
import * as list from './lists/[listId]/route';
import * as tags from './tags/route';
import * as tag from './tags/[tagName]/route';
import * as tasks from './tasks/route';
import * as bulk from './tasks/bulk/route';
import * as task from './tasks/[taskId]/route';
import * as complete from './tasks/[taskId]/complete/route';
import * as notifications from './notifications/route';
import * as notificationsRead from './notifications/read/route';
import * as calendarFeed from './calendar-feed/route';
import * as exportData from './export/route';
import * as importData from './import/route';

/** The route files by their name in TASK_ROUTES: what Next routes `/api/{user_id}/...` to. */
export const taskRouteModules = { tasks, bulk, task, complete, lists, list, tags, tag, notifications, notificationsRead, calendarFeed, exportData, importData };

/**
 * The task API the proxy and the server render of /tasks send to: these route handlers, in-process,
 * or the external service `BACKEND_URL` names.
 */
export const taskApi = env.backend ? httpTaskApi(env.backend.url) : inProcessTaskApi(taskRouteModules);
