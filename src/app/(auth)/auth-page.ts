import { redirect } from 'next/navigation';
import { safeReturnTo } from '@/lib/return-to';
import { getSessionUser } from '@/server/auth/session';
import { env } from '@/server/env';

export type AuthSearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Where to go afterwards (a path on this site only), and whether a session just expired. A person already signed in goes there now. */
export async function readAuthParams(searchParams: AuthSearchParams): Promise<{ returnTo: string; expired: boolean }> {
  const params = await searchParams;
  const returnTo = safeReturnTo(first(params.next));
  // Mock mode's user is always signed in; the forms stay reachable there to work on them.
  if (!env.mock && (await getSessionUser().catch(() => null))) redirect(returnTo);
  return { returnTo, expired: first(params.reason) === 'expired' };
}
