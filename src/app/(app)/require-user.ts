import { getSessionCookie } from 'better-auth/cookies';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { REQUESTED_PATH_HEADER } from '@/lib/page-security';
import { TASKS_PAGE } from '@/lib/paths';
import { signInUrl } from '@/lib/return-to';
import { getSessionUser, type SessionUser } from '@/server/auth/session';

/**
 * The signed-in person, or a redirect to sign in (and back to the page asked for). A session
 * cookie that no longer opens a session means it expired or was revoked: the sign-in page says so.
 * Layouts and pages render in parallel, so both the (app) layout and each page call this.
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (user) return user;
  const requestHeaders = await headers();
  const requested = requestHeaders.get(REQUESTED_PATH_HEADER) ?? TASKS_PAGE;
  redirect(signInUrl(requested, getSessionCookie(requestHeaders) ? 'expired' : undefined));
}
