import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ORIGIN, server } from '@/test/components/fixtures';
import { AuthForm } from './auth-form';
import { ForgotPasswordForm, RESET_REQUESTED } from './forgot-password-form';

function requestsTo(path: string) {
  const seen: Request[] = [];
  server.events.on('request:start', ({ request }) => {
    if (new URL(request.url).pathname === path) seen.push(request.clone());
  });
  return seen;
}

describe('ForgotPasswordForm', () => {
  it('checks the address before asking the server', async () => {
    const user = userEvent.setup();
    const sent = requestsTo('/api/auth/request-password-reset');
    render(<ForgotPasswordForm />);
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Email')).toHaveFocus();
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter an email address like name@example.com.');
    expect(sent).toHaveLength(0);
  });

  it('asks for a link to /reset-password and then says the same thing whatever the address', async () => {
    const user = userEvent.setup();
    const sent = requestsTo('/api/auth/request-password-reset');
    render(<ForgotPasswordForm />);
    await user.type(screen.getByLabelText('Email'), '  ada@example.com ');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByRole('status')).toHaveTextContent(RESET_REQUESTED);
    expect(RESET_REQUESTED).toMatch(/^If an account exists for that address, we sent a link/);
    expect(sent).toHaveLength(1);
    expect(await sent[0]!.json()).toEqual({ email: 'ada@example.com', redirectTo: '/reset-password' });
    expect(screen.getByRole('link', { name: 'Back to sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('says how long to wait after too many requests', async () => {
    const user = userEvent.setup();
    render(<ForgotPasswordForm />);
    await user.type(screen.getByLabelText('Email'), 'slow-down@example.com');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 7 s.');
    expect(screen.queryByText(RESET_REQUESTED)).toBeNull();
  });

  it('says so when the server cannot be reached', async () => {
    server.use(http.post(`${ORIGIN}/api/auth/request-password-reset`, () => HttpResponse.error()));
    const user = userEvent.setup();
    render(<ForgotPasswordForm />);
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/could not be reached/);
    expect(screen.getByRole('button', { name: 'Send me a link' })).toBeEnabled();
  });
});

describe('AuthForm: "Forgot password?"', () => {
  it('links to /forgot-password on sign-in when account mail is on, and not otherwise', () => {
    const { unmount } = render(<AuthForm mode="sign-in" returnTo="/tasks" forgotPassword />);
    expect(screen.getByRole('link', { name: 'Forgot password?' })).toHaveAttribute('href', '/forgot-password');
    unmount();
    render(<AuthForm mode="sign-in" returnTo="/tasks" />);
    expect(screen.queryByRole('link', { name: 'Forgot password?' })).toBeNull();
  });
});
