import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ORIGIN, server } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { EmailRemindersSection } from './email-reminders-section';
import { UPDATE_USER_PATH } from './email-reminders-client';

/** Better Auth's update-user as the settings page calls it: the body it got, and its answer. */
function updateUser(answer: () => Response = () => HttpResponse.json({ status: true })) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${ORIGIN}${UPDATE_USER_PATH}`, async ({ request }) => {
      bodies.push(await request.json());
      return answer();
    }),
  );
  return bodies;
}

function renderSection(initial: boolean) {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <EmailRemindersSection initial={initial} email="ada@example.com" />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const box = () => screen.getByRole('checkbox', { name: 'Email me when a reminder fires' });
const status = () => screen.getAllByRole('status').find((element) => element.dataset.testid !== 'announcer')!;

describe('EmailRemindersSection', () => {
  it('shows the saved setting, described with the address, and saves a change with update-user', async () => {
    const bodies = updateUser();
    const { user } = renderSection(true);
    expect(box()).toBeChecked();
    expect(box()).toHaveAccessibleDescription('Besides the bell, each reminder is sent to ada@example.com with the task’s title and due date.');

    await user.click(box());
    await waitFor(() => expect(status()).toHaveTextContent('Saved. Reminders will no longer come by email.'));
    expect(box()).not.toBeChecked();
    expect(bodies).toEqual([{ emailReminders: false }]);

    await user.click(screen.getByText('Email me when a reminder fires'));
    await waitFor(() => expect(status()).toHaveTextContent('Saved. Reminders will also come by email.'));
    expect(box()).toBeChecked();
    expect(bodies).toEqual([{ emailReminders: false }, { emailReminders: true }]);
  });

  it('puts the box back and says why when the server refuses', async () => {
    updateUser(() => HttpResponse.json({ code: 'X', message: 'The database is not answering.' }, { status: 503 }));
    const { user } = renderSection(false);
    await user.click(box());
    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t save this setting. The database is not answering.');
    expect(box()).not.toBeChecked();
    expect(box()).toBeEnabled();
  });

  it('sends the person to sign in when the session has ended, the box as it was', async () => {
    updateUser(() => HttpResponse.json({ message: 'Unauthorized' }, { status: 401 }));
    const { user, onSessionExpired } = renderSection(true);
    await user.click(box());
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
    expect(box()).toBeChecked();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
