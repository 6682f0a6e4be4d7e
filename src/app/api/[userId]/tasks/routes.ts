import * as collection from './route';
import * as item from './[taskId]/route';
import * as complete from './[taskId]/complete/route';

/**
 * The task API's route table: the same handlers Next routes `/api/{user_id}/tasks...` to, looked
 * up by path segments. The proxy hands requests to them in-process through this table.
 */

type Handler = (request: Request, context: { params: Promise<{ userId: string; taskId?: string }> }) => Promise<Response>;
export type TaskRouteHandlers = Partial<Record<'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', Handler>>;

/**
 * Segments the task API can have: user ids (Better Auth's are [A-Za-z0-9]), `me`, task ids, and
 * the literal words. Anything else (dots, percent-escapes, `@`, `:`, empty) matches no route.
 */
export function isPlainSegment(segment: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(segment);
}

export interface MatchedTaskRoute {
  handlers: TaskRouteHandlers;
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
  if (taskId === undefined) return { handlers: collection as TaskRouteHandlers, params: { userId } };
  if (action === undefined) return { handlers: item as TaskRouteHandlers, params: { userId, taskId } };
  if (action === 'complete') return { handlers: complete as TaskRouteHandlers, params: { userId, taskId } };
  return undefined;
}
