import { setupServer } from 'msw/node';
import { vi } from 'vitest';
import { MOCK_USER } from '@/lib/build-flags';
import { createAuthHandlers } from '@/mocks/auth';
import { createTaskApiHandlers, MockTaskStore } from '@/mocks/task-api';

/**
 * What component tests work with: the msw handlers of the task API contract (the same ones the
 * contract suite holds to the real API) on the origin below, their store, the signed-in user, and
 * a recorded stand-in for Next's router. setup.ts wires them into every test's lifecycle.
 */

export const ORIGIN = 'http://localhost:3000';
export const store = new MockTaskStore();
export const server = setupServer(...createTaskApiHandlers({ origin: ORIGIN, store }).handlers, ...createAuthHandlers({ origin: ORIGIN }));
export const USER = MOCK_USER;
export const router = { replace: vi.fn(), push: vi.fn(), refresh: vi.fn() };
