import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ORIGIN, server, USER } from '@/test/components/fixtures';
import { AppProviders } from '../../_components/app-providers';
import { EMAIL_CHANGED_CALLBACK } from './auth-client';
import { ChangeEmailForm } from './change-email-form';

/** Records what reaches /change-email (the shared msw handlers answer it as Better Auth does). */
function watchChangeEmail() {
  const bodies: unknown[] = [];
  server.events.on('request:start', async ({ request }) => {
    if (new URL(request.url).pathname === '/api/auth/change-email') bodies.push(await request.clone().json());
  });
  return bodies;
}

afterEach(() => server.events.removeAllListeners());

function renderForm(notice?: string) {
  const onSessionExpired = vi.fn();
  const user = userEvent.setup();
  render(
    <AppProviders onSessionExpired={onSessionExpired} retry={false}>
      <ChangeEmailForm email={USER.email} notice={notice} />
    </AppProviders>,
  );
  return { user, onSessionExpired };
}

const emailBox = () => screen.getByRole('textbox', { name: 'Email' });
const submit = () => screen.getByRole('button', { name: 'Change email' });
const status = () => screen.getAllByRole('status').find((element) => element.dataset.testid !== 'announcer')!;

describe('ChangeEmailForm', () => {
  it('sends the new address, says where the link went, and shows the current address until it is followed', async () => {
    const bodies = watchChangeEmail();
    const { user } = renderForm();
    expect(emailBox()).toHaveValue(USER.email);
    expect(emailBox()).toHaveAccessibleDescription('We send a link to the new address; your email changes when you follow it.');
    await user.clear(emailBox());
    await user.type(emailBox(), '  new@example.com ');
    await user.click(submit());
    await waitFor(() => expect(status()).toHaveTextContent('We sent a link to new@example.com — your email changes when you follow it.'));
    expect(bodies).toEqual([{ newEmail: 'new@example.com', callbackURL: EMAIL_CHANGED_CALLBACK }]);
    expect(emailBox()).toHaveValue(USER.email);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('asks for an address when the field does not hold one, and for a new one when it is the current one; nothing is sent', async () => {
    const bodies = watchChangeEmail();
    const { user } = renderForm();
    await user.clear(emailBox());
    await user.type(emailBox(), 'not an email');
    await user.click(submit());
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter an email address, such as name@example.com.');
    expect(emailBox()).toHaveAttribute('aria-invalid', 'true');
    expect(emailBox()).toHaveAccessibleDescription(/Enter an email address, such as name@example.com\.$/);

    await user.clear(emailBox());
    await user.type(emailBox(), USER.email.toUpperCase());
    await user.click(submit());
    expect(await screen.findByRole('alert')).toHaveTextContent('That is already your email address. Type the new one.');
    expect(bodies).toEqual([]);
  });

  it('says what the server refused, and when to try again after too many', async () => {
    const { user } = renderForm();
    await user.clear(emailBox());
    await user.type(emailBox(), 'slow-down@example.com');
    await user.click(submit());
    expect(await screen.findByRole('alert')).toHaveTextContent('Couldn’t change your email. Too many attempts, try again in 7 s.');

    server.use(http.post(`${ORIGIN}/api/auth/change-email`, () => HttpResponse.json({ code: 'VALIDATION_ERROR', message: 'Invalid email address' }, { status: 400 })));
    await user.click(submit());
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Couldn’t change your email. Invalid email address.'));
  });

  it('sends the person to sign in when the session has ended', async () => {
    server.use(http.post(`${ORIGIN}/api/auth/change-email`, () => HttpResponse.json({ message: 'Unauthorized' }, { status: 401 })));
    const { user, onSessionExpired } = renderForm();
    await user.clear(emailBox());
    await user.type(emailBox(), 'new@example.com');
    await user.click(submit());
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalledTimes(1));
  });

  it('shows the page’s notice after the link was followed', () => {
    renderForm(`Your email is now ${USER.email}.`);
    expect(status()).toHaveTextContent(`Your email is now ${USER.email}.`);
  });
});
