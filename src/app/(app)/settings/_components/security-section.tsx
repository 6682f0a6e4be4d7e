'use client';

import { useQueryClient } from '@tanstack/react-query';
import { ChangePasswordForm } from './change-password-form';
import { SESSIONS_KEY, SessionsList } from './sessions-list';

/** Password and sessions together: a password change that signs the others out refreshes the list. */
export function SecuritySection() {
  const client = useQueryClient();
  return (
    <div className="flex flex-col gap-6">
      <ChangePasswordForm onChanged={() => void client.invalidateQueries({ queryKey: SESSIONS_KEY })} />
      <hr className="border-zinc-200 dark:border-zinc-800" />
      <SessionsList />
    </div>
  );
}
