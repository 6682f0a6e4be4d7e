import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ORIGIN, server, store, USER } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { TasksDashboard } from './tasks-dashboard';

function renderDashboard() {
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={vi.fn()} retry={false}>
      <TasksDashboard initial={null} />
    </AppProviders>,
  );
  return user;
}

async function loaded() {
  await waitFor(() => expect(screen.queryByText('Loading tasks…')).not.toBeInTheDocument());
}

/**
 * A task added while the network drops the answer: the first attempt reached the server and made
 * the task, but the page never heard. Retrying sends the same Idempotency-Key, so the server
 * answers the first task again instead of making a second (the msw mock keeps keys as the server).
 */
describe('adding a task when the answer is lost', () => {
  it('retries with the same Idempotency-Key and ends with one task', async () => {
    const keys: (string | null)[] = [];
    let lost = true;
    server.use(
      http.post(`${ORIGIN}/api/proxy/me/tasks`, async ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        if (!lost) return undefined; // to the mock's own handler
        lost = false;
        // The request reaches the server (the mock's handler makes the task) and the answer is lost.
        await fetch(request.clone());
        return HttpResponse.error();
      }),
    );
    const user = renderDashboard();
    await loaded();
    await user.type(screen.getByLabelText('New task'), 'Pay the rent{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Retry' }));
    await screen.findByText('Added “Pay the rent”.');
    expect(keys).toHaveLength(3); // the lost attempt, its way to the server, the retry
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(store.list(USER.id).map((task) => task.title)).toEqual(['Pay the rent']);
  });
});

/**
 * An edit of a task that another tab (or person, or client) changed since this page read it: the
 * edit carries the version it was made on (If-Match), the server refuses it (412) and changes
 * nothing, and the page says what the task is now and lets the person keep that or apply theirs.
 */
describe('an edit of a task changed elsewhere', () => {
  async function editBehindItsBack() {
    const [task] = store.seed(USER.id, [{ title: 'Buy milk', description: 'two litres' }]);
    const user = renderDashboard();
    await loaded();
    // Changed elsewhere after this page read it.
    store.update(USER.id, task!.id, { title: 'Buy oat milk' });
    await user.dblClick(screen.getByText('Buy milk'));
    const title = screen.getByRole('textbox', { name: 'Title' });
    await user.clear(title);
    await user.type(title, 'Buy whole milk{Enter}');
    const message = await screen.findByText('Your change to “Buy milk” wasn’t saved: it is now “Buy oat milk”, changed elsewhere.');
    return { user, toast: message.closest('[data-sonner-toast]') as HTMLElement };
  }

  it('refuses it, shows the other version, and keeps it when asked', async () => {
    const { user, toast } = await editBehindItsBack();
    expect(store.list(USER.id)[0]).toMatchObject({ title: 'Buy oat milk' });
    await waitFor(() => expect(screen.getByText('Buy oat milk')).toBeInTheDocument());
    await user.click(within(toast).getByRole('button', { name: 'Keep theirs' }));
    expect(store.list(USER.id)[0]).toMatchObject({ title: 'Buy oat milk', description: 'two litres' });
  });

  it('applies the edit to the other version when asked', async () => {
    const { user, toast } = await editBehindItsBack();
    await user.click(within(toast).getByRole('button', { name: 'Use mine' }));
    await waitFor(() => expect(store.list(USER.id)[0]).toMatchObject({ title: 'Buy whole milk', description: 'two litres' }));
    await waitFor(() => expect(screen.getByText('Buy whole milk')).toBeInTheDocument());
  });

  it('never trips over its own quick edits: each is sent with the version the one before left', async () => {
    const [task] = store.seed(USER.id, [{ title: 'Plan the trip' }]);
    const user = renderDashboard();
    await loaded();
    // The server is slow: all three edits are made before the first is answered.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.use(http.patch(`${ORIGIN}/api/proxy/me/tasks/:id`, async () => void (await held)));
    for (const title of ['Plan the trip!', 'Plan the trip!!', 'Plan the trip!!!']) {
      await user.dblClick(screen.getByText(/^Plan the trip/));
      const field = screen.getByRole('textbox', { name: 'Title' });
      await user.clear(field);
      await user.type(field, `${title}{Enter}`);
    }
    release();
    await waitFor(() => expect(store.list(USER.id)[0]).toMatchObject({ id: task!.id, title: 'Plan the trip!!!' }));
    expect(screen.queryByText(/changed elsewhere/)).not.toBeInTheDocument();
  });
});
