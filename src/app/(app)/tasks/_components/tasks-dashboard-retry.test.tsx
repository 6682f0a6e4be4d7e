import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ORIGIN, server, store, USER } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { TasksDashboard } from './tasks-dashboard';

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
    const user = userEvent.setup();
    render(
      <AppProviders onSessionExpired={vi.fn()} retry={false}>
        <TasksDashboard initial={null} />
      </AppProviders>,
    );
    await waitFor(() => expect(screen.queryByText('Loading tasks…')).not.toBeInTheDocument());
    await user.type(screen.getByLabelText('New task'), 'Pay the rent{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Retry' }));
    await screen.findByText('Added “Pay the rent”.');
    expect(keys).toHaveLength(3); // the lost attempt, its way to the server, the retry
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(store.list(USER.id).map((task) => task.title)).toEqual(['Pay the rent']);
  });
});
