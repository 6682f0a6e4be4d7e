import type { ExportFormat } from '@/lib/api/limits';
import { ApiError, NetworkError, SessionExpiredError } from '@/lib/tasks/api-client';

/**
 * The browser's export and import, through the same-origin proxy with the session cookie. Import
 * goes by XMLHttpRequest rather than fetch: only XHR reports upload progress (`upload.onprogress`),
 * which a 10 MB file on a slow connection needs. Errors are the task client's classes.
 */

export const EXPORT_PATH = '/api/proxy/me/export';
export const IMPORT_PATH = '/api/proxy/me/import';

/** A plain link: the browser streams the attachment to disk, whatever its size. */
export function exportUrl(format: ExportFormat): string {
  return `${EXPORT_PATH}?format=${format}`;
}

/** The media type import needs, from the file's name or type (Windows calls a CSV application/vnd.ms-excel). */
export function importTypeOf(file: File): 'application/json' | 'text/csv' | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.json') || file.type === 'application/json') return 'application/json';
  if (name.endsWith('.csv') || file.type === 'text/csv') return 'text/csv';
  return undefined;
}

function detailOf(xhr: XMLHttpRequest): string {
  try {
    const body: unknown = JSON.parse(xhr.responseText);
    if (body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string' && body.detail) return body.detail;
  } catch {
    // Not a problem body (a proxy in between): the generic sentence.
  }
  return `The import failed (${xhr.status}). Nothing was imported.`;
}

/**
 * Uploads `file` to import; `onProgress` gets the part sent (0 to 1), then 1 once the server has it
 * all and is importing. Resolves with how many tasks were imported.
 */
export function importFile(file: File, onProgress: (sent: number) => void): Promise<number> {
  const type = importTypeOf(file);
  if (!type) return Promise.reject(new ApiError(415, 'Choose a Tasklane export (.json) or a CSV file (.csv).'));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', IMPORT_PATH);
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader('accept', 'application/json');
    // A retry of this very upload (a flaky connection) cannot import the file twice.
    xhr.setRequestHeader('idempotency-key', crypto.randomUUID());
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new NetworkError());
    xhr.onload = () => {
      if (xhr.status === 200) {
        try {
          const body = JSON.parse(xhr.responseText) as { imported?: unknown };
          if (typeof body.imported === 'number') return resolve(body.imported);
        } catch {
          // fall through
        }
        return reject(new ApiError(502, 'The server answered without a count. Check your tasks before importing again.'));
      }
      if (xhr.status === 401) return reject(new SessionExpiredError(401, detailOf(xhr)));
      reject(new ApiError(xhr.status, detailOf(xhr)));
    };
    xhr.send(file);
  });
}
