import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpProblem } from '@/lib/api/problem';
import { json } from '@/lib/api/responses';
import { env } from '@/server/env';
import { clientIp } from '@/server/http/client';
import { assertNotLockedOut, countFailedAuthentication } from '@/server/http/rate-limit';
import { withRequest } from '@/server/http/with-request';
import { runScheduledWork } from '@/server/reminders';

/**
 * `POST /api/cron/reminders` with `Authorization: Bearer $CRON_SECRET`: fires the reminders that
 * are due, once each however many calls overlap (server/reminders.ts). Vercel Cron calls it (with
 * GET, its method; see vercel.json); under `npm start` the server's own timer does the same.
 */

const digest = (value: string) => createHash('sha256').update(value).digest();

function authorized(request: Request): boolean {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!env.cronSecret || !match) return false;
  // Digests of equal length: the comparison takes as long whatever the guess.
  return timingSafeEqual(digest(match[1]!), digest(env.cronSecret));
}

const fire = withRequest(
  async ({ request }) => {
    const ip = clientIp(request);
    await assertNotLockedOut(ip);
    if (!authorized(request)) {
      await countFailedAuthentication(ip);
      throw new HttpProblem(401, env.cronSecret ? 'Send Authorization: Bearer <CRON_SECRET>.' : 'CRON_SECRET is not set: this endpoint cannot be called.', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    return json({ fired: await runScheduledWork() });
  },
  { refusals: { 401: 'cron_unauthorized', 429: 'cron_rate_limited' } },
);

export { fire as POST, fire as GET };
