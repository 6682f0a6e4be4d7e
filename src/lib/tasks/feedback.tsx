'use client';

import { createContext, useContext, useMemo } from 'react';
import { toast } from 'sonner';

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
  /**
   * A change was refused with 401 (the session ended while the person worked): keep it on screen
   * and ask them to sign in again where they are; `resend` sends it once they have. Where the app
   * gives none, the change is put back and `sessionExpired` is called.
   */
  signInAgain?: (resend: () => void) => void;
  /**
   * A change went through, but not the way a click usually goes (a repeating task moved on rather
   * than closed): say so, with a way to put it back. Where the app gives none, `undoToast`.
   */
  undoable?: (message: string, undo: () => void) => void;
  /**
   * A change was refused because the task had changed elsewhere (412): say what it is now, and let
   * the person keep that or apply their change to it. Where the app gives none, `conflictToast`.
   */
  changedElsewhere?: (message: string, choices: { keepTheirs: () => void; useMine: () => void }) => void;
}

/** A toast with both choices, that stays until one is made (or it is closed: theirs is kept). */
function conflictToast(message: string, { keepTheirs, useMine }: { keepTheirs: () => void; useMine: () => void }): void {
  toast.warning(message, { action: { label: 'Use mine', onClick: useMine }, cancel: { label: 'Keep theirs', onClick: keepTheirs }, duration: Number.POSITIVE_INFINITY });
}

/** A toast with an Undo button; the app's Toaster is a polite live region, so it is read out too. */
function undoToast(message: string, undo: () => void): void {
  toast(message, { action: { label: 'Undo', onClick: undo }, duration: 10_000 });
}

const noop = () => {};
export const TaskFeedbackContext = createContext<TaskFeedback>({ failed: noop, announce: noop, sessionExpired: noop });

export function useTaskFeedback(): Required<Omit<TaskFeedback, 'signInAgain'>> & Pick<TaskFeedback, 'signInAgain'> {
  const feedback = useContext(TaskFeedbackContext);
  return useMemo(() => ({ ...feedback, undoable: feedback.undoable ?? undoToast, changedElsewhere: feedback.changedElsewhere ?? conflictToast }), [feedback]);
}
