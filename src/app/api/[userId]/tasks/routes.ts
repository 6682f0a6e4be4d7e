import * as collection from './route';
import * as item from './[taskId]/route';
import * as complete from './[taskId]/complete/route';
import { isMethodNotAllowedHandler } from '@/server/http/task-route';

/**
 * The task API's route table: the same handlers Next routes `/api/{user_id}/tasks...` to, looked
 * up by path segments. The proxy hands requests to them in-process through this table.
 */

type Handler = (
  request: Request,
  context: { params: Promise<{ userId: string; taskId?: string }>; requestId?: string },
) => Promise<Response>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type TaskRouteHandlers = Partial<Record<Method, Handler>>;

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The methods a route file really serves (not its 405 stand-ins). */
function served(routeModule: Record<string, unknown>): TaskRouteHandlers {
  return Object.fromEntries(
    Object.entries(routeModule).filter(([method, handler]) => METHODS.includes(method) && !isMethodNotAllowedHandler(handler)),
  ) as TaskRouteHandlers;
}

const collectionHandlers = served(collection);
const itemHandlers = served(item);
const completeHandlers = served(complete);

/**
 * Segments the task API can have: user ids (Better Auth's are [A-Za-z0-9]), `me`, task ids, and
 * the literal words. Anything else (dots, percent-escapes, `@`, `:`, empty) matches no route.
 */
export function isPlainSegment(segment: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(segment);
}

export interface MatchedTaskRoute {
  /** The methods the route serves. */
  handlers: TaskRouteHandlers;
  /** Everything the route file exports, 405 stand-ins included: what Next itself dispatches to. */
  routeModule: TaskRouteHandlers;
  params: { userId: string; taskId?: string };
}

/** `isSegment` is the proxy's allow-list by default; Next itself routes any non-empty segment. */
export function matchTaskRoute(
  segments: readonly string[],
  isSegment: (segment: string) => boolean = isPlainSegment,
): MatchedTaskRoute | undefined {
  if (!segments.every(isSegment)) return undefined;
  const [userId, tasks, taskId, action, ...rest] = segments;
  if (userId === undefined || tasks !== 'tasks' || rest.length > 0) return undefined;
  if (taskId === undefined) return { handlers: collectionHandlers, routeModule: collection as TaskRouteHandlers, params: { userId } };
  if (action === undefined) return { handlers: itemHandlers, routeModule: item as TaskRouteHandlers, params: { userId, taskId } };
  if (action === 'complete') return { handlers: completeHandlers, routeModule: complete as TaskRouteHandlers, params: { userId, taskId } };
  return undefined;
}
