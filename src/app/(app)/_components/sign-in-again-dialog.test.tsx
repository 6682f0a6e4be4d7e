import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TWO_FACTOR_EMAIL } from '@/mocks/auth';
import { failNext } from '@/mocks/task-api';
import { ORIGIN, server, store, USER } from '@/test/components/fixtures';
import { TasksDashboard } from '../tasks/_components/tasks-dashboard';
import { AppProviders } from './app-providers';
import { SIGN_IN_AGAIN_TITLE } from './sign-in-again-dialog';

/**
 * A session that ends while a task is edited: the edit stays on screen, a dialog asks to sign in
 * again in place, and once signed in the change is sent (once); Cancel keeps it and says it is not saved.
 */

/** Every request the page sends, as "METHOD /path". */
function watchRequests() {
  const seen: string[] = [];
  server.events.on('request:start', ({ request }) => void seen.push(`${request.method} ${new URL(request.url).pathname}`));
  return seen;
}

afterEach(() => server.events.removeAllListeners());

function renderDashboard() {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders account={{ id: USER.id, email: USER.email }} onSessionExpired={onSessionExpired} retry={false}>
      <TasksDashboard initial={null} />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const dialog = () => screen.findByRole('dialog', { name: SIGN_IN_AGAIN_TITLE });
const stored = () => store.list(USER.id).map((task) => task.title);

/** Edits the task's title inline and saves with Enter, the next PATCH answered 401. */
async function editWhileSignedOut(user: ReturnType<typeof userEvent.setup>, from: string, to: string) {
  await user.click(await screen.findByRole('button', { name: `Edit “${from}”` }));
  const title = screen.getByRole('textbox', { name: 'Title' });
  await user.clear(title);
  server.use(failNext({ status: 401, origin: ORIGIN, method: 'PATCH' }));
  await user.type(title, `${to}{Enter}`);
}

describe('signing in again in place', () => {
  it('keeps the edit, asks to sign in, then sends the change once and gives the page back', async () => {
    store.seed(USER.id, [{ title: 'Buy milk' }]);
    const { user, onSessionExpired } = renderDashboard();
    const requests = watchRequests();
    await editWhileSignedOut(user, 'Buy milk', 'Buy oat milk');

    const asking = await dialog();
    // The edit is still what the page shows; nothing was saved, and the page did not leave.
    expect(screen.getByText('Buy oat milk')).toBeInTheDocument();
    expect(stored()).toEqual(['Buy milk']);
    expect(onSessionExpired).not.toHaveBeenCalled();
    expect(within(asking).getByRole('textbox', { name: 'Email' })).toHaveValue(USER.email);
    const password = within(asking).getByLabelText('Password');
    expect(password).toHaveFocus();

    // A wrong password is said in the dialog; nothing is sent.
    await user.type(password, 'wrong-password');
    await user.click(within(asking).getByRole('button', { name: 'Sign in and save' }));
    expect(await within(asking).findByRole('alert')).toHaveTextContent('Invalid email or password.');
    expect(requests.filter((each) => each.startsWith('PATCH'))).toHaveLength(1);

    await user.clear(password);
    await user.type(password, 'the right one');
    await user.click(within(asking).getByRole('button', { name: 'Sign in and save' }));
    await waitFor(() => expect(stored()).toEqual(['Buy oat milk']));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The failed PATCH and its one resend, after the sign-in.
    const patches = requests.filter((each) => each.startsWith('PATCH') || each.startsWith('POST /api/auth'));
    expect(patches).toEqual([`PATCH /api/proxy/me/tasks/${store.list(USER.id)[0]!.id}`, 'POST /api/auth/sign-in/email', 'POST /api/auth/sign-in/email', `PATCH /api/proxy/me/tasks/${store.list(USER.id)[0]!.id}`]);
    // The page is usable: the task's Edit button is there to press again.
    await user.click(screen.getByRole('button', { name: 'Edit “Buy oat milk”' }));
    expect(screen.getByRole('textbox', { name: 'Title' })).toHaveValue('Buy oat milk');
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('asks an account with two-factor authentication for its code in the dialog, then sends the change', async () => {
    store.seed(USER.id, [{ title: 'Pay rent' }]);
    const { user, onSessionExpired } = renderDashboard();
    await editWhileSignedOut(user, 'Pay rent', 'Pay rent today');
    const asking = await dialog();
    // The mock's account with two-factor on (the same user id as the page's).
    const email = within(asking).getByRole('textbox', { name: 'Email' });
    await user.clear(email);
    await user.type(email, TWO_FACTOR_EMAIL);
    await user.type(within(asking).getByLabelText('Password'), 'the right one');
    await user.click(within(asking).getByRole('button', { name: 'Sign in and save' }));

    const code = await within(asking).findByRole('textbox', { name: '6-digit code' });
    expect(code).toHaveFocus();
    await user.type(code, '000000{Enter}');
    expect(await within(asking).findByRole('alert')).toHaveTextContent('That code is not right.');
    expect(stored()).toEqual(['Pay rent']);
    await user.type(code, '123456{Enter}');
    await waitFor(() => expect(stored()).toEqual(['Pay rent today']));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it('Cancel keeps the edit on screen with a notice that it is not saved, and the notice reopens the dialog', async () => {
    store.seed(USER.id, [{ title: 'Call mum' }]);
    const { user, onSessionExpired } = renderDashboard();
    await editWhileSignedOut(user, 'Call mum', 'Call mum tonight');
    const asking = await dialog();
    await user.click(within(asking).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const notice = screen.getByRole('region', { name: 'Changes not saved' });
    expect(notice).toHaveTextContent('Your session ended: your changes are not saved until you sign in again.');
    expect(screen.getByText('Call mum tonight')).toBeInTheDocument();
    expect(stored()).toEqual(['Call mum']);
    expect(onSessionExpired).not.toHaveBeenCalled();

    await user.click(within(notice).getByRole('button', { name: 'Sign in to save' }));
    const again = await dialog();
    await user.type(within(again).getByLabelText('Password'), 'the right one');
    await user.click(within(again).getByRole('button', { name: 'Sign in and save' }));
    await waitFor(() => expect(stored()).toEqual(['Call mum tonight']));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Changes not saved' })).not.toBeInTheDocument());
  });

  it('sends every change kept while signed out, each once, after one sign-in', async () => {
    store.seed(USER.id, [{ title: 'one' }, { title: 'two' }]);
    const { user } = renderDashboard();
    const requests = watchRequests();
    await editWhileSignedOut(user, 'one', 'one edited');
    await user.click(within(await dialog()).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await editWhileSignedOut(user, 'two', 'two edited');
    const asking = await dialog();
    await user.type(within(asking).getByLabelText('Password'), 'the right one');
    await user.click(within(asking).getByRole('button', { name: 'Sign in and save' }));
    await waitFor(() => expect(stored().sort()).toEqual(['one edited', 'two edited']));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests.filter((each) => each.startsWith('PATCH'))).toHaveLength(4);
  });
});
