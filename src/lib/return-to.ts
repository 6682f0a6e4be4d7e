/**
 * Where to go after signing in: only a path on this site. `next` comes from the URL, so anyone can
 * craft it; an absolute URL, a protocol-relative `//evil.example`, a backslash trick (`/\evil`),
 * control characters, or a page that would send the person back to signing in are replaced by the
 * dashboard.
 */

import { TASKS_PAGE } from './paths';

export const DEFAULT_RETURN_TO = TASKS_PAGE;
const AUTH_PAGES = ['/sign-in', '/sign-up'];

export function safeReturnTo(value: string | null | undefined): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return DEFAULT_RETURN_TO;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return DEFAULT_RETURN_TO;
  if (/[\u0000-\u001f\u007f]/.test(value)) return DEFAULT_RETURN_TO;
  const base = 'http://return-to.invalid';
  const url = URL.parse(value, base);
  if (url === null || url.origin !== base) return DEFAULT_RETURN_TO;
  if (AUTH_PAGES.some((page) => url.pathname === page || url.pathname.startsWith(`${page}/`))) return DEFAULT_RETURN_TO;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/sign-in?next=...`, with `reason=expired` when a session ended under the person's feet. */
export function signInUrl(returnTo: string, reason?: 'expired'): string {
  const params = new URLSearchParams();
  const next = safeReturnTo(returnTo);
  if (next !== DEFAULT_RETURN_TO) params.set('next', next);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return query ? `/sign-in?${query}` : '/sign-in';
}
