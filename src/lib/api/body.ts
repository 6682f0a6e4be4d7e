import { HttpProblem } from './problem';

export const MAX_BODY_BYTES = 64 * 1024;

/** True when the request carries a body (a declared length, or a stream). */
export function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  if (length !== null) return length.trim() !== '0';
  return request.body !== null;
}

function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const mediaType = value.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json';
}

/**
 * Reads a JSON body: 415 unless `application/json`, 413 past 64 KB (declared or streamed; the
 * stream is cancelled, never buffered whole), 400 unless it parses. Validation is the caller's.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    throw new HttpProblem(415, 'The body must be JSON, sent with Content-Type: application/json.');
  }
  const tooLarge = () => new HttpProblem(413, `The body must be at most ${MAX_BODY_BYTES / 1024} KB.`);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
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
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(result.value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
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
