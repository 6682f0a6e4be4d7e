'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { buttonPrimary, buttonSecondary, errorText, mutedText } from '@/components/ui/styles';
import { IMPORT_MAX_BYTES } from '@/lib/api/limits';
import { describeError, SessionExpiredError } from '@/lib/tasks/api-client';
import { useTaskFeedback } from '@/lib/tasks/feedback';
import { exportUrl, importFile, importTypeOf } from './data-client';

/**
 * "Your data": download everything (JSON or CSV, through the proxy as plain links, so the browser
 * streams the file to disk), and import a Tasklane export or a CSV with upload progress. The
 * server imports all or nothing; its refusal names the row, and is shown as it is.
 */

type Phase = { kind: 'idle' } | { kind: 'uploading'; sent: number } | { kind: 'importing' };

const fileInput =
  'block w-full text-sm text-zinc-700 file:mr-3 file:min-h-11 file:cursor-pointer file:rounded-lg file:border file:border-zinc-300 file:bg-white file:px-4 file:py-2 file:text-sm file:font-medium file:text-zinc-800 hover:file:bg-zinc-50 dark:text-zinc-300 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100 dark:hover:file:bg-zinc-800';

export function DataSection() {
  const feedback = useTaskFeedback();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const ids = { file: useId(), hint: useId() };
  const busy = phase.kind !== 'idle';

  function choose(chosen: File | null) {
    setFile(chosen);
    setStatus('');
    setError(null);
    if (!chosen) return;
    if (!importTypeOf(chosen)) setError('Choose a Tasklane export (.json) or a CSV file (.csv).');
    else if (chosen.size > IMPORT_MAX_BYTES) setError(`This file is ${(chosen.size / (1024 * 1024)).toFixed(1)} MB; an import takes at most 10 MB. Split it, or export as CSV, which is smaller.`);
  }

  async function run() {
    if (!file || busy || error) return;
    setError(null);
    setStatus('Uploading…');
    setPhase({ kind: 'uploading', sent: 0 });
    let announced = 0;
    try {
      const imported = await importFile(file, (sent) => {
        if (sent >= 1) {
          setPhase({ kind: 'importing' });
          setStatus('Importing…');
          return;
        }
        setPhase({ kind: 'uploading', sent });
        // Read out every quarter, not every event: a live region that changes each frame is noise.
        const quarter = Math.floor(sent * 4);
        if (quarter > announced) {
          announced = quarter;
          setStatus(`Uploading… ${Math.round(sent * 100)}%`);
        }
      });
      setStatus(`Imported ${imported.toLocaleString('en')} ${imported === 1 ? 'task' : 'tasks'}.`);
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
      await queryClient.invalidateQueries();
    } catch (caught) {
      setStatus('');
      if (caught instanceof SessionExpiredError) {
        feedback.sessionExpired();
        return;
      }
      setError(`Nothing was imported. ${describeError(caught).replace(/^Nothing was imported\. /, '')}`);
    } finally {
      setPhase({ kind: 'idle' });
    }
  }

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <h3 className="text-base font-semibold">Export</h3>
        <p className={`text-sm ${mutedText}`}>
          Download all your tasks and lists: JSON keeps everything and imports back as it was; CSV opens in a spreadsheet.
        </p>
        <div className="flex flex-wrap gap-2">
          <a className={buttonSecondary} href={exportUrl('json')} download>
            Export JSON
          </a>
          <a className={buttonSecondary} href={exportUrl('csv')} download>
            Export CSV
          </a>
        </div>
      </div>

      <div className="flex flex-col gap-2">
        <h3 className="text-base font-semibold">Import</h3>
        <p id={ids.hint} className={`text-sm ${mutedText}`}>
          A Tasklane export (.json), or a CSV with at least a title column, up to 10 MB. The tasks are added to yours, and lists are
          matched by name. If any row is invalid, nothing is imported and the row is named.
        </p>
        <label htmlFor={ids.file} className="text-sm font-medium">
          File to import
        </label>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <input
            ref={inputRef}
            id={ids.file}
            type="file"
            accept=".json,.csv,application/json,text/csv"
            aria-describedby={ids.hint}
            aria-invalid={error !== null && file !== null ? true : undefined}
            disabled={busy}
            className={`${fileInput} min-w-0`}
            onChange={(event) => choose(event.currentTarget.files?.[0] ?? null)}
          />
          <button type="button" className={`${buttonPrimary} shrink-0`} onClick={() => void run()} disabled={!file || busy || error !== null} aria-busy={busy || undefined}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
        {phase.kind !== 'idle' ? (
          <progress
            className="h-2 w-full accent-indigo-600 dark:accent-indigo-400"
            aria-label={phase.kind === 'uploading' ? 'Upload progress' : 'Importing'}
            max={1}
            {...(phase.kind === 'uploading' ? { value: phase.sent } : {})}
          />
        ) : null}
        <p role="status" aria-live="polite" className="text-sm">
          {status}
        </p>
        {error ? (
          <p role="alert" className={`${errorText} break-words`}>
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
