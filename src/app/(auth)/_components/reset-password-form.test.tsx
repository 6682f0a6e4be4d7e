import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ORIGIN, server } from '@/test/components/fixtures';
import { ResetPasswordForm } from './reset-password-form';

function requestsTo(path: string) {
  const seen: Request[] = [];
  server.events.on('request:start', ({ request }) => {
    if (new URL(request.url).pathname === path) seen.push(request.clone());
  });
  return seen;
}

async function fill(password: string, confirm = password) {
  const user = userEvent.setup();
  if (password) await user.type(screen.getByLabelText('New password'), password);
  if (confirm) await user.type(screen.getByLabelText('Confirm new password'), confirm);
  await user.click(screen.getByRole('button', { name: 'Set new password' }));
}

describe('ResetPasswordForm', () => {
  it('sets the new password with the link’s token, then says it changed and offers to sign in', async () => {
    const sent = requestsTo('/api/auth/reset-password');
    render(<ResetPasswordForm token="good-token" />);
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('At least 8 characters.');
    await fill('a brand new passphrase');
    expect(await screen.findByRole('status')).toHaveTextContent('Password changed. You were signed out everywhere: sign in with your new password.');
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    expect(await sent[0]!.json()).toEqual({ newPassword: 'a brand new passphrase', token: 'good-token' });
  });

  it('refuses a short password and a confirmation that does not match without asking the server', async () => {
    const sent = requestsTo('/api/auth/reset-password');
    render(<ResetPasswordForm token="good-token" />);
    await fill('short');
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('At least 8 characters. Use at least 8 characters.');
    expect(screen.getByLabelText('New password')).toHaveFocus();
    await userEvent.setup().clear(screen.getByLabelText('New password'));
    await userEvent.setup().clear(screen.getByLabelText('Confirm new password'));
    await fill('a brand new passphrase', 'a brand new passphrasE');
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription('The two passwords do not match.');
    expect(screen.getByLabelText('Confirm new password')).toHaveFocus();
    expect(sent).toHaveLength(0);
  });

  it('shows the server’s message for a common password, and keeps the form', async () => {
    render(<ResetPasswordForm token="good-token" />);
    await fill('password123');
    expect(await screen.findByRole('alert')).toHaveTextContent('This password is one of the most common ones and easy to guess. Please choose another.');
    expect(screen.getByRole('button', { name: 'Set new password' })).toBeEnabled();
  });

  it('says the link expired or was used when the server refuses its token, and offers a new one', async () => {
    render(<ResetPasswordForm token="used-token" />);
    await fill('a brand new passphrase');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link has expired or was already used.');
    expect(screen.getByRole('link', { name: 'Send me a new link' })).toHaveAttribute('href', '/forgot-password');
    expect(screen.queryByLabelText('New password')).toBeNull();
  });

  it('says so at once for a link the page found unusable', () => {
    render(<ResetPasswordForm token={null} />);
    expect(screen.getByRole('alert')).toHaveTextContent('This link has expired or was already used.');
    expect(screen.queryByRole('button', { name: 'Set new password' })).toBeNull();
  });

  it('never shows a 500 as success', async () => {
    server.use(http.post(`${ORIGIN}/api/auth/reset-password`, () => HttpResponse.json({ message: '' }, { status: 500 })));
    render(<ResetPasswordForm token="good-token" />);
    await fill('a brand new passphrase');
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong on our side. Please try again.');
    expect(screen.queryByRole('status')).toBeNull();
  });
});
