import { Agent, fetch, type Response as UndiciResponse } from 'undici';
import { bodyTooLarge, MAX_BODY_BYTES } from '@/lib/api/body';
import { IMPORT_MAX_BYTES } from '@/lib/api/limits';
import { HttpProblem } from '@/lib/api/problem';
import { logEvent } from '@/server/http/log';
import { PASSED_BACK, PASSED_ON, type TaskApi, type TaskApiCall } from './task-api';

/**
 * The task API as an external service (`BACKEND_URL`): a FastAPI service of the seeds' kind, or any
 * server of `/api/{user_id}/tasks`. The proxy has already checked the session and minted the token;
 * this part only carries the request there and the answer back, and turns the ways a remote call
 * fails into problems: no answer in time → 504, no connection (refused, reset, unknown host) → 502.
 * Bodies stream both ways (nothing is held whole) under the task API's own size cap.
 */

const CONNECT_TIMEOUT_MS = 5_000;
/** The whole answer, headers and body: a service that trickles its body is cut at this point too. */
const ANSWER_TIMEOUT_MS = 30_000;
/**
 * The largest answer carried back. A seeds-style service sends every task of a user in one answer
 * (no pages): thousands of tasks fit many times over; a runaway one does not fill the proxy.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** What the service may see: the token and the headers the proxy passes on (task-api.ts). */
const SENT = ['authorization', ...PASSED_ON];

export interface Timeouts {
  connectMs: number;
  answerMs: number;
}
/** The contract's: connect 5 s, whole answer 30 s. */
const CONTRACT_TIMEOUTS: Timeouts = { connectMs: CONNECT_TIMEOUT_MS, answerMs: ANSWER_TIMEOUT_MS };

/** nginx's code for "the client closed the request": logged as what it is, never as an error. */
const CLIENT_CLOSED = 499;

const unreachable = () => new HttpProblem(502, 'The task service could not be reached. Please retry shortly.', { headers: { 'retry-after': '5' } });
const tooSlow = () => new HttpProblem(504, 'The task service did not answer in time. Please retry shortly.', { headers: { 'retry-after': '5' } });

/** A stream that passes at most `limit` bytes and errors past them (`onOverflow` says why first). */
function capped(body: ReadableStream<Uint8Array>, limit: number, onOverflow: () => void): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) {
          onOverflow();
          controller.error(new Error(`the body passed ${limit} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

/** `/api/me/tasks/5?x` → `${base}/api/{userId}/tasks/5?x`: the service knows users by id only. */
function upstreamUrl(base: string, request: Request, userId: string): string {
  const url = new URL(request.url);
  const [, api, owner, ...rest] = url.pathname.split('/');
  return `${base}/${api}/${owner === 'me' ? userId : owner}/${rest.join('/')}${url.search}`;
}

/** The service's own absolute links (`http://tasks:8000/api/...`) as the task API's paths (`/api/...`). */
function localPaths(value: string, base: string): string {
  return value.replaceAll(`${base}/api/`, '/api/');
}

/** Why a fetch that produced no answer failed: its timeout (504) or its connection (502). */
function failure(error: unknown, timedOut: boolean): HttpProblem {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  if (timedOut || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return tooSlow();
  return unreachable();
}

/** `timeouts` are the contract's; tests shorten them. */
export function httpTaskApi(base: string, timeouts: Timeouts = CONTRACT_TIMEOUTS): TaskApi {
  // One connection pool for the service, kept alive between requests.
  const agent = new Agent({ connect: { timeout: timeouts.connectMs }, headersTimeout: timeouts.answerMs, bodyTimeout: timeouts.answerMs });
  return {
    async send({ route, request, userId, requestId }: TaskApiCall): Promise<Response> {
      // The task API's cap, but import's own on its path (the contract's 10 MB).
      const maxBytes = route.name === 'importData' ? IMPORT_MAX_BYTES : MAX_BODY_BYTES;
      if (Number(request.headers.get('content-length') ?? 0) > maxBytes) throw bodyTooLarge(maxBytes);
      const headers: Record<string, string> = {};
      for (const name of SENT) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      let overflowed = false;
      const body = request.body && capped(request.body, maxBytes, () => (overflowed = true));
      const timeout = AbortSignal.timeout(timeouts.answerMs);

      let answer: UndiciResponse;
      try {
        answer = await fetch(upstreamUrl(base, request, userId), {
          method: request.method,
          headers,
          body,
          duplex: 'half',
          redirect: 'manual',
          signal: AbortSignal.any([request.signal, timeout]),
          dispatcher: agent,
        });
      } catch (error) {
        // The browser left: nobody to answer, and nothing went wrong here.
        if (request.signal.aborted) return new Response(null, { status: CLIENT_CLOSED });
        if (overflowed) throw bodyTooLarge(maxBytes);
        const problem = failure(error, timeout.aborted);
        logEvent('warn', 'backend_unavailable', { requestId, status: problem.status, code: String((error as { cause?: { code?: unknown } }).cause?.code ?? (error as Error).name) });
        throw problem;
      }

      // A redirect is never followed (the token would go wherever it points) nor passed on.
      if (answer.status >= 300 && answer.status < 400 && answer.status !== 304) {
        await answer.body?.cancel().catch(() => undefined);
        logEvent('warn', 'backend_redirect', { requestId, status: answer.status });
        throw new HttpProblem(502, 'The task service answered with a redirect, which Tasklane does not follow. Check BACKEND_URL.');
      }
      if (Number(answer.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
        await answer.body?.cancel().catch(() => undefined);
        throw new HttpProblem(502, 'The task service sent an answer too large to pass on.');
      }

      const returned = new Headers();
      for (const name of PASSED_BACK) {
        const value = answer.headers.get(name);
        if (value !== null) returned.set(name, name === 'link' || name === 'location' ? localPaths(value, base) : value);
      }
      const bodyless = answer.status === 204 || answer.status === 205 || answer.status === 304;
      const answerBody = bodyless ? null : answer.body && capped(answer.body as ReadableStream<Uint8Array>, MAX_ANSWER_BYTES, () => logEvent('warn', 'backend_answer_too_large', { requestId }));
      return new Response(answerBody, { status: answer.status, headers: returned });
    },
  };
}
