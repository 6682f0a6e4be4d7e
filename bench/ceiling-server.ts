// The ceiling: a bare node:http server that answers `GET /?user=<id>` with the same list the task API
// serves (the app's own listTasks: the same SQL statements through the same driver and pool),
// with no framework, no routing, no auth and no validation. `npm run bench` starts it with the
// database's environment (DATABASE_URL or TASKLANE_DATA_DIR, PORT); it is not part of the app.
import http from 'node:http';
import { closeDb, getDb } from '@/server/db/client';
import { toTaskJson } from '@/lib/api/task-json';
import { parseListQuery } from '@/lib/api/task-schemas';
import { listTasks } from '@/server/tasks/find';

await getDb();

const server = http.createServer((request, response) => {
  const userId = new URL(request.url ?? '/', 'http://ceiling').searchParams.get('user');
  if (!userId) {
    response.writeHead(200).end('ok');
    return;
  }
  listTasks(userId, parseListQuery(new URLSearchParams()).data!).then(
    (page) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-total-count': String(page.total) });
      response.end(JSON.stringify(page.tasks.map(toTaskJson)));
    },
    (error: unknown) => {
      console.error(error);
      response.writeHead(500).end();
    },
  );
});

server.listen(Number(process.env.PORT), '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void closeDb().then(() => process.exit(0));
});
