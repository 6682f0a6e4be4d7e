/** The SQLSTATE (or Node error code) of a database error, looking through drizzle's wrappers. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current instanceof AggregateError) for (const inner of current.errors) codes.push(...errorCodes(inner));
  }
  return codes;
}

export const FOREIGN_KEY_VIOLATION = '23503';
export const CHECK_VIOLATION = '23514';
export const UNIQUE_VIOLATION = '23505';

/** The constraint a database error names (node-postgres, PGlite and Neon all set `constraint`), looking through drizzle's wrappers. */
export function constraintOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const constraint = (current as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
  }
  return undefined;
}

/** The user a still-valid token names has been deleted (a write hit the user foreign key). */
export class UserGoneError extends Error {
  override name = 'UserGoneError';
}

/**
 * What to log about a failure: the innermost cause's name, code and message. Never drizzle's
 * wrapper message, which quotes the query's parameters (titles, password hashes, tokens).
 */
export function describeError(error: unknown): string {
  let innermost: unknown = error;
  for (let depth = 0; innermost instanceof Error && innermost.cause instanceof Error && depth < 5; depth++) {
    innermost = innermost.cause;
  }
  if (!(innermost instanceof Error)) return typeof innermost;
  const code = (innermost as { code?: unknown }).code;
  return `${innermost.name}${typeof code === 'string' ? ` ${code}` : ''}: ${innermost.message.slice(0, 200)}`;
}
