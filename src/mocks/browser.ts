import { setupWorker } from 'msw/browser';
import { createAuthHandlers } from './auth';
import { MOCK_USER } from '@/lib/build-flags';
import { addDays } from '@/lib/dates';
import { createTaskApiHandlers, failNext, MockTaskStore } from './task-api';

/**
 * `npm run dev:mock`: the task API and Better Auth's endpoints answered in the browser by msw's
 * service worker (public/mockServiceWorker.js). The tasks live in memory: a reload starts again
 * from the examples below.
 */
let started: Promise<void> | undefined;

/** Once per page: React's development double-mount must not start a second worker (two would both answer). */
export function startMockWorker(): Promise<void> {
  started ??= start();
  return started;
}

async function start(): Promise<void> {
  const store = new MockTaskStore();
  const home = store.createList(MOCK_USER.id, { name: 'Home', color: '#16a34a' });
  const work = store.createList(MOCK_USER.id, { name: 'Work', color: '#2563eb' });
  const { date: today } = store.clock(MOCK_USER.id);
  store.seed(MOCK_USER.id, [
    { title: 'Try the mock backend', description: 'Everything here is answered by msw in this tab; nothing reaches a server.', completed: true },
    { title: 'Double-click a task to edit it' },
    { title: 'Filter with All / Active / Completed', description: 'The filter is kept in the URL: reload, or go back and forward.' },
    { title: 'Pay rent', priority: 'high', tags: ['money'], list_id: home.id, due_date: addDays(today, -1) },
    { title: 'Water the plants', tags: ['garden'], list_id: home.id, due_date: today, due_time: '08:00' },
    { title: 'Write the quarterly report', priority: 'medium', tags: ['reports'], list_id: work.id, due_date: addDays(today, 3) },
    { title: 'Book the dentist', priority: 'low', due_date: addDays(today, 12) },
    { title: '<script>alert("titles are text")</script>' },
  ]);
  const worker = setupWorker(...createTaskApiHandlers({ store }).handlers, ...createAuthHandlers());
  // For a developer's console, to fake a failure:
  // `__tasklaneMock.worker.use(__tasklaneMock.failNext({ status: 503, method: 'POST' }))`.
  Object.assign(window, { __tasklaneMock: { worker, store, failNext } });
  // Next's own requests (pages, chunks, HMR) are none of the mock's business.
  await worker.start({ onUnhandledRequest: 'bypass', quiet: true, serviceWorker: { url: '/mockServiceWorker.js' } });
}
