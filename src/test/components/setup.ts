import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { toast } from 'sonner';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { createAuthHandlers } from '@/test/msw/auth';
import { createTaskApiHandlers, DEFAULT_MOCK_USER, MockTaskStore } from '@/test/msw/task-api';

/**
 * Component tests: the page's components in happy-dom, talking to the msw handlers of the task
 * API contract (the same ones the contract suite holds to the real API), on the origin below.
 */

export const ORIGIN = 'http://localhost:3000';
export const store = new MockTaskStore();
export const server = setupServer(...createTaskApiHandlers({ origin: ORIGIN, store }).handlers, ...createAuthHandlers({ origin: ORIGIN }));
export const USER = DEFAULT_MOCK_USER;

// Next's router is not running here: the search params follow the URL (pushState included), and
// router calls are recorded.
export const router = { replace: vi.fn(), push: vi.fn(), refresh: vi.fn() };
vi.mock('next/navigation', async () => {
  const { useSyncExternalStore } = await import('react');
  const subscribe = (callback: () => void) => {
    window.addEventListener('popstate', callback);
    window.addEventListener('test:pushstate', callback);
    return () => {
      window.removeEventListener('popstate', callback);
      window.removeEventListener('test:pushstate', callback);
    };
  };
  return {
    useSearchParams: () => new URLSearchParams(useSyncExternalStore(subscribe, () => window.location.search)),
    useRouter: () => router,
    usePathname: () => window.location.pathname,
  };
});

const pushState = window.history.pushState.bind(window.history);
window.history.pushState = (...args: Parameters<History['pushState']>) => {
  pushState(...args);
  window.dispatchEvent(new Event('test:pushstate'));
};

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  // sonner keeps its toasts in module state: none may leak into the next test.
  toast.dismiss();
  cleanup();
  server.resetHandlers();
  store.reset();
  window.history.replaceState(null, '', '/tasks');
  sessionStorage.clear();
  vi.clearAllMocks();
});
afterAll(() => server.close());
