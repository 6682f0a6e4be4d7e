import { clientIp } from './client';
import { logEvent } from './log';
import { toErrorResponse } from './respond';

/**
 * The entry wrapper of every API route the app writes itself (the task API, the proxy, the auth
 * routes): a request id (the caller's, when the proxy hands a request on in-process, so both log
 * under one id), anything thrown turned into a problem by the one error mapper, a security log
 * line for the refusals the entry names, and `x-request-id` on every answer.
 */

export interface RequestCall {
  request: Request;
  url: URL;
  requestId: string;
  /** The verified user, once known: the refusal log line names them. */
  userId?: string;
}

export interface WithRequestOptions {
  /** Log events for refusals this entry throws, by status (ASVS V16: who was refused, from where, on what). */
  refusals?: Partial<Record<number, string>>;
}

/** Next passes route handlers a context (`params`) on dynamic routes only; the others take the request alone. */
type EntryArgs<C> = C extends void ? [] : [context: C];

export function withRequest<C extends { requestId?: string } | void = void>(
  handler: (call: RequestCall, context: C) => Promise<Response>,
  options: WithRequestOptions = {},
): (request: Request, ...context: EntryArgs<C>) => Promise<Response> {
  return async (request, ...args) => {
    const context = args[0] as C;
    const call: RequestCall = { request, url: new URL(request.url), requestId: (context as { requestId?: string } | undefined)?.requestId ?? crypto.randomUUID() };
    let response: Response;
    try {
      response = await handler(call, context);
    } catch (error) {
      response = toErrorResponse(error, { requestId: call.requestId, path: call.url.pathname });
      const event = options.refusals?.[response.status];
      if (event) {
        logEvent('warn', event, {
          requestId: call.requestId,
          method: request.method,
          path: call.url.pathname,
          status: response.status,
          userId: call.userId,
          ip: clientIp(request),
        });
      }
    }
    response.headers.set('x-request-id', call.requestId);
    return response;
  };
}
