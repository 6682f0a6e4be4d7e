import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { toast } from 'sonner';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { router, server, store } from './fixtures';

// Component tests: the page's components in happy-dom against the msw handlers (fixtures.ts).

// findBy/waitFor give up after 5 s, not 1: on two busy cores (the whole suite at once, as in CI)
// a toast that follows a mock's answer can take longer than a second; a missing one still fails.
configure({ asyncUtilTimeout: 5_000 });

// Next's router is not running here: the search params follow the URL (pushState included), and
// router calls are recorded.
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
