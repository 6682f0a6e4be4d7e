import { ApiError, NetworkError, SessionExpiredError } from '@/lib/tasks/api-client';

/**
 * The "email me" setting, saved on the Better Auth user with /api/auth/update-user (the session
 * cookie; the same endpoint sets the time zone). Errors are the task client's classes, so the page
 * tells a lost session, a lost network and a refusal apart the same way.
 */

export const UPDATE_USER_PATH = '/api/auth/update-user';

export async function saveEmailReminders(on: boolean): Promise<void> {
  let response: Response;
  try {
    response = await fetch(UPDATE_USER_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ emailReminders: on }),
    });
  } catch {
    throw new NetworkError();
  }
  if (response.ok) return;
  if (response.status === 401) throw new SessionExpiredError(401, 'Sign in to continue.');
  let message = `The request failed (${response.status}).`;
  try {
    // Better Auth's own error shape: { code, message }.
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string' && body.message) message = body.message;
  } catch {
    // Not JSON (a proxy in between): keep the generic sentence.
  }
  throw new ApiError(response.status, message);
}
