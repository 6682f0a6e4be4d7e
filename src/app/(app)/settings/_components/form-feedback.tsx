import type { ReactNode } from 'react';
import { errorText } from '@/components/ui/styles';

/**
 * A settings form's outcome: the polite status line (always present, so screen readers hear it
 * change) and, when something went wrong, an alert. `errorId` lets a field point at the alert.
 */
export function FormFeedback({ status, error, errorId }: { status: ReactNode; error: ReactNode; errorId?: string }) {
  return (
    <>
      <p role="status" aria-live="polite" className="text-sm">
        {status}
      </p>
      {error ? (
        <p id={errorId} role="alert" className={errorText}>
          {error}
        </p>
      ) : null}
    </>
  );
}
