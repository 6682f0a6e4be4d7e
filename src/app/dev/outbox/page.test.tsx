import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The page's gate and data, without a server: the environment and the outbox are stand-ins.
const state = vi.hoisted(() => ({ nodeEnv: 'development' as string }));
vi.mock('@/server/env', () => ({
  env: {
    get nodeEnv() {
      return state.nodeEnv;
    },
    dataDir: '/srv/tasklane/.data',
    mail: { transport: { kind: 'outbox' } },
  },
}));
vi.mock('@/server/mail', () => ({
  readOutbox: async () => [
    { id: 'n', from: 'Tasklane <tasklane@localhost>', to: 'new@example.com', subject: 'Newest', text: 'See http://localhost:3000/tasks', html: '', sentAt: '2026-12-03T18:10:00.000Z' },
    { id: 'o', from: 'Tasklane <tasklane@localhost>', to: 'old@example.com', subject: 'Oldest', text: 'Hello', html: '', sentAt: '2026-12-03T18:00:00.000Z' },
  ],
}));
vi.mock('next/navigation', () => ({
  notFound: () => {
    throw new Error('NEXT_HTTP_ERROR_FALLBACK;404');
  },
}));

const { default: OutboxPage, generateMetadata } = await import('./page');

beforeEach(() => {
  state.nodeEnv = 'development';
});

describe('/dev/outbox', () => {
  it('in development lists the outbox as read, newest first, with its links', async () => {
    render(await OutboxPage());
    expect(screen.getByRole('heading', { level: 1, name: 'Outbox' })).toBeInTheDocument();
    expect(screen.getAllByRole('heading', { level: 2 }).map((heading) => heading.textContent)).toEqual(['Newest', 'Oldest']);
    expect(screen.getByRole('link', { name: 'http://localhost:3000/tasks' })).toBeInTheDocument();
    expect(screen.getByText(/\/srv\/tasklane\/\.data\/outbox/)).toBeInTheDocument();
    expect(generateMetadata().title).toBe('Outbox (development) · Tasklane');
  });

  it.each(['production', 'test'])('is not found under NODE_ENV=%s', async (nodeEnv) => {
    state.nodeEnv = nodeEnv;
    await expect(OutboxPage()).rejects.toThrow('NEXT_HTTP_ERROR_FALLBACK;404');
    // The 404's title does not name the page.
    expect(generateMetadata()).toEqual({});
  });
});
