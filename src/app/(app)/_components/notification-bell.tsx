'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { buttonQuiet, buttonSecondary, card, focusRing, mutedText } from '@/components/ui/styles';
import type { NotificationDto } from '@/lib/api/notification-schemas';
import { describeError, fetchNotifications, markNotificationsRead } from '@/lib/tasks/api-client';
import { formatReminder } from '@/lib/tasks/reminder-presets';

/**
 * The header's bell: how many reminders fired and are unread, and the recent ones in a panel.
 * It polls every 30 s while a tab is open (docs/decisions/0015-reminders-fire-once.md), also in a
 * background tab, and shows each reminder that fires meanwhile as a browser notification once the
 * person has turned those on here (the browser's permission prompt follows that click only).
 */

const POLL_MS = 30_000;
const keys = { unread: ['notifications', 'unread'] as const, recent: ['notifications', 'recent'] as const };
/** The person's choice in this browser: show reminders as browser notifications. */
const BROWSER_NOTIFICATIONS_KEY = 'tasklane:browser-notifications';

function browserPermission(): NotificationPermission | 'unsupported' {
  return typeof window !== 'undefined' && 'Notification' in window ? Notification.permission : 'unsupported';
}

/** Whether this browser shows reminders: its permission and the person's choice, kept in sync across tabs. */
function useBrowserNotifications() {
  const [, setRevision] = useState(0);
  const wanted = useSyncExternalStore(
    (changed) => {
      window.addEventListener('storage', changed);
      return () => window.removeEventListener('storage', changed);
    },
    () => localStorage.getItem(BROWSER_NOTIFICATIONS_KEY) === 'on',
    () => false,
  );
  const permission = useSyncExternalStore(
    () => () => undefined,
    browserPermission,
    () => 'unsupported' as const,
  );
  return {
    supported: permission !== 'unsupported',
    on: wanted && permission === 'granted',
    denied: permission === 'denied',
    async turnOn() {
      const answer = await Notification.requestPermission();
      if (answer === 'granted') localStorage.setItem(BROWSER_NOTIFICATIONS_KEY, 'on');
      setRevision((value) => value + 1);
    },
    turnOff() {
      localStorage.removeItem(BROWSER_NOTIFICATIONS_KEY);
      setRevision((value) => value + 1);
    },
  };
}

export function NotificationBell({ timeZone }: { timeZone: string }) {
  const client = useQueryClient();
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const browser = useBrowserNotifications();
  const unread = useQuery({
    queryKey: keys.unread,
    queryFn: ({ signal }) => fetchNotifications(true, signal),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: true,
  });
  const recent = useQuery({ queryKey: keys.recent, queryFn: ({ signal }) => fetchNotifications(false, signal), enabled: open });
  const markRead = useMutation({
    mutationFn: markNotificationsRead,
    onSettled: () => void client.invalidateQueries({ queryKey: ['notifications'] }),
  });

  // Reminders that fire while the page is open: the newest id seen so far marks what is new.
  const newest = useRef<number | null>(null);
  useEffect(() => {
    const list = unread.data;
    if (!list) return;
    const top = list.reduce((max, each) => Math.max(max, each.id), 0);
    if (newest.current !== null && browser.on) {
      for (const each of list.filter((item) => item.id > newest.current!).reverse()) {
        new Notification(each.title, { body: `Reminder · ${formatReminder(each.fire_at, timeZone)}`, tag: `tasklane-reminder-${each.id}` });
      }
    }
    newest.current = Math.max(newest.current ?? 0, top);
  }, [unread.data, browser.on, timeZone]);

  // Escape, or a click elsewhere, closes the panel; focus returns to the bell.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onClick = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const count = unread.data?.length ?? 0;
  const items: NotificationDto[] = recent.data ?? unread.data ?? [];
  return (
    <div ref={root} className="relative shrink-0">
      <button
        ref={button}
        type="button"
        className={`${buttonQuiet} relative`}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={count > 0 ? `Notifications, ${count} unread` : 'Notifications'}
        onClick={() => setOpen((value) => !value)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {count > 0 ? (
          <span aria-hidden="true" className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs leading-5 font-semibold text-white dark:bg-red-400 dark:text-zinc-950">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </button>
      <p className="sr-only" role="status">
        {count > 0 ? `${count} unread ${count === 1 ? 'reminder' : 'reminders'}` : ''}
      </p>
      {open ? (
        <section
          id={panelId}
          aria-label="Notifications"
          // Under the header across the window on a phone (the bell is not at its right edge there), under the bell from 640 px.
          className={`${card} fixed inset-x-3 top-16 z-40 flex flex-col gap-3 p-3 text-sm shadow-lg sm:absolute sm:inset-x-auto sm:top-auto sm:right-0 sm:mt-2 sm:w-[22rem]`}
        >
          <div className="flex items-center justify-between gap-2">
            <h2 className="font-semibold">Reminders</h2>
            <button type="button" className={buttonQuiet} disabled={count === 0 || markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
              Mark all read
            </button>
          </div>
          {recent.isError ? <p role="alert">Couldn’t load them. {describeError(recent.error)}</p> : null}
          {items.length === 0 ? (
            <p className={mutedText}>No reminders yet. Set one in a task’s details.</p>
          ) : (
            <ul className="flex max-h-80 flex-col gap-1 overflow-y-auto">
              {items.map((each) => (
                <li key={each.id}>
                  <button
                    type="button"
                    className={`flex w-full items-start gap-2 rounded-md px-2 py-2 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800 ${focusRing}`}
                    onClick={() => {
                      if (each.read_at === null) markRead.mutate({ ids: [each.id] });
                    }}
                  >
                    <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${each.read_at === null ? 'bg-indigo-600 dark:bg-indigo-400' : 'bg-transparent'}`} />
                    <span className="flex min-w-0 flex-col">
                      <span className={`break-words ${each.read_at === null ? 'font-semibold' : ''}`}>{each.title}</span>
                      <span className={`text-xs ${mutedText}`}>
                        {formatReminder(each.fire_at, timeZone)}
                        {each.read_at === null ? <span className="sr-only">, unread: mark read</span> : null}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {browser.supported ? (
            <div className="border-t border-zinc-200 pt-3 dark:border-zinc-800">
              {browser.on ? (
                <button type="button" className={buttonQuiet} onClick={browser.turnOff}>
                  Stop browser notifications
                </button>
              ) : browser.denied ? (
                <p className={`text-xs ${mutedText}`}>This browser blocks notifications from Tasklane; allow them in its site settings to get reminders there.</p>
              ) : (
                <button type="button" className={buttonSecondary} onClick={() => void browser.turnOn()}>
                  Show reminders as browser notifications
                </button>
              )}
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
