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
