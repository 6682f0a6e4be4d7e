'use client';

import { createContext, useContext } from 'react';

/**
 * How the task hooks tell the person what happened, provided by the app (toasts, a live region, a
 * redirect) and replaced in tests.
 */
export interface TaskFeedback {
  /** A change failed and was rolled back: say what, and offer `retry` where retrying makes sense. */
  failed: (message: string, retry?: () => void) => void;
  /** A short sentence for screen readers (a polite live region). */
  announce: (message: string) => void;
  /** The proxy answered 401: send the person to sign in, and back here afterwards. */
  sessionExpired: () => void;
}

const noop = () => {};
export const TaskFeedbackContext = createContext<TaskFeedback>({ failed: noop, announce: noop, sessionExpired: noop });

export function useTaskFeedback(): TaskFeedback {
  return useContext(TaskFeedbackContext);
}
