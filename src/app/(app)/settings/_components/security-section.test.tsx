import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ORIGIN, server } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { SecuritySection } from './security-section';
import { lastActive } from './sessions-list';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** Better Auth's session endpoints over a list the test owns: what each was sent. */
function sessionEndpoints(options: { changePassword?: () => Response; list?: () => Response } = {}) {
  let sessions = [
    { id: 's-1', token: 't-1', userAgent: CHROME_MAC, ipAddress: '198.51.100.1', updatedAt: ago(1000), createdAt: ago(1000) },
    { id: 's-2', token: 't-2', userAgent: FIREFOX_LINUX, ipAddress: '203.0.113.7', updatedAt: ago(3 * 3600_000), createdAt: ago(3 * 3600_000) },
    { id: 's-3', token: 't-3', userAgent: SAFARI_IPHONE, ipAddress: null, updatedAt: ago(2 * 86400_000), createdAt: ago(2 * 86400_000) },
  ];
  const sent: { path: string; body: unknown }[] = [];
  server.use(
    http.get(`${ORIGIN}/api/auth/get-session`, () => HttpResponse.json({ session: { id: 's-1', userId: 'u' }, user: { id: 'u' } })),
    http.get(`${ORIGIN}/api/auth/list-sessions`, () => options.list?.() ?? HttpResponse.json(sessions)),
    http.post(`${ORIGIN}/api/auth/revoke-session`, async ({ request }) => {
      const body = (await request.json()) as { token: string };
      sent.push({ path: 'revoke-session', body });
      sessions = sessions.filter((session) => session.token !== body.token);
      return HttpResponse.json({ status: true });
    }),
    http.post(`${ORIGIN}/api/auth/revoke-other-sessions`, async ({ request }) => {
      sent.push({ path: 'revoke-other-sessions', body: await request.json() });
      sessions = sessions.filter((session) => session.id === 's-1');
      return HttpResponse.json({ status: true });
    }),
    http.post(`${ORIGIN}/api/auth/change-password`, async ({ request }) => {
      const body = (await request.json()) as { revokeOtherSessions: boolean };
      sent.push({ path: 'change-password', body });
      const answer = options.changePassword?.();
      if (answer) return answer;
      if (body.revokeOtherSessions) sessions = sessions.filter((session) => session.id === 's-1');
      return HttpResponse.json({ token: 'new', user: {} });
    }),
  );
  return sent;
}

function renderSection() {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <SecuritySection />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const devices = () => screen.getByRole('list', { name: 'Signed-in devices' });
const statuses = () => screen.getAllByRole('status').filter((element) => element.dataset.testid !== 'announcer');

async function fillPassword(user: ReturnType<typeof userEvent.setup>, current: string, next: string, confirm = next) {
  // type() refuses an empty string: a field left empty is left alone.
  if (current) await user.type(screen.getByLabelText('Current password'), current);
  if (next) await user.type(screen.getByLabelText('New password'), next);
  if (confirm) await user.type(screen.getByLabelText('Confirm new password'), confirm);
}

describe('SecuritySection: active sessions', () => {
  it('lists each session with its device, address and last activity, this device first and marked', async () => {
    sessionEndpoints();
    renderSection();
    const rows = await within(await screen.findByRole('list', { name: 'Signed-in devices' })).findAllByRole('listitem');
    expect(rows.map((row) => row.textContent)).toEqual([
      'Chrome on macOSThis device198.51.100.1 · active now',
      'Firefox on Linux203.0.113.7 · last active 3 hours agoRevoke',
      'Safari on iPhoneUnknown address · last active 2 days agoRevoke',
    ]);
    expect(within(rows[0]!).queryByRole('button')).not.toBeInTheDocument();
  });

  it('revokes one other session by its token, and says so', async () => {
    const sent = sessionEndpoints();
    const { user } = renderSection();
    await user.click(await screen.findByRole('button', { name: 'Revoke Firefox on Linux, 203.0.113.7' }));
    await waitFor(() => expect(statuses().map((s) => s.textContent)).toContain('Signed out Firefox on Linux.'));
    expect(sent).toEqual([{ path: 'revoke-session', body: { token: 't-2' } }]);
    await waitFor(() => expect(within(devices()).getAllByRole('listitem')).toHaveLength(2));
  });

  it('signs out everywhere else', async () => {
    const sent = sessionEndpoints();
    const { user } = renderSection();
    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere else' }));
    await waitFor(() => expect(statuses().map((s) => s.textContent)).toContain('Signed out everywhere else.'));
    expect(sent).toEqual([{ path: 'revoke-other-sessions', body: {} }]);
    expect(await screen.findByText('You aren’t signed in anywhere else.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out everywhere else' })).not.toBeInTheDocument();
  });

  it('explains a list Better Auth withholds from a session older than a day, and still offers signing out the others', async () => {
    sessionEndpoints({ list: () => HttpResponse.json({ code: 'SESSION_NOT_FRESH', message: 'Session is not fresh' }, { status: 403 }) });
    renderSection();
    expect(await screen.findByText(/shown only within a day of signing in/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out everywhere else' })).toBeEnabled();
  });

  it('sends the person to sign in when the session has ended', async () => {
    sessionEndpoints({ list: () => HttpResponse.json({ message: 'Unauthorized' }, { status: 401 }) });
    const { onSessionExpired } = renderSection();
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalled());
  });

  it('says when a session was last active in words', () => {
    const now = Date.parse('2030-01-07T12:00:00Z');
    expect(lastActive('2030-01-07T11:59:30Z', now)).toBe('just now');
    expect(lastActive('2030-01-07T11:55:00Z', now)).toBe('5 minutes ago');
    expect(lastActive('2030-01-06T12:00:00Z', now)).toBe('yesterday');
    expect(lastActive('2029-12-01T12:00:00Z', now)).toBe('last month');
  });
});

describe('SecuritySection: change password', () => {
  it('changes the password, signing the other devices out by default, and refreshes the list', async () => {
    const sent = sessionEndpoints();
    const { user } = renderSection();
    await within(await screen.findByRole('list', { name: 'Signed-in devices' })).findAllByRole('listitem');
    expect(screen.getByRole('checkbox', { name: 'Sign out other devices' })).toBeChecked();
    await fillPassword(user, 'old-password-1', 'a-brand-new-one');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(statuses().map((s) => s.textContent)).toContain('Password changed. Your other devices have been signed out.'));
    expect(sent).toEqual([{ path: 'change-password', body: { currentPassword: 'old-password-1', newPassword: 'a-brand-new-one', revokeOtherSessions: true } }]);
    expect(screen.getByLabelText('Current password')).toHaveValue('');
    await waitFor(() => expect(within(devices()).getAllByRole('listitem')).toHaveLength(1));
  });

  it('keeps the other devices when the box is cleared', async () => {
    const sent = sessionEndpoints();
    const { user } = renderSection();
    await fillPassword(user, 'old-password-1', 'a-brand-new-one');
    await user.click(screen.getByRole('checkbox', { name: 'Sign out other devices' }));
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(statuses().map((s) => s.textContent)).toContain('Password changed.'));
    expect(sent[0]!.body).toMatchObject({ revokeOtherSessions: false });
  });

  it('checks the form before sending: a current password, 8 characters, the same twice', async () => {
    const sent = sessionEndpoints();
    const { user } = renderSection();
    await fillPassword(user, '', 'short', 'shorts');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('Enter your current password.');
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('Use at least 8 characters.');
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription('The two new passwords are not the same.');
    expect(screen.getByLabelText('Current password')).toHaveFocus();
    expect(sent).toEqual([]);
  });

  it('says a wrong current password plainly, nothing changed', async () => {
    sessionEndpoints({ changePassword: () => HttpResponse.json({ code: 'INVALID_PASSWORD', message: 'Invalid password' }, { status: 400 }) });
    const { user } = renderSection();
    await fillPassword(user, 'not-it-at-all', 'a-brand-new-one');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your current password is not right. Nothing was changed.');
    expect(screen.getByLabelText('Current password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Current password')).toHaveFocus();
  });

  it('shows the server’s message for a common new password', async () => {
    sessionEndpoints({
      changePassword: () =>
        HttpResponse.json({ code: 'PASSWORD_TOO_COMMON', message: 'This password is one of the most common ones and easy to guess. Please choose another.' }, { status: 400 }),
    });
    const { user } = renderSection();
    await fillPassword(user, 'old-password-1', 'password123');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t change your password. This password is one of the most common ones');
  });
});
