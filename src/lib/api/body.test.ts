import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readJsonBody, readOptionalJsonBody } from './body';
import { HttpProblem } from './problem';

const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://x/api/me/tasks', { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

async function statusOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HttpProblem);
  return (error as HttpProblem).status;
}

/** A body streamed in 16 KB chunks with no Content-Length, counting how many chunks were pulled. */
function streamedBody(totalBytes: number) {
  const counter = { pulls: 0 };
  const chunk = new Uint8Array(16 * 1024).fill(0x61);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulls += 1;
      if (sent >= totalBytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

describe('readJsonBody', () => {
  it('parses JSON sent as application/json, with or without a charset', async () => {
    expect(await readJsonBody(post('{"title":"x"}'))).toEqual({ title: 'x' });
    expect(await readJsonBody(post('[1]', { 'content-type': 'Application/JSON; charset=utf-8' }))).toEqual([1]);
  });

  it('answers 415 for any other or no content type', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      expect(await statusOf(readJsonBody(post('{}', { 'content-type': type }))), type).toBe(415);
    }
    expect(await statusOf(readJsonBody(post('{}', {})))).toBe(415);
  });

  it('answers 413 for a declared length over 64 KB without reading it', async () => {
    const { stream, counter } = streamedBody(10 * 1024 * 1024);
    const request = new Request('http://x', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) } } as RequestInit);
    expect(await statusOf(readJsonBody(request))).toBe(413);
    expect(counter.pulls).toBeLessThanOrEqual(1);
  });

  it('answers 413 for a streamed body over 64 KB and stops reading it', async () => {
    const { stream, counter } = streamedBody(10 * 1024 * 1024);
    expect(await statusOf(readJsonBody(post(stream)))).toBe(413);
    expect(counter.pulls).toBeLessThan(10);
  });

  it('answers 400 for malformed JSON, an empty body and invalid UTF-8', async () => {
    expect(await statusOf(readJsonBody(post('{"title":')))).toBe(400);
    expect(await statusOf(readJsonBody(post('')))).toBe(400);
    expect(await statusOf(readJsonBody(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))))).toBe(400);
  });
});

describe('readOptionalJsonBody', () => {
  it('is undefined for no body and for an empty one, whatever the headers', async () => {
    expect(await readOptionalJsonBody(new Request('http://x', { method: 'PATCH' }))).toBeUndefined();
    expect(await readOptionalJsonBody(post(new Uint8Array(0), {}))).toBeUndefined();
    expect(await readOptionalJsonBody(post(''))).toBeUndefined();
  });

  it('reads a body that is there like readJsonBody', async () => {
    expect(await readOptionalJsonBody(post('{"completed":true}'))).toEqual({ completed: true });
    expect(await statusOf(readOptionalJsonBody(post('completed=true', { 'content-type': 'application/x-www-form-urlencoded' })))).toBe(415);
    expect(await statusOf(readOptionalJsonBody(post('{')))).toBe(400);
  });
});
