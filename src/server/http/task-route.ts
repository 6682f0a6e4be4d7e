import { idempotent } from '@/lib/api/idempotency';
import { HttpProblem, problems } from '@/lib/api/problem';
import { bearerToken, verifyAccessToken } from '@/server/auth/access-token';
import { clientIp } from './client';
import { databaseIdempotencyStore } from './idempotency';
import { assertNotLockedOut, consumeTaskApiQuota, countFailedAuthentication } from './rate-limit';
import { TASK_ROUTES, type TaskRouteName } from './task-routes';
import { withRequest } from './with-request';

/**
 * The authenticated-handler wrapper of the task API: verify the Bearer token, check the path's
 * user, then run the handler with the verified user id. Anything thrown becomes a problem response.
 */

export interface TaskRouteContext<P> {
  params: Promise<P>;
  /** Set by the proxy when it calls a handler in-process, so both log under one id. */
  requestId?: string;
}

export interface TaskRequest {
  request: Request;
  url: URL;
  /** The verified token's `sub`: the only user id a query ever receives. */
  userId: string;
  /** When the request arrived, before its token, limits and body were checked. */
  receivedAt: Date;
}

/** Refusals worth a security log line. */
const REFUSALS = { 401: 'api_unauthorized', 403: 'api_forbidden', 429: 'api_rate_limited' };

export interface TaskRouteOptions {
  /**
   * Whether a POST honours `Idempotency-Key` (lib/api/idempotency.ts): every POST does but the
   * calendar feed's, whose answer holds a secret that must not be kept to replay.
   */
  idempotent?: boolean;
  /** The body's cap where it is not the task API's 64 KB (import's 10 MB): what the idempotency check may read. */
  maxBodyBytes?: number;
}

export function taskRoute<P extends { userId: string }>(
  handler: (req: TaskRequest, params: P) => Promise<Response>,
  options: TaskRouteOptions = {},
): (request: Request, context: TaskRouteContext<P>) => Promise<Response> {
  return withRequest<TaskRouteContext<P>>(async (call, context) => {
    const receivedAt = new Date();
    const { request, url } = call;
    const ip = clientIp(request);
    // RFC 6750 §2.3 allows a token in the query; it ends up in logs and histories, so never here.
    if (url.searchParams.has('access_token')) throw problems.tokenInUrl();
    await assertNotLockedOut(ip);
    const claims = await verifyAccessToken(bearerToken(request)).catch(async (error: unknown) => {
      if (error instanceof HttpProblem && error.status === 401) await countFailedAuthentication(ip);
      throw error;
    });
    call.userId = claims.userId;
    const params = await context.params;
    if (params.userId !== 'me' && params.userId !== claims.userId) throw problems.identityMismatch();
    await consumeTaskApiQuota(claims.userId);
    if (request.method !== 'POST' || options.idempotent === false) return handler({ request, url, userId: claims.userId, receivedAt }, params);
    return idempotent(request, databaseIdempotencyStore(claims.userId), (again) => handler({ request: again, url, userId: claims.userId, receivedAt }, params), options.maxBodyBytes);
  }, { refusals: REFUSALS });
}

/**
 * The handler a route file exports for each method its route does not serve (TASK_ROUTES): a 405
 * problem with `Allow` (Next's own 405 has neither body nor `Allow`).
 */
export function methodNotAllowed(route: TaskRouteName): (request: Request) => Promise<Response> {
  return withRequest(async () => {
    throw problems.methodNotAllowed([...TASK_ROUTES[route].methods]);
  });
}
