import { etagOf } from './etag';
import { HttpProblem } from './problem';
import { json } from './responses';
import type { TaskDto } from './task-schemas';

/**
 * Conditional requests on one task (RFC 9110 §13): a strong ETag on every single-task answer,
 * `If-None-Match` on GET (304), `If-Match` on PUT, PATCH, DELETE and /complete (412, nothing
 * changed). A task's version is its `updated_at`, which moves on by at least a millisecond with
 * every write (server/db/schema.ts `nextUpdatedAt`): the ETag is the task's id and that instant.
 * Shared by the route handlers and the msw mock.
 */


/** A single-task answer: the task and its ETag. */
export function taskAnswer(task: TaskDto, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return json(task, { ...init, headers: { ...init.headers, etag: etagOf(task) } });
}

const ETAG_LIST = /^\s*(?:\*|(?:W\/)?"[\x21\x23-\x7e]*"(?:\s*,\s*(?:W\/)?"[\x21\x23-\x7e]*")*)\s*$/;

/** The entity tags of an `If-Match` / `If-None-Match` value: `*`, or each tag with whether it is weak. 400 when malformed. */
function entityTags(header: string, name: string): '*' | { tag: string; weak: boolean }[] {
  if (!ETAG_LIST.test(header)) throw new HttpProblem(400, `${name} must be * or a list of entity tags such as "42-lz3abc".`);
  if (header.trim() === '*') return '*';
  return [...header.matchAll(/(W\/)?("[^"]*")/g)].map((match) => ({ tag: match[2]!, weak: match[1] !== undefined }));
}

/**
 * What `If-Match` allows a write to apply to: any existing version (`*`, or no header: undefined),
 * or only these versions (`updated_at` in ms since the epoch) of the task `taskId`. Strong
 * comparison: a weak tag matches nothing, nor does another task's tag.
 */
export function ifMatchVersions(request: Request, taskId: number): number[] | undefined {
  const header = request.headers.get('if-match');
  if (header === null) return undefined;
  const tags = entityTags(header, 'If-Match');
  if (tags === '*') return undefined;
  const versions: number[] = [];
  for (const { tag, weak } of tags) {
    const match = /^"(\d+)-([0-9a-z]{1,12})"$/.exec(tag);
    if (!weak && match && Number(match[1]) === taskId) versions.push(parseInt(match[2]!, 36));
  }
  return versions;
}

/** Whether an `If-None-Match` value names `etag` (weak comparison, `*` included); 400 when it is malformed. */
export function noneMatchNames(header: string, etag: string): boolean {
  const tags = entityTags(header, 'If-None-Match');
  const opaque = etag.replace(/^W\//, '');
  return tags === '*' || tags.some(({ tag }) => tag === opaque);
}

/** Whether `If-None-Match` names the task's current version: a GET answers 304. */
export function notModified(request: Request, task: Pick<TaskDto, 'id' | 'updated_at'>): boolean {
  const header = request.headers.get('if-none-match');
  return header !== null && noneMatchNames(header, etagOf(task));
}

/** 304: no body, the ETag. */
export function notModifiedAnswer(task: Pick<TaskDto, 'id' | 'updated_at'>): Response {
  return new Response(null, { status: 304, headers: { etag: etagOf(task), 'cache-control': 'no-store' } });
}

export const preconditionFailed = () => new HttpProblem(412, 'The task has changed since you read it: nothing was changed. Read it again, then retry.');
