/** Sentences for failed auth requests (kept apart from the client so pages can import them cheaply). */

/** What the person reads when an auth request fails: the server's own message, or why there was none. */
export function authErrorMessage(error: { status: number; message?: string | undefined }, retryAfterSeconds?: number | null): string {
  if (error.status === 429) return `Too many attempts, try again in ${waitOf(retryAfterSeconds ?? 10)}.`;
  if (error.status === 0 || error.status === undefined) return 'Tasklane could not be reached. Check your connection and try again.';
  if (error.message) return error.message.endsWith('.') ? error.message : `${error.message}.`;
  if (error.status >= 500) return 'Something went wrong on our side. Please try again.';
  return 'That did not work. Please try again.';
}

/** "7 s", or from two minutes on "15 min" (rounded up: never sooner than the server allows). */
function waitOf(seconds: number): string {
  return seconds < 120 ? `${Math.max(1, Math.ceil(seconds))} s` : `${Math.ceil(seconds / 60)} min`;
}

/** X-Retry-After (Better Auth's rate limiter) or Retry-After, in seconds. */
export function retryAfterOf(response: Response | undefined): number | null {
  const value = Number(response?.headers.get('x-retry-after') ?? response?.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * Why a link from a mail did not work: Better Auth sends the browser back to the link's callback
 * with `?error=<code>` (`/verify-email`). Null for anything else in `error`.
 */
export function linkErrorMessage(code: string | null): string | null {
  switch (code) {
    case 'TOKEN_EXPIRED':
      return 'That link has expired. Links in our mails work for a limited time.';
    case 'INVALID_TOKEN':
      return 'That link is not valid: it may be incomplete or already used.';
    case 'USER_NOT_FOUND':
      return 'That link belongs to an account that no longer exists.';
    case 'INVALID_USER':
      return 'That link belongs to another account. Sign out and follow it again.';
    default:
      return null;
  }
}
