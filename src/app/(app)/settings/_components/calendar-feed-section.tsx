'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { buttonPrimary, buttonSecondary, link, mutedText, textInput } from '@/components/ui/styles';
import { FormFeedback } from './form-feedback';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { createCalendarFeed, deleteCalendarFeed } from './calendar-feed-client';

/**
 * "Subscribe in your calendar": turn the feed on, copy its address, get a new one, turn it off.
 * The server keeps only a hash of the address's secret, so the address can be shown only in the
 * answer that made it: after a reload the page knows that a feed is on, not its address.
 */

/**
 * What the server knew when it rendered the page: `since` is the address's date, ready to show;
 * unknown when it could not tell (the database is away, or a BACKEND_URL service keeps the feed).
 */
export type CalendarFeedState = { kind: 'off' } | { kind: 'on'; since: string } | { kind: 'unknown' };

type Busy = 'create' | 'rotate' | 'delete' | null;
type Confirm = 'rotate' | 'delete' | null;

const dangerButton = `${buttonSecondary} !text-red-700 dark:!text-red-300`;

export function CalendarFeedSection({ initial }: { initial: CalendarFeedState }) {
  const feedback = useTaskFeedback();
  // Unknown (the server could not check): the actions that are right either way, offered.
  const [on, setOn] = useState(initial.kind !== 'off');
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const addressRef = useRef<HTMLInputElement>(null);
  const turnOnRef = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<'address' | 'turn-on' | null>(null);
  const ids = { address: useId(), hint: useId(), help: useId() };

  // Focus follows the change: to the new address, or to the button that turns the feed back on.
  useEffect(() => {
    if (focusNext.current === 'address' && addressRef.current) {
      addressRef.current.focus();
      addressRef.current.select();
    } else if (focusNext.current === 'turn-on') {
      turnOnRef.current?.focus();
    }
    focusNext.current = null;
  }, [url, on]);

  async function run(kind: Exclude<Busy, null>) {
    if (busy) return;
    setBusy(kind);
    setError(null);
    setStatus('');
    try {
      if (kind === 'delete') {
        await deleteCalendarFeed();
        focusNext.current = 'turn-on';
        setUrl(null);
        setOn(false);
        setStatus('Calendar subscription turned off. The old address no longer works.');
      } else {
        const created = await createCalendarFeed();
        focusNext.current = 'address';
        setUrl(created);
        setOn(true);
        setStatus(kind === 'rotate' ? 'New address ready; the old one no longer works. Copy it now.' : 'Calendar address ready. Copy it now.');
      }
    } catch (caught) {
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      setError(`${kind === 'delete' ? 'Couldn’t turn the subscription off.' : 'Couldn’t get an address.'} ${describeError(caught)}`);
    } finally {
      setBusy(null);
    }
  }

  async function copy() {
    if (!url) return;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setStatus('Address copied.');
    } catch {
      // Denied or unavailable (an insecure origin, an old browser): the text is there to copy by hand.
      addressRef.current?.focus();
      addressRef.current?.select();
      setStatus('Couldn’t copy automatically. The address is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  }

  const confirmText =
    confirm === 'rotate'
      ? {
          title: 'Get a new address?',
          body: 'The current address stops working at once: calendars subscribed to it stop updating until you subscribe again with the new address.',
          action: 'Get a new address',
          cancel: 'Keep the current one',
        }
      : {
          title: 'Turn off the calendar subscription?',
          body: 'The address stops working at once: calendars subscribed to it stop updating. You can turn it on again later with a new address.',
          action: 'Turn off',
          cancel: 'Keep it on',
        };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <h3 className="text-base font-semibold">Subscribe in your calendar</h3>
        <p className={`text-sm ${mutedText}`}>
          See your pending tasks that have a due date in Google Calendar, Apple Calendar, Outlook or any calendar app that can subscribe
          to a calendar by its address. Tasks with a time appear at that time, the others as all-day events, and repeating tasks repeat.
          The calendar is read-only, and your calendar app checks it for changes on its own schedule (from every 15 minutes to a few hours).
        </p>
        <p className={`text-sm ${mutedText}`}>Anyone who has the address can see these tasks: keep it to yourself.</p>
      </div>

      {!on ? (
        <div>
          <button ref={turnOnRef} type="button" className={buttonPrimary} onClick={() => void run('create')} disabled={busy !== null} aria-busy={busy === 'create' || undefined}>
            {busy === 'create' ? 'Getting an address…' : 'Get a calendar address'}
          </button>
        </div>
      ) : (
        <div className="flex flex-col gap-4">
          {url ? (
            <div className="flex flex-col gap-2">
              <label htmlFor={ids.address} className="text-sm font-medium">
                Your calendar address
              </label>
              <div className="flex flex-col gap-2 sm:flex-row">
                <input
                  ref={addressRef}
                  id={ids.address}
                  type="text"
                  readOnly
                  value={url}
                  aria-describedby={ids.hint}
                  spellCheck={false}
                  autoComplete="off"
                  className={`${textInput} min-w-0 font-mono text-sm`}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <button type="button" className={`${buttonSecondary} shrink-0`} onClick={() => void copy()}>
                  Copy
                </button>
              </div>
              <p id={ids.hint} className="text-sm font-medium text-amber-800 dark:text-amber-300">
                Copy it now: for your privacy it is shown only once. Get a new address if you lose it.
              </p>
              <details className="text-sm">
                <summary className={`w-fit cursor-pointer rounded-sm ${mutedText}`}>Where to paste it</summary>
                <ul id={ids.help} className={`mt-2 list-disc space-y-1 pl-5 ${mutedText}`}>
                  <li>Google Calendar (on the web): Other calendars, +, From URL.</li>
                  <li>Apple Calendar: File, New Calendar Subscription.</li>
                  <li>Outlook: Add calendar, Subscribe from web.</li>
                </ul>
                <p className="mt-2">
                  <a className={link} href={url.replace(/^https?:/, 'webcal:')}>
                    Open it in your calendar app
                  </a>
                </p>
              </details>
            </div>
          ) : (
            <p className="text-sm">
              {initial.kind === 'on'
                ? `Your calendar subscription is on (address made ${initial.since}). For your privacy its address is shown only once, when it is made: get a new address if you need it again.`
                : 'Your calendar address, if you have one, was shown only once, when it was made. Get a new address if you need it again, or turn the subscription off.'}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <button type="button" className={buttonSecondary} onClick={() => setConfirm('rotate')} disabled={busy !== null} aria-busy={busy === 'rotate' || undefined}>
              {busy === 'rotate' ? 'Getting a new address…' : 'Get a new address'}
            </button>
            <button type="button" className={dangerButton} onClick={() => setConfirm('delete')} disabled={busy !== null} aria-busy={busy === 'delete' || undefined}>
              {busy === 'delete' ? 'Turning off…' : 'Turn off'}
            </button>
          </div>
        </div>
      )}

      <FormFeedback status={status} error={error} />

      <Dialog open={confirm !== null} onClose={() => setConfirm(null)} title={confirmText.title}>
        <p>{confirmText.body}</p>
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" className={buttonSecondary} onClick={() => setConfirm(null)} autoFocus>
            {confirmText.cancel}
          </button>
          <button
            type="button"
            className={confirm === 'delete' ? `${buttonPrimary} !bg-red-700 hover:!bg-red-800 dark:!bg-red-300 dark:hover:!bg-red-200` : buttonPrimary}
            onClick={() => {
              const kind = confirm;
              setConfirm(null);
              if (kind) void run(kind);
            }}
          >
            {confirmText.action}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
