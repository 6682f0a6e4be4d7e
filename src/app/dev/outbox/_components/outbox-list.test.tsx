import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { OutboxList } from './outbox-list';

describe('OutboxList (/dev/outbox)', () => {
  it('lists the mails in the order given (newest first) with recipient, subject, time and clickable links in the text', () => {
    render(
      <OutboxList
        mails={[
          { id: 'b', to: 'ada@example.com', subject: 'Reset your password', text: 'Follow http://localhost:3000/reset-password?token=abc within an hour.\nOr ignore it.', sentAt: '2026-12-03T18:05:00.000Z' },
          { id: 'a', to: 'bob@example.com', subject: 'Reminder: <b>Milk</b>', text: 'No links here. javascript:alert(1)', sentAt: '2026-12-03T18:00:00.000Z' },
        ]}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Mails, newest first' })).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('heading').textContent)).toEqual(['Reset your password', 'Reminder: <b>Milk</b>']);
    const first = within(items[0]!);
    expect(first.getByText('ada@example.com')).toBeInTheDocument();
    expect(first.getByText('3 Dec 2026, 18:05:00 UTC')).toHaveAttribute('datetime', '2026-12-03T18:05:00.000Z');
    expect(first.getByRole('link', { name: 'http://localhost:3000/reset-password?token=abc' })).toHaveAttribute('href', 'http://localhost:3000/reset-password?token=abc');
    expect(items[0]).toHaveTextContent('within an hour. Or ignore it.');
    // Only http(s) becomes a link; markup in a subject is text.
    expect(within(items[1]!).queryByRole('link')).toBeNull();
    expect(items[1]!.querySelector('b')).toBeNull();
  });

  it('says so when there is no mail', () => {
    render(<OutboxList mails={[]} />);
    expect(screen.getByText(/No mail yet/)).toBeInTheDocument();
    expect(screen.queryByRole('list')).toBeNull();
  });
});
