import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ORIGIN, server } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { UPDATE_USER_PATH } from './auth-client';
import { ProfileSection } from './profile-section';

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

function renderSection(initial = { name: 'Ada', timezone: 'Europe/Paris' }) {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <ProfileSection initial={initial} />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const nameBox = () => screen.getByRole('textbox', { name: 'Name' });
const zoneBox = () => screen.getByRole('combobox', { name: 'Time zone' });
const status = () => screen.getAllByRole('status').find((element) => element.dataset.testid !== 'announcer')!;

describe('ProfileSection', () => {
  it('shows the name and the person’s zone among the IANA zones, and saves only what changed', async () => {
    const bodies = updateUser();
    const { user } = renderSection();
    expect(nameBox()).toHaveValue('Ada');
    expect(zoneBox()).toHaveValue('Europe/Paris');
    expect(zoneBox()).toHaveAccessibleDescription('“Today”, “overdue” and reminders follow this zone.');
    expect(screen.getByRole('option', { name: 'America/New York' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'UTC' })).toBeInTheDocument();

    await user.clear(nameBox());
    await user.type(nameBox(), '  Ada Lovelace ');
    await user.selectOptions(zoneBox(), 'Asia/Tokyo');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(status()).toHaveTextContent('Saved. Your profile is up to date.'));
    expect(bodies).toEqual([{ name: 'Ada Lovelace', timezone: 'Asia/Tokyo' }]);

    await user.selectOptions(zoneBox(), 'UTC');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toEqual({ timezone: 'UTC' });
  });

  it('keeps a zone the browser’s list lacks (an old alias) selectable', () => {
    renderSection({ name: 'Ada', timezone: 'Asia/Calcutta' });
    expect(zoneBox()).toHaveValue('Asia/Calcutta');
  });

  it('asks for a name rather than sending an empty one', async () => {
    const bodies = updateUser();
    const { user } = renderSection();
    await user.clear(nameBox());
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Please enter your name.');
    expect(nameBox()).toHaveAttribute('aria-invalid', 'true');
    expect(bodies).toEqual([]);
  });

  it('says why the server refused, in its words', async () => {
    updateUser(() => HttpResponse.json({ code: 'INVALID_TIMEZONE', message: 'timezone must be an IANA time zone such as Europe/Paris or America/New_York.' }, { status: 400 }));
    const { user } = renderSection();
    await user.selectOptions(zoneBox(), 'Asia/Tokyo');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t save your profile. timezone must be an IANA time zone');
  });

  it('sends the person to sign in when the session has ended', async () => {
    updateUser(() => HttpResponse.json({ message: 'Unauthorized' }, { status: 401 }));
    const { user, onSessionExpired } = renderSection();
    await user.type(nameBox(), ' B.');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
  });
});
