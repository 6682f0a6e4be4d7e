import { headers } from 'next/headers';
import { cache } from 'react';
import { MOCK_USER } from '@/lib/build-flags';
import { getAuth } from '@/server/auth/auth';
import { env } from '@/server/env';

/** The signed-in person, as pages and layouts see them. */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  /** IANA time zone: "today" and due labels are in it. */
  timezone: string;
  /** Whether reminders are mailed too (/settings). */
  emailReminders: boolean;
  /** Whether the link in the verification mail was followed; until then the app shows a banner. */
  emailVerified: boolean;
  /** Whether sign-in asks for an authenticator code too (/settings, Security). */
  twoFactorEnabled: boolean;
}

/**
 * The session of the request being rendered, checked for real (signature, expiry, the session row
 * and its user), or null. Once per request, however many components ask.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  // Mock mode (npm run dev:mock): a fake signed-in user, no database. Loaded only in that mode.
  if (env.mock) return { ...MOCK_USER, emailVerified: true, twoFactorEnabled: false };
  const auth = await getAuth();
  // From the session row (one indexed read per page): a deleted user or revoked session is out at once.
  const session = await auth.api.getSession({ headers: await headers(), query: { disableCookieCache: true } });
  if (!session) return null;
  return { id: session.user.id, name: session.user.name, email: session.user.email, timezone: session.user.timezone ?? 'UTC', emailReminders: session.user.emailReminders ?? true, emailVerified: session.user.emailVerified, twoFactorEnabled: session.user.twoFactorEnabled ?? false };
});
