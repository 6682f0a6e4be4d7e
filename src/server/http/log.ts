/**
 * Structured logs: one JSON line per event. Callers pass facts (ids, paths, statuses), never
 * request headers or bodies, so tokens, cookies and passwords have no way in.
 */
export function logEvent(level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
