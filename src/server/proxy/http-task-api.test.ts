import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpProblem } from '@/lib/api/problem';
import { matchTaskRoute } from '@/server/http/task-routes';
import { httpTaskApi, type Timeouts } from './http-task-api';

/**
 * The proxy's HTTP TaskApi against a stub service on a loopback port: what it sends (the token,
 * the body, the contract's headers, never a cookie), what it brings back, and how each way a
 * remote call fails becomes a problem (502, 504, 413), redirects never followed.
 */

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let answer: (request: IncomingMessage, response: ServerResponse, body: string) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => undefined);
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      answer(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  answer = (_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
});

/** `method /api/{path}` as the proxy hands it over: for user-1, with their token. */
function call(method: string, path: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}, options: { base?: string; timeouts?: Timeouts } = {}) {
  const url = new URL(`/api/${path}`, 'http://localhost:3000');
  const route = matchTaskRoute(url.pathname.slice('/api/'.length).split('/'))!;
  const request = new Request(url, {
    method,
    headers: { authorization: 'Bearer the-token', ...init.headers },
    body: init.body ?? null,
    ...(init.body ? { duplex: 'half' } : {}),
  } as RequestInit);
  return httpTaskApi(options.base ?? base, options.timeouts).send({ route, request, userId: 'user-1', requestId: 'request-1' });
}

async function problemOf(promise: Promise<Response>): Promise<HttpProblem> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpProblem);
  return error as HttpProblem;
}

describe('what the service receives', () => {
  it("goes to /api/{the user's id}/tasks with the query, the token and the body, and none of the browser's other headers", async () => {
    const response = await call('POST', 'me/tasks?x=1&y=two', {
      headers: {
        'content-type': 'application/json',
        'if-match': '"v1"',
        'idempotency-key': 'key-1',
        cookie: 'better-auth.session_token=secret',
        'x-forwarded-for': '203.0.113.9',
        referer: 'http://localhost:3000/tasks',
      },
      body: JSON.stringify({ title: 'Buy milk' }),
    });
    expect(response.status).toBe(200);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/api/user-1/tasks?x=1&y=two');
    expect(request!.body).toBe('{"title":"Buy milk"}');
    expect(request!.headers.authorization).toBe('Bearer the-token');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['if-match']).toBe('"v1"');
    expect(request!.headers['idempotency-key']).toBe('key-1');
    for (const name of ['cookie', 'x-forwarded-for', 'referer']) expect(request!.headers[name]).toBeUndefined();
  });

  it('leaves an id in the path as it is: the service itself refuses another user', async () => {
    await call('GET', 'someone-else/tasks/7');
    expect(seen[0]!.url).toBe('/api/someone-else/tasks/7');
  });

  it('keeps the path of a BACKEND_URL that has one', async () => {
    await call('PATCH', 'me/tasks/5/complete', {}, { base: `${base}/tasks-service` });
    expect(seen[0]!.url).toBe('/tasks-service/api/user-1/tasks/5/complete');
  });
});

describe('what comes back', () => {
  it("passes the status, the body and the contract's headers only, with the service's links as task API paths", async () => {
    answer = (_, response) =>
      response
        .writeHead(200, {
          'content-type': 'application/json',
          link: `<${base}/api/user-1/tasks?cursor=abc>; rel="next"`,
          'x-total-count': '51',
          etag: '"7"',
          'set-cookie': 'tracker=1',
          'x-powered-by': 'FastAPI',
          server: 'uvicorn',
          'access-control-allow-origin': '*',
        })
        .end('[{"id":1}]');
    const response = await call('GET', 'me/tasks');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ id: 1 }]);
    expect(response.headers.get('link')).toBe('</api/user-1/tasks?cursor=abc>; rel="next"');
    expect(response.headers.get('x-total-count')).toBe('51');
    expect(response.headers.get('etag')).toBe('"7"');
    for (const name of ['set-cookie', 'x-powered-by', 'server', 'access-control-allow-origin']) expect(response.headers.get(name)).toBeNull();
  });

  it("passes the service's errors through as they are (FastAPI's detail is the web app's to read)", async () => {
    answer = (_, response) => response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Task not found"}');
    const response = await call('GET', 'me/tasks/9');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Task not found' });
  });

  it('passes a 204 without a body', async () => {
    answer = (_, response) => response.writeHead(204).end();
    const response = await call('DELETE', 'me/tasks/9');
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('streams a large answer through whole', async () => {
    const tasks = Array.from({ length: 20_000 }, (_, id) => ({ id, title: `Task ${id}` }));
    answer = (_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tasks));
    const response = await call('GET', 'me/tasks');
    expect(((await response.json()) as unknown[]).length).toBe(20_000);
  });
});

describe('when the service fails', () => {
  it('answers 502 with Retry-After when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const problem = await problemOf(call('GET', 'me/tasks', {}, { base: `http://127.0.0.1:${port}` }));
    expect(problem.status).toBe(502);
    expect(problem.options.headers?.['retry-after']).toBe('5');
  });

  it('answers 502 when the service drops the connection before answering', async () => {
    answer = (request) => request.socket.destroy();
    expect((await problemOf(call('GET', 'me/tasks'))).status).toBe(502);
  });

  it('answers 504 when the service does not answer in time, without waiting longer', async () => {
    answer = () => undefined; // never answers
    const started = Date.now();
    const problem = await problemOf(call('GET', 'me/tasks', {}, { timeouts: { connectMs: 1_000, answerMs: 400 } }));
    expect(problem.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('never follows a redirect: 502, and the place it points to is never asked', async () => {
    answer = (request, response) => {
      if (request.url!.startsWith('/api/')) response.writeHead(307, { location: `${base}/elsewhere` }).end();
      else response.writeHead(200).end('followed');
    };
    const problem = await problemOf(call('GET', 'me/tasks'));
    expect(problem.status).toBe(502);
    expect(problem.message).toMatch(/redirect/);
    expect(seen.map((request) => request.url)).toEqual(['/api/user-1/tasks']);
  });
});

describe('size caps', () => {
  it('refuses a declared body over 64 KB with 413 before sending anything', async () => {
    const problem = await problemOf(call('POST', 'me/tasks', { headers: { 'content-type': 'application/json', 'content-length': String(65 * 1024) }, body: 'x' }));
    expect(problem.status).toBe(413);
    expect(seen).toEqual([]);
  });

  it('stops a streamed body at 64 KB with 413', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    answer = (_, response) => response.writeHead(201).end('{}');
    const problem = await problemOf(call('POST', 'me/tasks', { headers: { 'content-type': 'application/json' }, body }));
    expect(problem.status).toBe(413);
  });
});
