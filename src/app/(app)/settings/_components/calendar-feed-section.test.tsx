import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { problemBody } from '@/lib/api/problem';
import { ORIGIN, server } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { CalendarFeedSection, type CalendarFeedState } from './calendar-feed-section';
import { CALENDAR_FEED_PATH } from './calendar-feed-client';

// The feed's endpoint through the proxy, as the contract describes it: POST → 201 { url } (a new
// secret each time), DELETE → 204. Here rather than in the shared mock: only this section calls it.
function feedEndpoint() {
  const calls: string[] = [];
  let made = 0;
  server.use(
    http.post(`${ORIGIN}${CALENDAR_FEED_PATH}`, () => {
      calls.push('POST');
      made += 1;
      return HttpResponse.json({ url: `${ORIGIN}/api/calendar/${String(made).repeat(43)}.ics` }, { status: 201, headers: { 'cache-control': 'no-store' } });
    }),
    http.delete(`${ORIGIN}${CALENDAR_FEED_PATH}`, () => {
      calls.push('DELETE');
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return calls;
}

const problem = (status: number, detail: string) => HttpResponse.json(problemBody(status, detail), { status, headers: { 'content-type': 'application/problem+json' } });

function renderSection(initial: CalendarFeedState) {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <CalendarFeedSection initial={initial} />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const address = () => screen.getByLabelText('Your calendar address') as HTMLInputElement;
const status = () => screen.getAllByRole('status').find((element) => element.dataset.testid !== 'announcer')!;

describe('CalendarFeedSection', () => {
  it('turns the feed on and shows its address once, read-only and focused, with the warning that it is shown once', async () => {
    const calls = feedEndpoint();
    const { user } = renderSection({ kind: 'off' });
    expect(screen.getByRole('heading', { name: 'Subscribe in your calendar' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Your calendar address')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Get a calendar address' }));
    await waitFor(() => expect(address()).toHaveValue(`${ORIGIN}/api/calendar/${'1'.repeat(43)}.ics`));
    expect(calls).toEqual(['POST']);
    expect(address()).toHaveAttribute('readonly');
    expect(address()).toHaveFocus();
    expect(address()).toHaveAccessibleDescription('Copy it now: for your privacy it is shown only once. Get a new address if you lose it.');
    expect(status()).toHaveTextContent('Calendar address ready. Copy it now.');
    expect(screen.getByRole('link', { name: 'Open it in your calendar app' })).toHaveAttribute('href', `webcal://localhost:3000/api/calendar/${'1'.repeat(43)}.ics`);
    expect(screen.getByRole('button', { name: 'Get a new address' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Turn off' })).toBeEnabled();
  });

  it('copies the address, and says how to copy it by hand when the clipboard refuses', async () => {
    feedEndpoint();
    const { user } = renderSection({ kind: 'off' });
    await user.click(screen.getByRole('button', { name: 'Get a calendar address' }));
    await screen.findByLabelText('Your calendar address');

    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(address().value);
    expect(status()).toHaveTextContent('Address copied.');

    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValueOnce(new DOMException('Denied', 'NotAllowedError'));
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(status()).toHaveTextContent('Couldn’t copy automatically. The address is selected'));
    expect(address()).toHaveFocus();
  });

  it('gets a new address only after confirming that the old one stops working', async () => {
    const calls = feedEndpoint();
    const { user } = renderSection({ kind: 'on', since: '3 December 2026' });
    expect(screen.getByText(/Your calendar subscription is on \(address made 3 December 2026\)/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Your calendar address')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Get a new address' }));
    let dialog = screen.getByRole('dialog', { name: 'Get a new address?' });
    expect(dialog).toHaveTextContent('The current address stops working at once');
    expect(within(dialog).getByRole('button', { name: 'Keep the current one' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Keep the current one' }));
    expect(calls).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Get a new address' }));
    dialog = screen.getByRole('dialog', { name: 'Get a new address?' });
    await user.click(within(dialog).getByRole('button', { name: 'Get a new address' }));
    await waitFor(() => expect(address()).toHaveValue(`${ORIGIN}/api/calendar/${'1'.repeat(43)}.ics`));
    expect(calls).toEqual(['POST']);
    expect(status()).toHaveTextContent('New address ready; the old one no longer works. Copy it now.');
    expect(address()).toHaveFocus();
  });

  it('turns the feed off after confirming, then offers to turn it on again', async () => {
    const calls = feedEndpoint();
    const { user } = renderSection({ kind: 'on', since: '3 December 2026' });
    await user.click(screen.getByRole('button', { name: 'Turn off' }));
    const dialog = screen.getByRole('dialog', { name: 'Turn off the calendar subscription?' });
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    const turnOn = await screen.findByRole('button', { name: 'Get a calendar address' });
    expect(calls).toEqual(['DELETE']);
    expect(turnOn).toHaveFocus();
    expect(status()).toHaveTextContent('Calendar subscription turned off. The old address no longer works.');
    expect(screen.queryByRole('button', { name: 'Turn off' })).not.toBeInTheDocument();
  });

  it('offers both actions when the server could not tell whether the feed is on', () => {
    renderSection({ kind: 'unknown' });
    expect(screen.getByText(/Your calendar address, if you have one, was shown only once/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Get a new address' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Turn off' })).toBeEnabled();
  });

  it('shows the server’s reason when it refuses, and lets the person try again', async () => {
    server.use(http.post(`${ORIGIN}${CALENDAR_FEED_PATH}`, () => problem(503, 'The database is not answering. Please retry shortly.')));
    const { user } = renderSection({ kind: 'off' });
    await user.click(screen.getByRole('button', { name: 'Get a calendar address' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t get an address. The database is not answering. Please retry shortly.');
    expect(screen.getByRole('button', { name: 'Get a calendar address' })).toBeEnabled();
    expect(screen.queryByLabelText('Your calendar address')).not.toBeInTheDocument();
  });

  it('sends the person to sign in when the session has ended', async () => {
    server.use(http.delete(`${ORIGIN}${CALENDAR_FEED_PATH}`, () => problem(401, 'Sign in to continue.')));
    const { user, onSessionExpired } = renderSection({ kind: 'on', since: '3 December 2026' });
    await user.click(screen.getByRole('button', { name: 'Turn off' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Turn off' }));
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
