'use client';

import { useQueryClient } from '@tanstack/react-query';
import { ChangePasswordForm } from './change-password-form';
import { SESSIONS_KEY, SessionsList } from './sessions-list';
import { TwoFactorSection } from './two-factor-section';

/**
 * Password, two-factor authentication and sessions together: a password change that signs the
 * others out, and every two-factor change (Better Auth replaces this session), refresh the list.
 */
export function SecuritySection({ twoFactorEnabled = false }: { twoFactorEnabled?: boolean }) {
  const client = useQueryClient();
  const refreshSessions = () => void client.invalidateQueries({ queryKey: SESSIONS_KEY });
  return (
    <div className="flex flex-col gap-6">
      <ChangePasswordForm onChanged={refreshSessions} />
      <hr className="border-zinc-200 dark:border-zinc-800" />
      <TwoFactorSection initialEnabled={twoFactorEnabled} onChanged={refreshSessions} />
      <hr className="border-zinc-200 dark:border-zinc-800" />
      <SessionsList />
    </div>
  );
}
