import type { z } from 'zod';
import { HttpProblem, validationProblem } from './problem';

export const MAX_BODY_BYTES = 64 * 1024;

function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const mediaType = value.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json';
}

const tooLarge = () => new HttpProblem(413, `The body must be at most ${MAX_BODY_BYTES / 1024} KB.`);
const notJson = () => new HttpProblem(415, 'The body must be JSON, sent with Content-Type: application/json.');

/** The body's bytes: 413 past 64 KB, declared or streamed (the stream is cancelled, never buffered whole). */
export async function readBytes(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
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
    if (size > MAX_BODY_BYTES) {
      // Not awaited: some request streams settle their cancel only once the client stops sending.
      void reader.cancel().catch(() => {});
      throw tooLarge();
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

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, 'The body is not valid UTF-8.');
  }
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
