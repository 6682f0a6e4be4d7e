/**
 * The task API's routes as data: each shape (the segments after `/api/{user_id}/`) and the methods
 * it serves. Next routes the same paths to the route files under app/api/[userId]/tasks, which
 * answer 405 (with this `Allow`) for the rest; the proxy matches and dispatches by this table, and
 * the BOLA walk attacks every row of it.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof HTTP_METHODS)[number];

export const TASK_ROUTES = {
  tasks: { segments: ['tasks'], methods: ['GET', 'POST'] },
  task: { segments: ['tasks', ':taskId'], methods: ['GET', 'PUT', 'PATCH', 'DELETE'] },
  complete: { segments: ['tasks', ':taskId', 'complete'], methods: ['PATCH'] },
} as const satisfies Record<string, { segments: readonly string[]; methods: readonly Method[] }>;

export type TaskRouteName = keyof typeof TASK_ROUTES;

/** What a path names: whose tasks (`me` or an id) and, on an item, which task. */
export interface TaskRouteParams {
  userId: string;
  taskId?: string;
}

export interface MatchedTaskRoute {
  name: TaskRouteName;
  /** The methods the route serves. */
  methods: readonly Method[];
  params: TaskRouteParams;
}

/**
 * Segments the task API can have: user ids (Better Auth's are [A-Za-z0-9]), `me`, task ids, and
 * the literal words. Anything else (dots, percent-escapes, `@`, `:`, empty) matches no route.
 */
export function isPlainSegment(segment: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(segment);
}

/** The route of `{user_id}/tasks...` segments; `isSegment` is the proxy's allow-list by default (Next routes any non-empty one). */
export function matchTaskRoute(
  segments: readonly string[],
  isSegment: (segment: string) => boolean = isPlainSegment,
): MatchedTaskRoute | undefined {
  if (!segments.every(isSegment)) return undefined;
  const [userId, ...rest] = segments;
  if (userId === undefined) return undefined;
  for (const [name, route] of Object.entries(TASK_ROUTES) as [TaskRouteName, (typeof TASK_ROUTES)[TaskRouteName]][]) {
    if (route.segments.length !== rest.length) continue;
    const params: TaskRouteParams = { userId };
    const matches = route.segments.every((pattern, index) => {
      if (pattern === ':taskId') {
        params.taskId = rest[index];
        return true;
      }
      return pattern === rest[index];
    });
    if (matches) return { name, methods: route.methods, params };
  }
  return undefined;
}

export function isMethod(method: string): method is Method {
  return (HTTP_METHODS as readonly string[]).includes(method);
}
