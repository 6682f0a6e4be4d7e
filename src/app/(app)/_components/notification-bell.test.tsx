import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { store, USER } from '@/test/components/fixtures';
import { AppProviders } from './app-providers';
import { NotificationBell } from './notification-bell';

/**
 * The header's bell against the msw mock (whose store fires due reminders as they are asked for):
 * the unread count, the panel, marking read, and browser notifications only after the person
 * turns them on, for reminders that fire while the page is open.
 */

const shown: { title: string; options?: NotificationOptions }[] = [];
let permission: NotificationPermission = 'default';
const requestPermission = vi.fn(async () => {
  permission = 'granted';
  return permission;
});

class FakeNotification {
  static get permission() {
    return permission;
  }
  static requestPermission = requestPermission;
  constructor(title: string, options?: NotificationOptions) {
    shown.push({ title, options });
  }
}

beforeEach(() => {
  shown.length = 0;
  permission = 'default';
  requestPermission.mockClear();
  localStorage.clear();
  vi.stubGlobal('Notification', FakeNotification);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const past = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function renderBell() {
  const user = vi.isFakeTimers() ? userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) }) : userEvent.setup();
  render(
    <AppProviders onSessionExpired={vi.fn()} retry={false}>
      <NotificationBell timeZone="Europe/Paris" />
    </AppProviders>,
  );
  return user;
}

describe('NotificationBell', () => {
  it('counts unread reminders, lists them in the person’s zone, and marks one or all read', async () => {
    store.seed(USER.id, [
      { title: 'Call the bank', remind_at: '2026-12-03T07:50:00.000Z' },
      { title: 'Pay rent', remind_at: past(1) },
    ]);
    const user = renderBell();
    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    await user.click(bell);
    const panel = screen.getByRole('region', { name: 'Notifications' });
    expect(within(panel).getByRole('button', { name: /^Call the bank\s*Thu 3 Dec, 08:50\s*, unread: mark read$/ })).toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: /^Call the bank/ }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications, 1 unread' })).toBeInTheDocument());
    await user.click(within(panel).getByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Notifications' })).toBeInTheDocument());
    expect(store.notifications(USER.id, true)).toEqual([]);
    // Escape closes it and gives focus back to the bell.
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Notifications' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Notifications' })).toHaveFocus();
  });

  it('asks for the browser’s permission only when the person turns notifications on, then shows reminders that fire while the page is open', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    store.seed(USER.id, [{ title: 'Already fired', remind_at: past(10) }]);
    const user = renderBell();
    await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(requestPermission).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Notifications, 1 unread' }));
    await user.click(screen.getByRole('button', { name: 'Show reminders as browser notifications' }));
    expect(requestPermission).toHaveBeenCalledTimes(1);
    await screen.findByRole('button', { name: 'Stop browser notifications' });

    // A reminder comes while the page is open: the next poll finds it.
    store.seed(USER.id, [{ title: 'Water the plants', remind_at: past(0) }]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    await waitFor(() => expect(shown.map((each) => each.title)).toEqual(['Water the plants']));
    expect(shown[0]!.options?.tag).toMatch(/^tasklane-reminder-\d+$/);
  });

  it('shows none while the person has not turned them on, even with the permission granted', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    permission = 'granted';
    renderBell();
    await screen.findByRole('button', { name: 'Notifications' });
    store.seed(USER.id, [{ title: 'Quiet', remind_at: past(0) }]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(shown).toEqual([]);
  });
});
