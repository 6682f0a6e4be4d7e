import { exportHeaders, parseExportFormat } from '@/lib/api/export-format';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { exportUserData } from '@/server/tasks/data';

/** The user's tasks and lists as a download (`?format=json|csv`), streamed as it is read. */
export const GET = taskRoute(async ({ url, userId }) => {
  const format = parseExportFormat(url.searchParams);
  const file = await exportUserData(userId, format);
  return new Response(file.body, { headers: exportHeaders(format, file.today) });
});

export const POST = methodNotAllowed('exportData');
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
