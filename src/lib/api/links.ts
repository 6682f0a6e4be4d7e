import { encodeCursor, listTasksParamsSchema, type CursorPosition, type TaskQuery } from './task-schemas';

const KNOWN_PARAMS = new Set(Object.keys(listTasksParamsSchema.shape));

/**
 * `Link: <...>; rel="next"` for the page after `position`: the request's own path and known
 * parameters (filters, sort, page size; never unknown ones) with a new cursor, as an absolute-path
 * reference (valid behind any host or proxy prefix).
 */
export function nextPageLink(url: URL, query: Omit<TaskQuery, 'words'>, position: CursorPosition): string {
  const next = new URLSearchParams();
  for (const [key, value] of url.searchParams) if (KNOWN_PARAMS.has(key) && key !== 'cursor') next.append(key, value);
  next.set('cursor', encodeCursor(query, position));
  return `<${url.pathname}?${next.toString()}>; rel="next"`;
}

/** Where a task lives, under the collection path the client used. */
export function taskLocation(collectionPath: string, id: number): string {
  return `${collectionPath.replace(/\/+$/, '')}/${id}`;
}
