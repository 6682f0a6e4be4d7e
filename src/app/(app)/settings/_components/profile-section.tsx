'use client';

import { useId, useMemo, useState, type FormEvent } from 'react';
import { buttonPrimary, mutedText, selectInput, textInput } from '@/components/ui/styles';
import { FormFeedback } from './form-feedback';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { updateUser } from './auth-client';

/** The zones the browser knows, with the person's own (and UTC, which the list leaves out) always among them. */
function zoneChoices(current: string): string[] {
  const zones = new Set(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}

/**
 * Name and time zone, saved together with /api/auth/update-user. The server checks the zone
 * (an unknown one is refused with its own message); the name only has to be there.
 */
export function ProfileSection({ initial }: { initial: { name: string; timezone: string } }) {
  const feedback = useTaskFeedback();
  const [saved, setSaved] = useState(initial);
  const [name, setName] = useState(initial.name);
  const [timezone, setTimezone] = useState(initial.timezone);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(() => zoneChoices(initial.timezone), [initial.timezone]);
  const ids = { name: useId(), zone: useId(), zoneHint: useId(), error: useId() };
  const nameMissing = name.trim() === '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    setStatus('');
    if (nameMissing) {
      setError('Please enter your name.');
      return;
    }
    const changes = { ...(name.trim() !== saved.name ? { name: name.trim() } : {}), ...(timezone !== saved.timezone ? { timezone } : {}) };
    if (Object.keys(changes).length === 0) {
      setError(null);
      setStatus('Nothing to save: your profile is as it was.');
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await updateUser(changes);
      setSaved({ name: name.trim(), timezone });
      setName(name.trim());
      setStatus('Saved. Your profile is up to date.');
    } catch (caught) {
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      setError(`Couldn’t save your profile. ${describeError(caught)}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="flex flex-col gap-4" onSubmit={(event) => void submit(event)} noValidate aria-describedby={error ? ids.error : undefined}>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.name} className="text-sm font-medium">
          Name
        </label>
        <input
          id={ids.name}
          className={textInput}
          value={name}
          autoComplete="name"
          maxLength={100}
          required
          aria-invalid={error !== null && nameMissing}
          onChange={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.zone} className="text-sm font-medium">
          Time zone
        </label>
        <select id={ids.zone} className={`${selectInput} w-full sm:w-auto`} value={timezone} aria-describedby={ids.zoneHint} onChange={(event) => setTimezone(event.currentTarget.value)}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <p id={ids.zoneHint} className={`text-sm ${mutedText}`}>
          “Today”, “overdue” and reminders follow this zone.
        </p>
      </div>
      <div>
        <button type="submit" className={buttonPrimary} disabled={saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
      </div>
      <FormFeedback status={status} error={error} errorId={ids.error} />
    </form>
  );
}
