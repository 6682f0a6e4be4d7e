// @ts-check
/* eslint-disable no-restricted-properties -- the process entry point: reads its own listen address */
/**
 * `npm start`: the production build behind a plain node:http server, for self-hosting. It is
 * `next start` plus the two things only the socket knows, which Next cannot do for us:
 *
 * - The client's address. `next start` keeps any `X-Forwarded-For` the client sends, so a client
 *   could pick a fresh address per request and never meet the sign-in rate limit. Here the header
 *   is replaced by the socket's peer address; with TRUST_PROXY=1 (behind a reverse proxy you run),
 *   by the address that proxy appended last. Better Auth reads it from `X-Forwarded-For`.
 * - Methods Node's fetch cannot represent: a `TRACE` / `TRACK` / `CONNECT` would make Next fail
 *   with a 500 before any app code runs; they get a 405 here. So does a path that is not valid
 *   percent-encoding: a 400 problem here.
 * - A graceful stop: on SIGTERM it finishes what is in flight and closes the database.
 *
 * On Vercel this file is not used: the platform sets `X-Forwarded-For` itself and refuses TRACE.
 */
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import next from 'next';

/**
 * The listen address and proxy trust, checked like src/server/env.ts checks the rest (this file
 * runs before the app is loaded): every problem in one line, then the process stops.
 */
function readConfig() {
  const problems = [];
  const rawPort = process.env.PORT?.trim() || '3000';
  const port = Number(rawPort);
  if (!/^\d{1,5}$/.test(rawPort) || port < 1 || port > 65535) problems.push('PORT must be a port number (1-65535)');
  const hostname = process.env.HOSTNAME?.trim() || '0.0.0.0';
  if (!isIP(hostname) && !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(hostname)) {
    problems.push('HOSTNAME must be an IP address or a host name to listen on');
  }
  const trust = (process.env.TRUST_PROXY ?? '').trim().toLowerCase();
  if (!['', '0', '1', 'false', 'true'].includes(trust)) problems.push('TRUST_PROXY must be 1 (behind a reverse proxy you run) or 0');
  if (problems.length > 0) {
    console.error(`Tasklane cannot start: ${problems.join('; ')}`);
    process.exit(1);
  }
  return { port, hostname, trustProxy: trust === '1' || trust === 'true' };
}

const { port, hostname, trustProxy } = readConfig();
const UNSUPPORTED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {string | undefined}
 */
function clientAddress(req) {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress;
}

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

/**
 * Whether `pathname` decodes as the percent-encoding of UTF-8. Next's router decodes route
 * parameters and answers a malformed escape (`%ff`, a cut `%E0%A4%A`) with a bare 500 before any
 * app code runs.
 * @param {string} pathname
 */
function decodable(pathname) {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** @param {import('node:http').ServerResponse} res @param {number} status @param {string} detail @param {Record<string, string>} [headers] */
function problem(res, status, detail, headers = {}) {
  const body = JSON.stringify({ type: 'about:blank', title: status === 400 ? 'Bad Request' : 'Service Unavailable', status, detail });
  res
    .writeHead(status, {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    })
    .end(body);
}

let stopping = false;
/** Responses not yet finished: on SIGTERM each is told to close its connection when it is done. */
const inFlight = new Set();

const server = createServer((req, res) => {
  inFlight.add(res);
  res.once('close', () => inFlight.delete(res));
  if (UNSUPPORTED_METHODS.has(req.method ?? '')) {
    res.writeHead(405, { allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS', 'content-length': '0' }).end();
    return;
  }
  // A request that reaches us while shutting down (on a kept-alive connection) is still served,
  // and its connection then closes.
  if (stopping) res.setHeader('connection', 'close');
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  if (!decodable(pathname)) {
    problem(res, 400, 'The path is not valid percent-encoding.');
    return;
  }
  const address = clientAddress(req);
  if (address) req.headers['x-forwarded-for'] = address;
  else delete req.headers['x-forwarded-for'];
  if (!trustProxy) delete req.headers['x-forwarded-proto'];
  void handle(req, res);
});
server.listen(port, hostname, () => {
  console.log(`Tasklane listening on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`);
});

/** How long in-flight requests may take to finish after SIGTERM (platforms kill at about 30 s). */
const GRACE_MS = 25_000;

/**
 * The database client the app opened, if any (src/server/db/client.ts keeps it on globalThis, which
 * the app's bundles share with this file), closed once no request needs it: PGlite flushes its
 * files, a pool ends its connections.
 */
async function closeDatabase() {
  // No reminder run may start on a database being closed (src/server/reminders.ts).
  /** @type {{ __tasklaneReminders?: { stop: () => void } }} */ (/** @type {unknown} */ (globalThis)).__tasklaneReminders?.stop();
  const holder = /** @type {{ __tasklaneDb?: Promise<{ close: () => Promise<void> }>, __tasklaneRedis?: Promise<{ quit: () => Promise<unknown> }> }} */ (/** @type {unknown} */ (globalThis));
  // The rate limits' Redis connection (src/server/redis.ts), if one was opened.
  const redis = holder.__tasklaneRedis;
  holder.__tasklaneRedis = undefined;
  if (redis) await redis.then((client) => client.quit()).catch(() => undefined);
  const handle = holder.__tasklaneDb;
  if (!handle) return;
  holder.__tasklaneDb = undefined;
  try {
    await (await handle).close();
    console.log('Tasklane: database closed');
  } catch (error) {
    console.error(`Tasklane: closing the database failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * SIGTERM (or Ctrl+C): stop accepting connections, let in-flight requests finish (up to GRACE_MS),
 * close the database, exit 0. A second signal exits at once.
 * @param {NodeJS.Signals} signal
 */
function shutdown(signal) {
  if (stopping) {
    console.error(`Tasklane: ${signal} again, exiting now`);
    process.exit(1);
  }
  stopping = true;
  // A client would otherwise send its next request on a connection that is about to close.
  for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
  console.log(`Tasklane: ${signal}, finishing in-flight requests (up to ${GRACE_MS / 1000} s)`);
  // Idle kept-alive connections would hold close() open: end them now, and each one that becomes
  // idle after its last response.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => {
    console.error(`Tasklane: requests still running after ${GRACE_MS / 1000} s, closing their connections`);
    server.closeAllConnections();
  }, GRACE_MS);
  server.close(() => {
    clearInterval(idle);
    clearTimeout(deadline);
    void closeDatabase().then(() => process.exit(0));
  });
  server.closeIdleConnections();
}

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) process.on(signal, () => shutdown(signal));
