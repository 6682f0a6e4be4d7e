import type { z } from 'zod';
import { HttpProblem, validationProblem } from './problem';

export const MAX_BODY_BYTES = 64 * 1024;

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaTypeOf(value: string | null): string | undefined {
  return value === null ? undefined : value.split(';')[0]!.trim().toLowerCase();
}

function isJsonContentType(value: string | null): boolean {
  return mediaTypeOf(value) === 'application/json';
}

/** `64 KB`, `10 MB`: a limit as the 413's sentence says it. */
function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

/** 413: the body passed `limit`. */
export const bodyTooLarge = (limit: number) => new HttpProblem(413, `The body must be at most ${sizeOf(limit)}.`);
const notJson = () => new HttpProblem(415, 'The body must be JSON, sent with Content-Type: application/json.');

/**
 * The body's bytes: 413 past `limit` (64 KB unless an endpoint has its own, as import has),
 * declared or streamed (the stream is cancelled, never buffered whole).
 */
export async function readBytes(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw bodyTooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch {
      throw new HttpProblem(400, 'The request body could not be read.');
    }
    if (result.done) break;
    size += result.value.byteLength;
    if (size > limit) {
      // Not awaited: some request streams settle their cancel only once the client stops sending.
      void reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(result.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body as text: 400 unless it is UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, 'The body is not valid UTF-8.');
  }
}

export function parseJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  if (text.trim() === '') throw new HttpProblem(400, 'The body is empty; send a JSON object.');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'The body is not valid JSON.');
  }
}

/** A required JSON body: 415 unless `application/json`, 413 past 64 KB, 400 unless it parses. */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (!isJsonContentType(request.headers.get('content-type'))) throw notJson();
  return parseJson(await readBytes(request));
}

/**
 * An optional JSON body: undefined when none was sent. "None" is zero bytes, whatever the headers:
 * `curl -X PATCH` and many HTTP clients send an empty body rather than no body at all.
 */
export async function readOptionalJsonBody(request: Request): Promise<unknown> {
  const bytes = await readBytes(request);
  if (bytes.byteLength === 0) return undefined;
  if (!isJsonContentType(request.headers.get('content-type'))) throw notJson();
  return parseJson(bytes);
}

function validate<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw validationProblem(result.error, 'The body');
  return result.data;
}

/** A required JSON body, read as readJsonBody reads it, then parsed with `schema` (422 listing every problem). */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  return validate(schema, await readJsonBody(request));
}

/** For endpoints whose body is optional: undefined when none was sent. */
export async function parseOptionalJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S> | undefined> {
  const body = await readOptionalJsonBody(request);
  return body === undefined ? undefined : validate(schema, body);
}
