import { HttpProblem, problemResponse, problems } from '@/lib/api/problem';
import { describeError, errorCodes, UserGoneError } from '@/server/db/errors';
import { logEvent } from './log';

// Errors that mean "the database is not answering" rather than "this query is wrong":
// connection refused/reset/timed out, and PostgreSQL's connection-exception and shutdown classes.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|PGlite is closed|Query read timeout/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (errorCodes(error).some((code) => UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (UNAVAILABLE_MESSAGES.test(current.message)) return true;
  }
  return false;
}

/**
 * The one error mapper: an HttpProblem answers as itself; an unreachable database is 503; anything
 * else is logged (name and message, with a request id) and answered with a bare 500.
 */
export function toErrorResponse(error: unknown, context: { requestId: string; path: string }): Response {
  const headers = { 'x-request-id': context.requestId };
  if (error instanceof HttpProblem) return problemResponse(error, headers);
  if (error instanceof UserGoneError) return problemResponse(problems.invalidToken('The token’s user no longer exists.'), headers);
  if (isDatabaseUnavailable(error)) {
    logEvent('warn', 'database_unavailable', { ...context, error: describeError(error) });
    return problemResponse(problems.unavailable(), headers);
  }
  logEvent('error', 'unhandled_error', { ...context, error: describeError(error) });
  return problemResponse(new HttpProblem(500, `Something went wrong on our side. Reference: ${context.requestId}.`), headers);
}
