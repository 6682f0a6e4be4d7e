import { parseImport } from '@/lib/api/export-format';
import { IMPORT_MAX_BYTES } from '@/lib/api/limits';
import { json } from '@/lib/api/responses';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { importUserData } from '@/server/tasks/data';

/** A Tasklane export (JSON) or a CSV of tasks, added to the user's in one transaction: all or nothing. */
export const POST = taskRoute(async ({ request, userId }) => json({ imported: await importUserData(userId, await parseImport(request)) }), { maxBodyBytes: IMPORT_MAX_BYTES });

export const GET = methodNotAllowed('importData');
export const PUT = GET;
export const PATCH = GET;
export const DELETE = GET;
