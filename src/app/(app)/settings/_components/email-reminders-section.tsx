'use client';

import { useId, useState } from 'react';
import { errorText, focusRing, mutedText } from '@/components/ui/styles';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { saveEmailReminders } from './email-reminders-client';

/**
 * "Email me when a reminder fires": on by default. Saved as soon as it changes; a refused change
 * puts the box back and says why.
 */
export function EmailRemindersSection({ initial, email }: { initial: boolean; email: string }) {
  const feedback = useTaskFeedback();
  const [on, setOn] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = { box: useId(), hint: useId() };

  async function change(next: boolean) {
    if (saving) return;
    setOn(next);
    setSaving(true);
    setError(null);
    setStatus('');
    try {
      await saveEmailReminders(next);
      setStatus(next ? 'Saved. Reminders will also come by email.' : 'Saved. Reminders will no longer come by email.');
    } catch (caught) {
      setOn(!next);
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      setError(`Couldn’t save this setting. ${describeError(caught)}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-start gap-3">
        <input
          id={ids.box}
          type="checkbox"
          checked={on}
          disabled={saving}
          aria-describedby={ids.hint}
          onChange={(event) => void change(event.currentTarget.checked)}
          className={`mt-0.5 size-5 shrink-0 cursor-pointer rounded accent-indigo-600 disabled:cursor-wait dark:accent-indigo-400 ${focusRing}`}
        />
        <div className="flex min-w-0 flex-col gap-1">
          <label htmlFor={ids.box} className="cursor-pointer text-sm font-medium">
            Email me when a reminder fires
          </label>
          <p id={ids.hint} className={`text-sm break-words ${mutedText}`}>
            Besides the bell, each reminder is sent to {email} with the task’s title and due date.
          </p>
        </div>
      </div>
      <p role="status" aria-live="polite" className="text-sm">
        {saving ? 'Saving…' : status}
      </p>
      {error ? (
        <p role="alert" className={errorText}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
