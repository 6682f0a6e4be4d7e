import { readBytes } from './body';
import { HttpProblem, problemResponse } from './problem';

/**
 * `Idempotency-Key` on the task API's POSTs (the contract's "Conditional requests and retries"):
 * within 24 h, the same key with the same request answers the first answer again, marked
 * `Idempotent-Replayed: true`, and changes nothing; the same key with another request is 422; a
 * retry that arrives while the first is still being answered is 409. Keys belong to their user.
 * The decisions are here, shared by the route handlers (a table: server/http/idempotency.ts) and
 * the msw mock (a Map), so both answer alike.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** 1 to 255 visible ASCII characters. */
const KEY = /^[\x21-\x7e]{1,255}$/;
/** The headers of an answer that are part of it, and come back with a replay. */
const KEPT = ['content-type', 'location', 'etag', 'link', 'x-total-count'];

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyRecord {
  fingerprint: string;
  /** Undefined while the first request is still being answered. */
  answer: StoredAnswer | undefined;
  createdAt: Date;
}

/** One user's keys. */
export interface IdempotencyStore {
  /** Records the key as taken by this request, unless it is taken already: whether it was free. */
  claim(key: string, fingerprint: string): Promise<boolean>;
  find(key: string): Promise<IdempotencyRecord | undefined>;
  save(key: string, answer: StoredAnswer): Promise<void>;
  /** Frees the key (the request failed on the server's side, or the record expired). */
  release(key: string): Promise<void>;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function replay(answer: StoredAnswer): Response {
  const bodyless = answer.status === 204 || answer.status === 304;
  return new Response(bodyless ? null : answer.body, { status: answer.status, headers: { ...answer.headers, 'cache-control': 'no-store', 'idempotent-replayed': 'true' } });
}

/**
 * `run` once per key and request, however often it is retried within 24 h (see above). The body is
 * read (to be fingerprinted) under the endpoint's own cap: `maxBodyBytes`, 64 KB unless it says.
 */
export async function idempotent(request: Request, store: IdempotencyStore, run: (request: Request) => Promise<Response>, maxBodyBytes?: number): Promise<Response> {
  const key = request.headers.get('idempotency-key');
  if (key === null) return run(request);
  if (!KEY.test(key)) throw new HttpProblem(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
  const bytes = await readBytes(request, maxBodyBytes);
  const fingerprint = `${request.method} ${new URL(request.url).pathname}\n${await sha256(bytes)}`;
  // The body was read to be fingerprinted: the handler gets the same bytes in a fresh request.
  const again = new Request(request.url, { method: request.method, headers: request.headers, body: bytes.byteLength > 0 ? (bytes as Uint8Array<ArrayBuffer>) : null, signal: request.signal });

  for (let attempt = 0; attempt < 3; attempt++) {
    if (await store.claim(key, fingerprint)) {
      let response: Response;
      try {
        response = await run(again);
      } catch (error) {
        // A refusal (4xx) is the answer to this request, kept like any other; anything else frees the key.
        if (!(error instanceof HttpProblem) || error.status >= 500 || error.status === 429) {
          await store.release(key);
          throw error;
        }
        response = problemResponse(error);
      }
      // A failure on the server's side is not an answer to keep: a retry should run again.
      if (response.status >= 500 || response.status === 429) {
        await store.release(key);
        return response;
      }
      const answer: StoredAnswer = {
        status: response.status,
        headers: Object.fromEntries(KEPT.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)!]] : []))),
        body: await response.text(),
      };
      await store.save(key, answer);
      return new Response(response.status === 204 || response.status === 304 ? null : answer.body, { status: response.status, headers: response.headers });
    }
    const record = await store.find(key);
    if (!record) continue; // released meanwhile: claim it again
    if (Date.now() - record.createdAt.getTime() > IDEMPOTENCY_TTL_MS) {
      await store.release(key);
      continue;
    }
    if (record.fingerprint !== fingerprint) {
      throw new HttpProblem(422, 'This Idempotency-Key was used with another request: use a new key for a new request.', {
        errors: [{ path: 'Idempotency-Key', message: 'was used with another method, path or body' }],
      });
    }
    if (!record.answer) throw new HttpProblem(409, 'A request with this Idempotency-Key is still being answered: retry in a moment.', { headers: { 'retry-after': '1' } });
    return replay(record.answer);
  }
  throw new HttpProblem(409, 'This Idempotency-Key is busy: retry in a moment.', { headers: { 'retry-after': '1' } });
}
