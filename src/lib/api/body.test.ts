import { describe, expect, it, vi } from 'vitest';
import { MAX_BODY_BYTES, readJsonBody, readOptionalJsonBody } from './body';
import { HttpProblem } from './problem';

const JSON_TYPE = { 'content-type': 'application/json' };

const post = (body: BodyInit | null, headers: Record<string, string> = JSON_TYPE) =>
  new Request('http://x/api/me/tasks', { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

async function problemOf(promise: Promise<unknown>): Promise<HttpProblem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the body was accepted').toBeInstanceOf(HttpProblem);
  return error as HttpProblem;
}

const statusOf = async (promise: Promise<unknown>) => (await problemOf(promise)).status;

/** A body streamed in 16 KB chunks with no Content-Length, counting pulls and noticing a cancel. */
function streamedBody(totalBytes: number) {
  const counter = { pulls: 0, cancelled: false };
  const chunk = new Uint8Array(16 * 1024).fill(0x61);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulls += 1;
      if (sent >= totalBytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      counter.cancelled = true;
    },
  });
  return { stream, counter };
}

/** A JSON string literal of exactly `bytes` bytes. */
const jsonOfSize = (bytes: number) => `"${'a'.repeat(bytes - 2)}"`;

describe('readJsonBody', () => {
  it('parses JSON sent as application/json, with or without a charset, in any case', async () => {
    expect(await readJsonBody(post('{"title":"x"}'))).toEqual({ title: 'x' });
    expect(await readJsonBody(post('{"title":"x"}', { 'content-type': 'application/json; charset=utf-8' }))).toEqual({ title: 'x' });
    expect(await readJsonBody(post('[1]', { 'content-type': 'Application/JSON; charset=UTF-8' }))).toEqual([1]);
    expect(await readJsonBody(post('null'))).toBeNull();
  });

  it('keeps text exactly, non-ASCII included', async () => {
    const title = `<script>"x"</script> Ünïcödé 日本語 🧪`;
    expect(await readJsonBody(post(new TextEncoder().encode(JSON.stringify({ title }))))).toEqual({ title });
  });

  it('answers 415 for any other content type', async () => {
    for (const type of ['text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-patch+json', 'application/problem+json']) {
      const problem = await problemOf(readJsonBody(post('{}', { 'content-type': type })));
      expect(problem.status, type).toBe(415);
      expect(problem.detail).toMatch(/application\/json/);
    }
  });

  it('answers 415 when there is no content type at all', async () => {
    // Bytes, not a string: a string body would get text/plain from the Request constructor.
    const request = post(new TextEncoder().encode('{"title":"x"}'), {});
    expect(request.headers.get('content-type')).toBeNull();
    expect(await statusOf(readJsonBody(request))).toBe(415);
  });

  it('takes a body of exactly 64 KB, and answers 413 one byte over', async () => {
    expect(await readJsonBody(post(jsonOfSize(MAX_BODY_BYTES)))).toHaveLength(MAX_BODY_BYTES - 2);
    const problem = await problemOf(readJsonBody(post(jsonOfSize(MAX_BODY_BYTES + 1))));
    expect(problem.status).toBe(413);
    expect(problem.detail).toMatch(/64 KB/);
  });

  it('answers 413 for a declared length over 64 KB without reading it', async () => {
    const { stream, counter } = streamedBody(10 * 1024 * 1024);
    const request = new Request('http://x', {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { ...JSON_TYPE, 'content-length': String(MAX_BODY_BYTES + 1) },
    } as RequestInit);
    expect(await statusOf(readJsonBody(request))).toBe(413);
    expect(counter.pulls).toBeLessThanOrEqual(1);
  });

  it('answers 413 for a streamed body over 64 KB with no Content-Length, and stops reading it', async () => {
    const { stream, counter } = streamedBody(10 * 1024 * 1024);
    const request = post(stream);
    expect(request.headers.get('content-length')).toBeNull();
    expect(await statusOf(readJsonBody(request))).toBe(413);
    // 64 KB is four 16 KB chunks; the fifth is over. Nowhere near the 640 chunks on offer.
    expect(counter.pulls).toBeLessThan(10);
    await vi.waitFor(() => expect(counter.cancelled).toBe(true));
  });

  it('answers 413 for a body bigger than the Content-Length it declared', async () => {
    const { stream } = streamedBody(1024 * 1024);
    const request = new Request('http://x', { method: 'POST', body: stream, duplex: 'half', headers: { ...JSON_TYPE, 'content-length': '10' } } as RequestInit);
    expect(await statusOf(readJsonBody(request))).toBe(413);
  });

  it('answers 400 for malformed JSON', async () => {
    for (const body of ['{"title":', '{title: "x"}', "{'title':'x'}", '{"a":1}{"b":2}', 'undefined', 'NaN']) {
      const problem = await problemOf(readJsonBody(post(body)));
      expect(problem.status, body).toBe(400);
      expect(problem.detail).not.toMatch(/position|Unexpected token/);
    }
  });

  it('answers 400 for an empty body, a blank one and no body at all', async () => {
    for (const body of ['', ' \n\t ']) {
      const problem = await problemOf(readJsonBody(post(body)));
      expect(problem.status).toBe(400);
      expect(problem.detail).toMatch(/empty/);
    }
    expect(await statusOf(readJsonBody(new Request('http://x', { method: 'POST', headers: JSON_TYPE })))).toBe(400);
  });

  it('answers 400 for bytes that are not UTF-8', async () => {
    for (const bytes of [[0x7b, 0xff, 0xfe, 0x7d], [0x22, 0xc3, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22]]) {
      const problem = await problemOf(readJsonBody(post(new Uint8Array(bytes))));
      expect(problem.status).toBe(400);
      expect(problem.detail).toMatch(/UTF-8/);
    }
  });

  it('answers 400 when the body stream fails mid-way', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"ti'));
        controller.error(new Error('connection reset'));
      },
    });
    expect(await statusOf(readJsonBody(post(stream)))).toBe(400);
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
    expect(await statusOf(readOptionalJsonBody(post(jsonOfSize(MAX_BODY_BYTES + 1))))).toBe(413);
  });
});
