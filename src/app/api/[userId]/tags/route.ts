import { json } from '@/lib/api/responses';
import { getDb } from '@/server/db/client';
import { methodNotAllowed, taskRoute } from '@/server/http/task-route';
import { listTags } from '@/server/tasks/tags';

/** Every tag the user's tasks carry, with how many carry it. */
export const GET = taskRoute(async ({ userId }) => json(await listTags(await getDb(), userId)));

export const POST = methodNotAllowed('tags');
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
