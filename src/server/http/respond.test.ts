import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { HttpProblem, problems, validationProblem } from '@/lib/api/problem';
import { isDatabaseUnavailable, toErrorResponse } from './respond';

const context = { requestId: 'req-123', path: '/api/me/tasks' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('toErrorResponse', () => {
  it('answers an HttpProblem as RFC 9457 problem details, with its headers and the request id', async () => {
    const response = toErrorResponse(problems.expiredToken(), context);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'The access token has expired.' });
  });

  it('answers 503 with Retry-After when the database is not answering, however the driver wraps it', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('Failed query: select 1\nparams: secret-title', { cause: refused });
    for (const error of [refused, wrapped, Object.assign(new Error('terminating connection'), { code: '57P01' }), Object.assign(new Error('x'), { code: '08006' })]) {
      const response = toErrorResponse(error, context);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await response.json()).status).toBe(503);
    }
  });

  it('answers anything else with a bare 500 that names the request id and nothing internal', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
    const error = new Error('Failed query: update tasks\nparams: hunter2-password', { cause: new TypeError('cannot read x of undefined') });
    const response = toErrorResponse(error, context);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ status: 500, detail: expect.stringContaining('req-123') });
    expect(body).not.toMatch(/TypeError|cannot read|hunter2|Failed query|at /);
    expect(logged).toHaveLength(1);
    const line = JSON.parse(logged[0]!) as Record<string, string>;
    expect(line).toMatchObject({ level: 'error', event: 'unhandled_error', requestId: 'req-123', path: '/api/me/tasks' });
    expect(line.error).toMatch(/TypeError/);
    expect(logged[0]).not.toMatch(/hunter2|params/);
  });
});

describe('isDatabaseUnavailable', () => {
  it('tells an unreachable database from a failing query', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
    expect(isDatabaseUnavailable('not an error')).toBe(false);
  });
});

describe('validationProblem', () => {
  it('lists every issue with its path, and sums them up in detail', () => {
    const schema = z.strictObject({ title: z.string(), done: z.boolean() });
    const problem = validationProblem(schema.safeParse({ title: 1, done: 'x', extra: true }).error!, 'The body');
    expect(problem).toBeInstanceOf(HttpProblem);
    expect(problem.status).toBe(422);
    const body = problem.toJSON();
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['', 'done', 'title']);
    expect(body.errors?.find((e) => e.path === '')?.message).toBe('Unknown field: extra');
    expect(body.detail).toMatch(/^The body is invalid: /);
    expect(body.detail).toMatch(/title/);
  });
});
