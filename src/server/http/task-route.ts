import type { z } from 'zod';
import { readJsonBody, readOptionalJsonBody } from '@/lib/api/body';
import { problems, validationProblem } from '@/lib/api/problem';
import { parseTaskId } from '@/lib/api/task-schemas';
import { bearerToken, verifyAccessToken } from '@/server/auth/access-token';
import { clientIp, INTERNAL_REQUEST_ID_HEADER } from './client';
import { logEvent } from './log';
import { consumeTaskApiQuota } from './rate-limit';
import { toErrorResponse } from './respond';

/**
 * The authenticated-handler wrapper of the task API: verify the Bearer token, check the path's
 * user, then run the handler with the verified user id. Anything thrown becomes a problem response.
 */

export interface TaskRouteContext<P> {
  params: Promise<P>;
}

export interface TaskRequest {
  request: Request;
  url: URL;
  /** The verified token's `sub`: the only user id a query ever receives. */
  userId: string;
}

export function taskRoute<P extends { userId: string }>(
  handler: (req: TaskRequest, params: P) => Promise<Response>,
): (request: Request, context: TaskRouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    const url = new URL(request.url);
    const requestId = requestIdOf(request);
    let userId: string | undefined;
    let response: Response;
    try {
      // RFC 6750 §2.3 allows a token in the query; it ends up in logs and histories, so never here.
      if (url.searchParams.has('access_token')) throw problems.tokenInUrl();
      const claims = await verifyAccessToken(bearerToken(request));
      userId = claims.userId;
      const params = await context.params;
      if (params.userId !== 'me' && params.userId !== claims.userId) throw problems.identityMismatch();
      await consumeTaskApiQuota(claims.userId);
      response = await handler({ request, url, userId: claims.userId }, params);
    } catch (error) {
      response = toErrorResponse(error, { requestId, path: url.pathname });
    }
    if (SECURITY_EVENTS[response.status]) {
      logEvent('warn', SECURITY_EVENTS[response.status]!, {
        requestId,
        method: request.method,
        path: url.pathname,
        status: response.status,
        userId,
        ip: clientIp(request),
      });
    }
    response.headers.set('x-request-id', requestId);
    return response;
  };
}

/** Statuses worth a security log line (ASVS V16): who was refused, from where, on what. */
const SECURITY_EVENTS: Partial<Record<number, string>> = {
  401: 'api_unauthorized',
  403: 'api_forbidden',
  429: 'api_rate_limited',
};

/** The proxy passes its own request id on; anyone else's request gets a fresh one. */
function requestIdOf(request: Request): string {
  const given = request.headers.get(INTERNAL_REQUEST_ID_HEADER);
  return given !== null && /^[0-9a-f-]{36}$/.test(given) ? given : crypto.randomUUID();
}

/** The path's task id, or the same 404 an unknown or foreign id gets. */
export function taskIdFrom(raw: string): number {
  const id = parseTaskId(raw);
  if (id === undefined) throw problems.notFound();
  return id;
}

function validate<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw validationProblem(result.error, 'The body');
  return result.data;
}

export async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  return validate(schema, await readJsonBody(request));
}

/** For endpoints whose body is optional: undefined when none was sent. */
export async function parseOptionalBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S> | undefined> {
  const body = await readOptionalJsonBody(request);
  return body === undefined ? undefined : validate(schema, body);
}
