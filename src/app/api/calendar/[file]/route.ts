import { noneMatchNames } from '@/lib/api/conditional';
import { problems } from '@/lib/api/problem';
import { FEED_PATH, feedFor, secretOfFile } from '@/server/calendar/feeds';
import { withRequest } from '@/server/http/with-request';

/**
 * `GET /api/calendar/<secret>.ics`: a user's calendar feed, for calendar apps, which send no
 * session nor token: the secret in the path is the credential. So the path never reaches a log:
 * withRequest (which logs the path of a request that fails) is handed the request with the file
 * name replaced, and the handler reads the secret from the route's params alone.
 */

interface FeedContext {
  params: Promise<{ file: string }>;
}

const CACHE_CONTROL = 'private, max-age=300';

function redacted(request: Request): Request {
  const url = new URL(`${FEED_PATH}redacted.ics`, request.url);
  return new Request(url, { method: request.method, headers: request.headers, signal: request.signal });
}

/** Whether the calendar app already has this version; a malformed If-None-Match gets the feed in full, not a 400. */
function unchanged(ifNoneMatch: string | null, etag: string): boolean {
  try {
    return ifNoneMatch !== null && noneMatchNames(ifNoneMatch, etag);
  } catch {
    return false;
  }
}

const serveFeed = withRequest<FeedContext & { requestId?: string }>(async ({ request }, { params }) => {
  const secret = secretOfFile((await params).file);
  // A name that cannot be a feed's costs no database read.
  const feed = secret === undefined ? undefined : await feedFor(secret);
  if (!feed) throw problems.notFound();
  const headers = { 'cache-control': CACHE_CONTROL, etag: feed.etag };
  if (unchanged(request.headers.get('if-none-match'), feed.etag)) return new Response(null, { status: 304, headers });
  return new Response(feed.render(), {
    headers: { ...headers, 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'inline; filename="tasklane.ics"' },
  });
});

const refuseMethod = withRequest(async () => {
  throw problems.methodNotAllowed(['GET', 'HEAD']);
});

// Next answers HEAD with GET's headers and no body, and OPTIONS with the methods exported here.
export function GET(request: Request, context: FeedContext): Promise<Response> {
  return serveFeed(redacted(request), context);
}

export function POST(request: Request): Promise<Response> {
  return refuseMethod(redacted(request));
}
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
