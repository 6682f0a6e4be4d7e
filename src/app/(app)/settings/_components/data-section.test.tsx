import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { problemBody } from '@/lib/api/problem';
import { ORIGIN, server, store, USER } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { IMPORT_PATH } from './data-client';
import { DataSection } from './data-section';

// The section against the msw mock of the contract (src/mocks): the same import rules as the server.

function renderSection() {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <DataSection />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const picker = () => screen.getByLabelText('File to import') as HTMLInputElement;
const status = () => screen.getAllByRole('status').find((element) => element.dataset.testid !== 'announcer')!;
const csv = (text: string, name = 'tasks.csv') => new File([text], name, { type: 'text/csv' });

describe('DataSection', () => {
  it('offers JSON and CSV downloads through the proxy', () => {
    renderSection();
    expect(screen.getByRole('link', { name: 'Export JSON' })).toHaveAttribute('href', '/api/proxy/me/export?format=json');
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/api/proxy/me/export?format=csv');
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('download');
    expect(picker()).toHaveAttribute('accept', '.json,.csv,application/json,text/csv');
    expect(picker()).toHaveAccessibleDescription(/up to 10 MB/);
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
  });

  it('imports a CSV and says how many tasks came in', async () => {
    const { user } = renderSection();
    await user.upload(picker(), csv('title,tags,list\r\nBuy milk,shop,Errands\r\nCall Bob,,\r\n'));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(status()).toHaveTextContent('Imported 2 tasks.'));
    expect(store.list(USER.id).map((task) => task.title)).toEqual(['Call Bob', 'Buy milk']);
    expect(store.listLists(USER.id).map((list) => list.name)).toEqual(['Errands']);
    expect(picker().value).toBe('');
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
  });

  it('shows the server’s refusal naming the row, and imports nothing', async () => {
    const { user } = renderSection();
    await user.upload(picker(), csv('title,due_date\r\nfine,2026-01-01\r\nbad,2026-02-30\r\n'));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^Nothing was imported\. The file is invalid: row 3: due_date: must be a date as YYYY-MM-DD\.$/);
    expect(store.list(USER.id)).toEqual([]);
    expect(status()).toHaveTextContent('');
  });

  it('shows upload progress, then “Importing…”, while the server works', async () => {
    let answer: () => void = () => {};
    server.use(
      http.post(`${ORIGIN}${IMPORT_PATH}`, async () => {
        await new Promise<void>((resolve) => (answer = resolve));
        return HttpResponse.json({ imported: 1234 });
      }),
    );
    const { user } = renderSection();
    await user.upload(picker(), new File(['{"tasks":[]}'], 'export.json', { type: '' }));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Importing…' })).toBeDisabled());
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    expect(picker()).toBeDisabled();
    answer();
    await waitFor(() => expect(status()).toHaveTextContent('Imported 1,234 tasks.'));
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('refuses a file over 10 MB or of another kind before sending anything', async () => {
    const sent = vi.fn();
    server.use(http.post(`${ORIGIN}${IMPORT_PATH}`, () => void sent()));
    const { user } = renderSection();
    await user.upload(picker(), csv('x'.repeat(10 * 1024 * 1024 + 1)));
    expect(screen.getByRole('alert')).toHaveTextContent('This file is 10.0 MB; an import takes at most 10 MB.');
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
    // A file picker's "All files" lets anything through `accept`.
    await userEvent.setup({ applyAccept: false }).upload(picker(), new File(['x'], 'notes.txt', { type: 'text/plain' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Choose a Tasklane export (.json) or a CSV file (.csv).');
    expect(sent).not.toHaveBeenCalled();
  });

  it('sends the person to sign in when the session has ended', async () => {
    server.use(http.post(`${ORIGIN}${IMPORT_PATH}`, async () => {
      await delay(1);
      return HttpResponse.json(problemBody(401, 'Sign in to continue.'), { status: 401, headers: { 'content-type': 'application/problem+json' } });
    }));
    const { user, onSessionExpired } = renderSection();
    await user.upload(picker(), csv('title\r\nx\r\n'));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
