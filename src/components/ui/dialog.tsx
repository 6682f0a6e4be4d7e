'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import { buttonQuiet, card } from './styles';

/**
 * A modal dialog on the browser's own <dialog>: it traps focus, Escape closes it, and focus goes
 * back to what opened it. Its content is rendered only while it is open.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  wide = false,
  drawer = false,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  /** A panel (the task's details) rather than a question. */
  wide?: boolean;
  /** Slides in from the left edge, the full height of the window (the sidebar on a phone). */
  drawer?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its panel) closes it.
        if (event.target === ref.current) onClose();
      }}
      className={
        drawer
          ? 'm-0 h-dvh max-h-dvh w-[min(20rem,calc(100%-3rem))] border-r border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100'
          : `${card} m-auto w-[calc(100%-1.5rem)] p-0 text-zinc-900 backdrop:bg-zinc-950/50 dark:text-zinc-100 ${wide ? 'max-w-xl' : 'max-w-md'}`
      }
    >
      {open ? (
        <div className={`flex flex-col gap-4 overflow-y-auto p-4 sm:p-5 ${drawer ? 'h-full' : 'max-h-[85dvh]'}`}>
          <div className="flex items-start justify-between gap-3">
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
            <button type="button" className={buttonQuiet} onClick={onClose} aria-label="Close">
              <span aria-hidden="true">✕</span>
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
