'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { buttonSecondary, errorText, mutedText } from '@/components/ui/styles';
import { FormFeedback } from './form-feedback';
import { describeUserAgent } from '@/lib/user-agent';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { AuthRefusal, authRequest, listSessions, revokeOtherSessions, revokeSession, type SessionInfo } from './auth-client';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago", "just now". */
export function lastActive(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 60) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const [unit, size] = UNITS.find(([, each]) => Math.abs(seconds) >= each)!;
  return format.format(Math.round(seconds / size), unit);
}

/** The person's sessions, this device first, then the most recently active; and which is this device. */
async function loadSessions(): Promise<{ sessions: SessionInfo[]; currentId: string | undefined }> {
  const [sessions, current] = await Promise.all([listSessions(), authRequest<{ session: { id: string } } | null>('/get-session')]);
  const currentId = current?.session.id;
  sessions.sort((a, b) => Number(b.id === currentId) - Number(a.id === currentId) || b.updatedAt.localeCompare(a.updatedAt));
  return { sessions, currentId };
}

export const SESSIONS_KEY = ['auth', 'sessions'] as const;

/**
 * Where the person is signed in: one row per session (/list-sessions), this one marked, each other
 * with "Revoke" (/revoke-session) and all of them at once with "Sign out everywhere else"
 * (/revoke-other-sessions). Better Auth shows the list only to a session signed in within the last
 * day (SESSION_NOT_FRESH otherwise); ending the others works either way.
 */
export function SessionsList() {
  const feedback = useTaskFeedback();
  const client = useQueryClient();
  // A lost session is the query client's to handle (it sends the person to sign in).
  const query = useQuery({ queryKey: SESSIONS_KEY, queryFn: loadSessions, retry: false });
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  const stale = query.error instanceof AuthRefusal && query.error.code === 'SESSION_NOT_FRESH';
  const loaded = query.data;

  async function end(which: { token: string; label: string } | 'others') {
    if (busy) return;
    setBusy(which === 'others' ? 'others' : which.token);
    setStatus('');
    setError(null);
    try {
      if (which === 'others') await revokeOtherSessions();
      else await revokeSession(which.token);
      setStatus(which === 'others' ? 'Signed out everywhere else.' : `Signed out ${which.label}.`);
      await client.invalidateQueries({ queryKey: SESSIONS_KEY });
    } catch (caught) {
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      setError(`Couldn’t sign that session out. ${describeError(caught)}`);
    } finally {
      setBusy(null);
    }
  }

  const others = loaded ? loaded.sessions.filter((session) => session.id !== loaded.currentId) : [];
  return (
    <div className="flex flex-col gap-3">
      <h3 className="font-medium">Where you’re signed in</h3>
      {query.isPending ? <p className={`text-sm ${mutedText}`}>Loading your sessions…</p> : null}
      {stale ? (
        <p className={`text-sm ${mutedText}`}>For your safety, the list of devices is shown only within a day of signing in. Sign out and in again to see it.</p>
      ) : null}
      {query.isError && !stale && !(query.error instanceof SessionExpiredError) ? <p className={errorText}>Couldn’t load your sessions. {describeError(query.error)}</p> : null}
      {loaded ? (
        <ul className="flex flex-col divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Signed-in devices">
          {loaded.sessions.map((session) => {
            const device = describeUserAgent(session.userAgent);
            const current = session.id === loaded.currentId;
            return (
              <li key={session.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div className="flex min-w-0 flex-col">
                  <span className="text-sm font-medium">
                    {device}
                    {current ? <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-semibold text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">This device</span> : null}
                  </span>
                  <span className={`text-sm break-all ${mutedText}`}>
                    {session.ipAddress || 'Unknown address'} · {current ? 'active now' : `last active ${lastActive(session.updatedAt)}`}
                  </span>
                </div>
                {current ? null : (
                  <button
                    type="button"
                    className={buttonSecondary}
                    disabled={busy !== null}
                    aria-label={`Revoke ${device}, ${session.ipAddress || 'unknown address'}`}
                    onClick={() => void end({ token: session.token, label: device })}
                  >
                    {busy === session.token ? 'Revoking…' : 'Revoke'}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
      {loaded && others.length === 0 ? <p className={`text-sm ${mutedText}`}>You aren’t signed in anywhere else.</p> : null}
      {!loaded || others.length > 0 ? (
        <div>
          <button type="button" className={buttonSecondary} disabled={busy !== null} onClick={() => void end('others')}>
            {busy === 'others' ? 'Signing out…' : 'Sign out everywhere else'}
          </button>
        </div>
      ) : null}
      <FormFeedback status={status} error={error} />
    </div>
  );
}
