import { encodeCursor } from './task-schemas';

/**
 * `Link: <...>; rel="next"` for the page after `lastId`: the request's own path and filters with a
 * new cursor, as an absolute-path reference (valid behind any host or proxy prefix).
 */
export function nextPageLink(url: URL, lastId: number): string {
  const next = new URLSearchParams();
  for (const key of ['status', 'limit'] as const) {
    const value = url.searchParams.get(key);
    if (value !== null) next.set(key, value);
  }
  next.set('cursor', encodeCursor(lastId));
  return `<${url.pathname}?${next.toString()}>; rel="next"`;
}

/** Where a task lives, under the collection path the client used. */
export function taskLocation(collectionPath: string, id: number): string {
  return `${collectionPath.replace(/\/+$/, '')}/${id}`;
}
