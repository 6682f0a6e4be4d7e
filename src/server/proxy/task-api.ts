import type { MatchedTaskRoute, Method, TaskRouteName } from '@/server/http/task-routes';

/** Request headers the task API may see besides the token: never the browser's cookies or Authorization. */
export const PASSED_ON = ['content-type', 'accept', 'if-match', 'if-none-match', 'idempotency-key'];
/** Headers of the task API's answer that may reach the browser (the contract's proxy section). */
export const PASSED_BACK = ['content-type', 'content-disposition', 'cache-control', 'link', 'location', 'x-total-count', 'retry-after', 'allow', 'etag', 'idempotent-replayed'];

/**
 * Where the proxy (and the server render of /tasks) sends a task API request once it holds a
 * token: the app's own route handlers, called in-process (below), or an external task service.
 */
export interface TaskApi {
  send(call: TaskApiCall): Promise<Response>;
}

export interface TaskApiCall {
  /** The route the path matched; `request` is for one of its methods. */
  route: MatchedTaskRoute;
  /** A request to `/api/{user_id}/tasks...` carrying only what the task API may see. */
  request: Request;
  /** The signed-in user the token is for: a service that knows no `me` gets this id in its place. */
  userId: string;
  /** The caller's request id, so both sides log under one. */
  requestId: string;
}

/** A route file's handler; its params are the ones its pattern binds (`taskId` on items), hence `never` here. */
export type TaskRouteHandler = (request: Request, context: { params: Promise<never>; requestId?: string }) => Promise<Response>;
export type TaskRouteModules = Record<TaskRouteName, Partial<Record<Method, TaskRouteHandler>>>;

/** The task API as this app serves it: each route's handler, called as Next would call it. */
export function inProcessTaskApi(modules: TaskRouteModules): TaskApi {
  return {
    send: ({ route, request, requestId }) => {
      const handler = modules[route.name][request.method as Method];
      if (!handler || !route.methods.includes(request.method as Method)) {
        throw new Error(`${request.method} is not a method of the ${route.name} route`);
      }
      return handler(request, { params: Promise.resolve(route.params as never), requestId });
    },
  };
}
