import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ORIGIN, router, server } from '@/test/components/fixtures';
import { TWO_FACTOR_EMAIL } from '@/mocks/auth';
import { AuthForm } from './auth-form';

function requestsTo(path: string) {
  const seen: Request[] = [];
  server.events.on('request:start', ({ request }) => {
    // A copy: the handler reads the body of the original.
    if (new URL(request.url).pathname === path) seen.push(request.clone());
  });
  return seen;
}

describe('AuthForm: sign-up', () => {
  it('shows the 8-character minimum before submitting, and checks every field without asking the server', async () => {
    const user = userEvent.setup();
    const sent = requestsTo('/api/auth/sign-up/email');
    render(<AuthForm mode="sign-up" returnTo="/tasks" />);
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('At least 8 characters.');
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Enter your name.');
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Name')).toHaveFocus();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter an email address like name@example.com.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('At least 8 characters. Use at least 8 characters.');
    expect(sent).toHaveLength(0);
  });

  it('signs up and goes to the page asked for', async () => {
    const user = userEvent.setup();
    render(<AuthForm mode="sign-up" returnTo="/tasks?filter=active" />);
    await user.type(screen.getByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith('/tasks?filter=active'));
  });

  it('shows the server’s message when the email is taken', async () => {
    const user = userEvent.setup();
    render(<AuthForm mode="sign-up" returnTo="/tasks" />);
    await user.type(screen.getByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'taken@example.com');
    await user.type(screen.getByLabelText('Password'), 'long-enough-password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('User already exists. Use another email.');
    expect(router.replace).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Create account' })).toBeEnabled();
  });
});

describe('AuthForm: sign-in', () => {
  async function signIn(email: string, password = 'a-password') {
    const user = userEvent.setup();
    render(<AuthForm mode="sign-in" returnTo="/tasks" />);
    await user.type(screen.getByLabelText('Email'), email);
    await user.type(screen.getByLabelText('Password'), password);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    return user;
  }

  it('shows the server’s message for wrong credentials', async () => {
    await signIn('ada@example.com', 'wrong-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password.');
  });

  it('says how long to wait when there were too many attempts', async () => {
    await signIn('slow-down@example.com');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts, try again in 7 s.');
  });

  it('says so when the server cannot be reached', async () => {
    server.use(http.post(`${ORIGIN}/api/auth/sign-in/email`, () => HttpResponse.error()));
    await signIn('ada@example.com');
    expect(await screen.findByRole('alert')).toHaveTextContent(/could not be reached|failed to fetch/i);
  });

  it('shows a pending button and sends one request however often it is pressed', async () => {
    const sent = requestsTo('/api/auth/sign-in/email');
    server.use(
      http.post(`${ORIGIN}/api/auth/sign-in/email`, async () => {
        await delay(150);
        return HttpResponse.json({ message: 'Invalid email or password' }, { status: 401 });
      }),
    );
    const user = await signIn('ada@example.com');
    const button = screen.getByRole('button', { name: 'Signing in…' });
    expect(button).toBeDisabled();
    await user.click(button);
    await user.keyboard('{Enter}');
    await screen.findByText('Invalid email or password.');
    expect(sent).toHaveLength(1);
  });

  it('shows why the person is here after a session expired', () => {
    render(<AuthForm mode="sign-in" returnTo="/tasks" notice="Your session has expired. Please sign in again." />);
    expect(screen.getByRole('status')).toHaveTextContent('Your session has expired. Please sign in again.');
  });
});

describe('AuthForm: sign-in with two-factor authentication', () => {
  async function passwordStep(password = 'a-password') {
    const user = userEvent.setup();
    render(<AuthForm mode="sign-in" returnTo="/tasks?list=3" />);
    await user.type(screen.getByLabelText('Email'), TWO_FACTOR_EMAIL);
    await user.type(screen.getByLabelText('Password'), password);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    return user;
  }
  const codeBox = () => screen.findByRole('textbox', { name: '6-digit code' });

  it('asks for the code after the password, then goes where sign-in would have gone, sending trust-this-device', async () => {
    const sent = requestsTo('/api/auth/two-factor/verify-totp');
    const user = await passwordStep();
    expect(await codeBox()).toHaveFocus();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    expect(router.replace).not.toHaveBeenCalled();
    await user.click(screen.getByRole('checkbox', { name: 'Trust this device' }));
    await user.type(await codeBox(), '123 456');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith('/tasks?list=3'));
    expect(await sent[0]!.json()).toEqual({ code: '123456', trustDevice: true });
  });

  it('does not show the second step after a wrong password', async () => {
    await passwordStep('wrong-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password.');
    expect(screen.queryByRole('textbox', { name: '6-digit code' })).not.toBeInTheDocument();
  });

  it('says a wrong code plainly and stays on the step', async () => {
    const user = await passwordStep();
    await user.type(await codeBox(), '111111');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That code is not right. Enter the newest code your app shows; each code works once.');
    expect(await codeBox()).toHaveValue('');
    expect(await codeBox()).toHaveAttribute('aria-invalid', 'true');
    expect(await codeBox()).toHaveFocus();
    expect(router.replace).not.toHaveBeenCalled();
  });

  it('checks for 6 digits before sending', async () => {
    const sent = requestsTo('/api/auth/two-factor/verify-totp');
    const user = await passwordStep();
    await user.type(await codeBox(), '12ab');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await codeBox()).toHaveAccessibleDescription(/Enter the 6 digits your app shows\./);
    expect(sent).toHaveLength(0);
  });

  it('takes a backup code instead', async () => {
    const sent = requestsTo('/api/auth/two-factor/verify-backup-code');
    const user = await passwordStep();
    await user.click(await screen.findByRole('button', { name: 'Use a backup code instead' }));
    const box = screen.getByRole('textbox', { name: 'Backup code' });
    await user.type(box, 'WRONG-00000');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That backup code is not right, or it was used already.');
    await user.type(screen.getByRole('textbox', { name: 'Backup code' }), 'ABCDE-12345');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(router.replace).toHaveBeenCalledWith('/tasks?list=3'));
    expect(await sent[1]!.json()).toEqual({ code: 'ABCDE-12345', trustDevice: false });
  });

  it('goes back to the password when the sign-in has ended', async () => {
    const user = await passwordStep();
    await user.type(await codeBox(), '999999');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This sign-in ended');
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(screen.queryByRole('textbox', { name: '6-digit code' })).not.toBeInTheDocument();
  });
});
