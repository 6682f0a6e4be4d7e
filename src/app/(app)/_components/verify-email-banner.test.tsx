import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
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
