import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { HttpProblem, problems, validationProblem } from '@/lib/api/problem';
import { UserGoneError } from '@/server/db/errors';
import { isDatabaseUnavailable, toErrorResponse } from './respond';

const context = { requestId: 'req-123', path: '/api/me/tasks' };

/** What drizzle throws when a query fails: its own message quotes the query's parameters. */
const drizzleError = (cause: unknown, params = 'hunter2-password') =>
  new Error(`Failed query: update "tasks" set "title" = $1\nparams: ${params}`, { cause });

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

/** Captures console lines (the structured log) instead of printing them. */
function captureLogs() {
  const lines = { error: [] as string[], log: [] as string[] };
  vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.error.push(line));
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.log.push(line));
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('toErrorResponse: problems the caller caused', () => {
  it('answers an HttpProblem as RFC 9457 problem details, with its headers and the request id', async () => {
    const logs = captureLogs();
    const response = toErrorResponse(problems.expiredToken(), context);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'The access token has expired.' });
    // A client's mistake is not an incident.
    expect(logs.error).toEqual([]);
  });

  it('keeps the status, detail and headers of any problem', async () => {
    const cases = [
      [problems.missingToken(), 401, { 'www-authenticate': 'Bearer' }],
      [problems.identityMismatch(), 403, {}],
      [problems.notFound(), 404, {}],
      [problems.methodNotAllowed(['GET', 'POST']), 405, { allow: 'GET, POST' }],
      [new HttpProblem(413, 'The body must be at most 64 KB.'), 413, {}],
      [new HttpProblem(429, 'Slow down.', { headers: { 'retry-after': '30' } }), 429, { 'retry-after': '30' }],
    ] as const;
    for (const [problem, status, headers] of cases) {
      const response = toErrorResponse(problem, context);
      expect(response.status).toBe(status);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ type: 'about:blank', status, detail: problem.detail });
      expect(typeof body.title).toBe('string');
      for (const [name, value] of Object.entries(headers)) expect(response.headers.get(name), name).toBe(value);
    }
    const mismatch = await toErrorResponse(problems.identityMismatch(), context).json();
    expect(mismatch.detail).toBe('Access denied: user identity mismatch');
  });

  it('answers a validation problem with every field error', async () => {
    const schema = z.strictObject({ title: z.string(), completed: z.boolean() });
    const response = toErrorResponse(validationProblem(schema.safeParse({ title: 1, completed: 'x' }).error!), context);
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['completed', 'title']);
  });

  it('answers a token whose user is gone with 401 invalid_token', async () => {
    const response = toErrorResponse(new UserGoneError('user deleted'), context);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(response.headers.get('x-request-id')).toBe('req-123');
  });
});

describe('toErrorResponse: the database is not answering', () => {
  it('answers 503 problem+json with Retry-After, however the driver or drizzle wraps it', async () => {
    const logs = captureLogs();
    const refused = withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    const errors = [
      refused,
      drizzleError(refused),
      drizzleError(withCode('terminating connection due to administrator command', '57P01')),
      withCode('connection failure', '08006'),
      drizzleError(drizzleError(withCode('connection failure', '08006'))),
      new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'ECONNREFUSED')], 'connect failed'),
    ];
    for (const error of errors) {
      const response = toErrorResponse(error, context);
      expect(response.status, error.message).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('x-request-id')).toBe('req-123');
      const body = await response.json();
      expect(body).toMatchObject({ type: 'about:blank', status: 503 });
      expect(body.detail).not.toMatch(/ECONNREFUSED|5432|Failed query|hunter2/);
    }
    // Logged as a warning with the request id, never with drizzle's parameters.
    expect(logs.log).toHaveLength(errors.length);
    for (const line of logs.log) {
      expect(JSON.parse(line)).toMatchObject({ level: 'warn', event: 'database_unavailable', requestId: 'req-123' });
      expect(line).not.toMatch(/hunter2|params/);
    }
  });
});

describe('toErrorResponse: anything else', () => {
  it('answers a bare 500 that names the request id and nothing internal', async () => {
    captureLogs(); // keep the test output quiet
    const error = drizzleError(new TypeError('cannot read x of undefined'));
    const response = toErrorResponse(error, context);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-request-id')).toBe('req-123');
    const text = await response.text();
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title', 'type']);
    expect(body).toMatchObject({ type: 'about:blank', title: 'Internal Server Error', status: 500 });
    expect(body.detail).toContain('req-123');
    expect(text).not.toMatch(/TypeError|cannot read|hunter2|Failed query|update|\bat \w|\.ts:\d/);
  });

  it('logs one JSON line with the request id and path, and never the query parameters', () => {
    const logs = captureLogs();
    toErrorResponse(drizzleError(new TypeError('cannot read x of undefined'), '["eyJhbGciOiJFZERTQSJ9.secret-jwt", "hunter2-password"]'), context);
    expect(logs.error).toHaveLength(1);
    expect(logs.log).toHaveLength(0);
    const line = JSON.parse(logs.error[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', event: 'unhandled_error', requestId: 'req-123', path: '/api/me/tasks' });
    expect(typeof line.time).toBe('string');
    // The innermost cause, which is what someone debugging needs.
    expect(line.error).toBe('TypeError: cannot read x of undefined');
    expect(logs.error[0]).not.toMatch(/hunter2|secret-jwt|eyJ|params|Failed query/);
    expect(logs.error[0]).not.toMatch(/\n/);
  });

  it('answers 500 for things thrown that are not errors', async () => {
    const logs = captureLogs();
    for (const thrown of ['thrown-secret', 42, null, undefined, { message: 'thrown-secret' }]) {
      const response = toErrorResponse(thrown, context);
      expect(response.status).toBe(500);
      expect((await response.json()).detail).toContain('req-123');
    }
    expect(logs.error).toHaveLength(5);
    // Only the kind of thing thrown is logged, not its content.
    expect(logs.error.map((line) => JSON.parse(line).error)).toEqual(['string', 'number', 'object', 'undefined', 'object']);
    expect(logs.error.join('\n')).not.toContain('thrown-secret');
  });

  it('caps the logged message, so a huge error cannot flood the log', () => {
    const logs = captureLogs();
    toErrorResponse(new Error('x'.repeat(100_000)), context);
    expect(logs.error[0]!.length).toBeLessThan(1000);
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises connection failures by code, through wrappers and aggregates', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '08006', '08001', '57P01', '57P03', '53300']) {
      expect(isDatabaseUnavailable(withCode('x', code)), code).toBe(true);
      expect(isDatabaseUnavailable(drizzleError(withCode('x', code))), `wrapped ${code}`).toBe(true);
    }
    expect(isDatabaseUnavailable(new AggregateError([withCode('a', 'ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(drizzleError(new AggregateError([withCode('a', 'ECONNREFUSED')])))).toBe(true);
  });

  it('recognises the drivers’ connection messages', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(drizzleError(new Error('timeout exceeded when trying to connect')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('PGlite is closed'))).toBe(true);
    // A query the network swallowed (pg's query_timeout).
    expect(isDatabaseUnavailable(drizzleError(new Error('Query read timeout')))).toBe(true);
  });

  it('tells an unreachable database from a failing query or a bug', () => {
    expect(isDatabaseUnavailable(withCode('duplicate key', '23505'))).toBe(false);
    expect(isDatabaseUnavailable(drizzleError(withCode('foreign key', '23503')))).toBe(false);
    expect(isDatabaseUnavailable(withCode('syntax error', '42601'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('cannot read x of undefined'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('validationProblem', () => {
  it('lists every issue with its path, and sums them up in detail', () => {
    const schema = z.strictObject({ title: z.string(), done: z.boolean(), nested: z.object({ n: z.number() }) });
    const problem = validationProblem(schema.safeParse({ title: 1, done: 'x', nested: { n: 'y' }, extra: true, more: 1 }).error!, 'The body');
    expect(problem).toBeInstanceOf(HttpProblem);
    expect(problem.status).toBe(422);
    const body = problem.toJSON();
    expect(body.title).toBe('Unprocessable Content');
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['done', 'extra', 'more', 'nested.n', 'title']);
    expect(body.errors?.find((e) => e.path === 'extra')?.message).toBe('extra is not a field this API accepts');
    expect(body.detail).toMatch(/^The body is invalid: /);
    for (const path of ['title', 'done', 'nested.n', 'extra', 'more']) expect(body.detail).toContain(path);
  });

  it('defaults to "The request" when not told what was invalid', () => {
    const problem = validationProblem(z.string().safeParse(1).error!);
    expect(problem.detail).toMatch(/^The request is invalid: /);
    expect(problem.toJSON().errors).toHaveLength(1);
  });
});
