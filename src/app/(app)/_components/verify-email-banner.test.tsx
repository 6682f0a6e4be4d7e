import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { server } from '@/test/components/fixtures';
import { VerifyEmailBanner } from './verify-email-banner';

function requestsTo(path: string) {
  const seen: Request[] = [];
  server.events.on('request:start', ({ request }) => {
    if (new URL(request.url).pathname === path) seen.push(request.clone());
  });
  return seen;
}

describe('VerifyEmailBanner', () => {
  it('asks to verify the address and sends the mail again, back to /tasks', async () => {
    const sent = requestsTo('/api/auth/send-verification-email');
    render(<VerifyEmailBanner email="ada@example.com" />);
    expect(screen.getByRole('region', { name: 'Email verification' })).toHaveTextContent('Verify your email address: we sent a link to ada@example.com.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send again' }));
    expect(await screen.findByText('Sent. Check your inbox.')).toBeInTheDocument();
    expect(await sent[0]!.json()).toEqual({ email: 'ada@example.com', callbackURL: '/tasks' });
  });

  it('says how long to wait when it was sent too often', async () => {
    render(<VerifyEmailBanner email="slow-down@example.com" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Send again' }));
    expect(await screen.findByText('We sent a few already. Too many attempts, try again in 7 s.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send again' })).toBeEnabled();
  });
});

describe('VerifyEmailBanner after a link that failed', () => {
  afterEach(() => window.history.replaceState(null, '', '/tasks'));

  it('says the link expired, once: the error leaves the address and the rest of it stays', async () => {
    window.history.replaceState(null, '', '/tasks?list=3&error=TOKEN_EXPIRED');
    render(<VerifyEmailBanner email="ada@example.com" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('That link has expired. Links in our mails work for a limited time. Use “Send again” for a new one.');
    expect(window.location.pathname + window.location.search).toBe('/tasks?list=3');
  });

  it('says a used or broken link is not valid', async () => {
    window.history.replaceState(null, '', '/tasks?error=INVALID_TOKEN');
    render(<VerifyEmailBanner email="ada@example.com" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('That link is not valid: it may be incomplete or already used.');
  });

  it('leaves the error of a link that landed elsewhere (settings’ change of email) to that page', async () => {
    window.history.replaceState(null, '', '/settings?email=changed&error=TOKEN_EXPIRED');
    render(<VerifyEmailBanner email="ada@example.com" />);
    await screen.findByRole('button', { name: 'Send again' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(window.location.search).toBe('?email=changed&error=TOKEN_EXPIRED');
  });

  it('says nothing for an error it does not know, and leaves the address alone', async () => {
    window.history.replaceState(null, '', '/tasks?error=%3Cscript%3E');
    render(<VerifyEmailBanner email="ada@example.com" />);
    await screen.findByRole('button', { name: 'Send again' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(window.location.search).toBe('?error=%3Cscript%3E');
  });
});
