import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ORIGIN, server } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { DELETED_PAGE, DeleteAccountSection, whatGoes } from './delete-account-section';

function deleteUser(answer: () => Response = () => HttpResponse.json({ success: true, message: 'User deleted' })) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${ORIGIN}/api/auth/delete-user`, async ({ request }) => {
      bodies.push(await request.json());
      return answer();
    }),
  );
  return bodies;
}

function renderSection(taskCount: number | null = 1234) {
  const onSessionExpired = vi.fn();
  const navigate = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <DeleteAccountSection taskCount={taskCount} navigate={navigate} />
    </AppProviders>,
  );
  return { user, onSessionExpired, navigate };
}

async function openDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Delete account…' }));
  return screen.findByRole('dialog', { name: 'Delete your account?' });
}

describe('DeleteAccountSection', () => {
  it('says how many tasks go', () => {
    expect(whatGoes(1234)).toBe('This deletes your account and its 1,234 tasks, lists and tags, and signs you out everywhere. It cannot be undone.');
    expect(whatGoes(1)).toMatch(/its 1 task, lists/);
    expect(whatGoes(0)).toBe('This deletes your account, with its lists and tags (it has no tasks), and signs you out everywhere. It cannot be undone.');
    expect(whatGoes(null)).toBe('This deletes your account and signs you out everywhere. It cannot be undone.');
  });

  it('asks for the password in a dialog that says what goes, deletes, and leaves for the home page', async () => {
    const bodies = deleteUser();
    const { user, navigate } = renderSection();
    const dialog = await openDialog(user);
    expect(screen.getByLabelText('Your password')).toHaveFocus();
    expect(dialog.querySelector('form')).toHaveAccessibleDescription(/its 1,234 tasks, lists and tags/);
    await user.type(screen.getByLabelText('Your password'), 'my-secret-pass');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith(DELETED_PAGE));
    expect(bodies).toEqual([{ password: 'my-secret-pass' }]);
  });

  it('says a wrong password plainly and deletes nothing', async () => {
    deleteUser(() => HttpResponse.json({ code: 'INVALID_PASSWORD', message: 'Invalid password' }, { status: 400 }));
    const { user, navigate } = renderSection();
    await openDialog(user);
    await user.type(screen.getByLabelText('Your password'), 'wrong-one');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('That password is not right. Nothing was deleted.'));
    expect(screen.getByLabelText('Your password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Your password')).toHaveFocus();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('asks for the password before sending anything', async () => {
    const bodies = deleteUser();
    const { user } = renderSection();
    await openDialog(user);
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter your password to confirm.');
    expect(bodies).toEqual([]);
  });

  it('Cancel closes the dialog and forgets the password', async () => {
    deleteUser();
    const { user } = renderSection();
    await openDialog(user);
    await user.type(screen.getByLabelText('Your password'), 'half-typed');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByLabelText('Your password')).not.toBeInTheDocument());
    await openDialog(user);
    expect(screen.getByLabelText('Your password')).toHaveValue('');
  });

  it('sends the person to sign in when the session has ended', async () => {
    deleteUser(() => HttpResponse.json({ message: 'Unauthorized' }, { status: 401 }));
    const { user, onSessionExpired, navigate } = renderSection();
    await openDialog(user);
    await user.type(screen.getByLabelText('Your password'), 'my-secret-pass');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
    expect(navigate).not.toHaveBeenCalled();
  });
});
