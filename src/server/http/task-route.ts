import type { z } from 'zod';
import { readJsonBody, readOptionalJsonBody } from '@/lib/api/body';
import { problems, validationProblem } from '@/lib/api/problem';
import { parseTaskId } from '@/lib/api/task-schemas';
import { bearerToken, verifyAccessToken } from '@/server/auth/access-token';
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
    const requestId = crypto.randomUUID();
    try {
      const claims = await verifyAccessToken(bearerToken(request));
      const params = await context.params;
      if (params.userId !== 'me' && params.userId !== claims.userId) throw problems.identityMismatch();
      return await handler({ request, url, userId: claims.userId }, params);
    } catch (error) {
      return toErrorResponse(error, { requestId, path: url.pathname });
    }
  };
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
