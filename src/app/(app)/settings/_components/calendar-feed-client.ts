import { ApiError, NetworkError, SessionExpiredError } from '@/lib/tasks/api-client';

/**
 * The browser's calls for the calendar feed, through the same-origin proxy with the session cookie
 * (the browser never holds a token). Errors are the task client's classes, so the page tells a
 * lost session, a lost network and a refusal apart the same way.
 */

export const CALENDAR_FEED_PATH = '/api/proxy/me/calendar-feed';

async function send(method: 'POST' | 'DELETE'): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(CALENDAR_FEED_PATH, { method, credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    throw new NetworkError();
  }
  if (response.ok) return response;
  let detail = `The request failed (${response.status}).`;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string' && body.detail) detail = body.detail;
  } catch {
    // Not a problem body (a proxy in between): keep the generic sentence.
  }
  if (response.status === 401) throw new SessionExpiredError(401, detail);
  throw new ApiError(response.status, detail);
}

/** A new feed address; any earlier one stops working. */
export async function createCalendarFeed(): Promise<string> {
  const body = (await (await send('POST')).json()) as { url?: unknown };
  if (typeof body.url !== 'string') throw new ApiError(502, 'The server answered without an address. Please try again.');
  return body.url;
}

/** Turns the feed off. */
export async function deleteCalendarFeed(): Promise<void> {
  await send('DELETE');
}
