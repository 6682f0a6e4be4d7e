import { json, noContent } from '@/lib/api/responses';
import { deleteFeed, rotateFeed } from '@/server/calendar/feeds';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';

/** A new calendar feed address each time (the old one stops working); shown once: only its hash is kept. */
// Not replayed for an Idempotency-Key: the answer holds the feed's secret, which is kept hashed only.
export const POST = taskRoute(async ({ userId }) => json({ url: await rotateFeed(userId) }, { status: 201 }), { idempotent: false });

/** Turns the feed off; 204 whether or not there was one. */
export const DELETE = taskRoute(async ({ userId }) => {
  await deleteFeed(userId);
  return noContent();
});

export const GET = methodNotAllowed('calendarFeed');
export const PUT = GET;
export const PATCH = GET;
