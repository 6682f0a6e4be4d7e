import { z } from 'zod';

/**
 * RFC 9457 problem details, as every error of the task API and the proxy is answered.
 * Browser-safe: the msw handlers build their errors with the same code as the real handlers.
 */

export const problemSchema = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().min(1).meta({ description: 'A human sentence (what FastAPI clients read).' }),
    errors: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Every validation problem, for 422.' }),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Something the caller did or may retry; `headers` go on the response (WWW-Authenticate, Retry-After). */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly options: { errors?: ProblemFieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
  }

  toJSON(): Problem {
    return problemBody(this.status, this.detail, this.options.errors);
  }
}

export function problemBody(status: number, detail: string, errors?: ProblemFieldError[]): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

export function problemResponse(problem: HttpProblem, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem.toJSON()), {
    status: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'cache-control': 'no-store',
      ...problem.options.headers,
      ...extraHeaders,
    },
  });
}

/**
 * Every issue zod found as `{ path, message }`; `at` turns a path inside the value into the one
 * the client sees (import names a task of its file: `tasks.3.due_date`, `row 4: due_date`).
 */
export function fieldErrors(error: z.ZodError, at: (path: string) => string = (path) => path): ProblemFieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // Each refused field is its own error, at its own path (`user_id`, `filter.id`).
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: at([...path, key].join('.')), message: `${key} is not a field this API accepts` }));
    }
    return [{ path: at(path.join('.')), message: issue.message }];
  });
}

/** Every issue zod found, not only the first, as `errors: [{ path, message }]`. */
export function validationProblem(error: z.ZodError, what = 'The request'): HttpProblem {
  return invalid(fieldErrors(error), what);
}

/** A 422 listing these field errors, each named in `detail` too. */
export function invalid(errors: { path: string; message: string }[], what: string): HttpProblem {
  const detail = `${what} is invalid: ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`;
  return new HttpProblem(422, detail, { errors });
}

/** A 422 for one field the schema passed but the data refuses (a list that is not the user's). */
export function fieldProblem(path: string, message: string, what = 'The body'): HttpProblem {
  return invalid([{ path, message }], what);
}

export const problems = {
  conflict: (detail: string) => new HttpProblem(409, detail),
  missingToken: () =>
    new HttpProblem(401, 'Authentication required: send Authorization: Bearer <token>.', {
      headers: { 'www-authenticate': 'Bearer' },
    }),
  invalidToken: (detail = 'The access token is invalid.') =>
    new HttpProblem(401, detail, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }),
  expiredToken: () =>
    new HttpProblem(401, 'The access token has expired.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token has expired"' },
    }),
  tokenInUrl: () =>
    new HttpProblem(401, 'Send the access token in the Authorization header, never in the URL.', {
      headers: { 'www-authenticate': 'Bearer error="invalid_request"' },
    }),
  identityMismatch: () => new HttpProblem(403, 'Access denied: user identity mismatch'),
  // One 404 for an unknown id, a malformed id, another user's task and a path that is not there:
  // the answer tells nothing about what exists.
  notFound: () => new HttpProblem(404, 'Not found.'),
  methodNotAllowed: (allow: string[]) =>
    new HttpProblem(405, 'Method not allowed.', { headers: { allow: allow.join(', ') } }),
  tooManyRequests: (retryAfterSeconds: number) =>
    new HttpProblem(429, `Too many requests. Please retry in ${retryAfterSeconds} s.`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  /** Until it is over (at most that long: the lock began at the last wrong code). */
  twoFactorLocked: (retryAfterSeconds: number) =>
    new HttpProblem(429, `Too many wrong codes: signing in with a code is locked for this account for up to ${Math.round(retryAfterSeconds / 60)} minutes.`, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  unavailable: () =>
    new HttpProblem(503, 'The database is not answering. Please retry shortly.', { headers: { 'retry-after': '5' } }),
};
