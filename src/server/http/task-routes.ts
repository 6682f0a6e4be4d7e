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
  bulk: { segments: ['tasks', 'bulk'], methods: ['POST'] },
  task: { segments: ['tasks', ':taskId'], methods: ['GET', 'PUT', 'PATCH', 'DELETE'] },
  complete: { segments: ['tasks', ':taskId', 'complete'], methods: ['PATCH'] },
  lists: { segments: ['lists'], methods: ['GET', 'POST'] },
  list: { segments: ['lists', ':listId'], methods: ['PATCH', 'DELETE'] },
  tags: { segments: ['tags'], methods: ['GET'] },
  tag: { segments: ['tags', ':tagName'], methods: ['PATCH', 'DELETE'] },
  notifications: { segments: ['notifications'], methods: ['GET'] },
  notificationsRead: { segments: ['notifications', 'read'], methods: ['POST'] },
  calendarFeed: { segments: ['calendar-feed'], methods: ['POST', 'DELETE'] },
  exportData: { segments: ['export'], methods: ['GET'] },
  importData: { segments: ['import'], methods: ['POST'] },
} as const satisfies Record<string, { segments: readonly string[]; methods: readonly Method[] }>;

export type TaskRouteName = keyof typeof TASK_ROUTES;

/** What a path names: whose tasks (`me` or an id) and, on an item, which task, list or tag. */
export interface TaskRouteParams {
  userId: string;
  taskId?: string;
  listId?: string;
  tagName?: string;
}

type ParamName = Exclude<keyof TaskRouteParams, 'userId'>;

export interface MatchedTaskRoute {
  name: TaskRouteName;
  /** The methods the route serves. */
  methods: readonly Method[];
  params: TaskRouteParams;
}

/**
 * Segments the task API can have: user ids (Better Auth's are [A-Za-z0-9]), `me`, task and list
 * ids, and the literal words. Anything else (dots, percent-escapes, `@`, `:`, empty) matches no route.
 */
export function isPlainSegment(segment: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(segment);
}

/**
 * A tag name in a path, still percent-encoded as the client sent it (RFC 3986 path characters):
 * the proxy matches routes on raw segments, so an encoded `/` in a tag name stays in the name.
 */
export function isEncodedSegment(segment: string): boolean {
  return /^(?:[A-Za-z0-9\-._~!$&'()*+;=:@]|%[0-9A-Fa-f]{2}){1,400}$/.test(segment);
}

/** The proxy's allow-list: plain segments everywhere, an encoded one only where a tag name stands. */
export function isProxySegment(segment: string, pattern: string | undefined): boolean {
  return pattern === ':tagName' ? isEncodedSegment(segment) : isPlainSegment(segment);
}

/**
 * The route of `{user_id}/...` segments, with its params as they stand in the path. `isSegment`
 * says which segments may stand where a pattern is (the proxy's allow-list by default); Next
 * itself routes any non-empty segment.
 */
export function matchTaskRoute(
  segments: readonly string[],
  isSegment: (segment: string, pattern: string | undefined) => boolean = isProxySegment,
): MatchedTaskRoute | undefined {
  const [userId, ...rest] = segments;
  if (userId === undefined || !isSegment(userId, ':userId')) return undefined;
  for (const [name, route] of Object.entries(TASK_ROUTES) as [TaskRouteName, (typeof TASK_ROUTES)[TaskRouteName]][]) {
    if (route.segments.length !== rest.length) continue;
    const params: TaskRouteParams = { userId };
    const matches = route.segments.every((pattern: string, index) => {
      const segment = rest[index]!;
      if (!isSegment(segment, pattern)) return false;
      if (pattern.startsWith(':')) {
        params[pattern.slice(1) as ParamName] = segment;
        return true;
      }
      return pattern === segment;
    });
    if (matches) return { name, methods: route.methods, params };
  }
  return undefined;
}

export function isMethod(method: string): method is Method {
  return (HTTP_METHODS as readonly string[]).includes(method);
}
