import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { problemSchema } from '@/lib/api/problem';
import { PASSWORD_MAX, PASSWORD_MIN } from '@/lib/auth-rules';
import { bulkChangeSchema, bulkResultSchema } from '@/lib/api/bulk-schemas';
import { createListSchema, listSchema, renameTagSchema, tagSummarySchema, updateListSchema } from '@/lib/api/list-schemas';
import { markReadSchema, notificationSchema, notificationsParamsSchema } from '@/lib/api/notification-schemas';
import { CSV_COLUMNS, exportParamsSchema, exportSchema, importResultSchema } from '@/lib/api/export-format';
import { IMPORT_MAX_TASKS } from '@/lib/api/limits';
import { completeTaskSchema, createTaskSchema, listTasksParamsSchema, taskSchema, updateTaskSchema } from '@/lib/api/task-schemas';

/**
 * The API as OpenAPI 3.1, built from the same zod schemas the handlers validate with, so the
 * document cannot describe fields or limits the API does not enforce; `/docs` renders it.
 */

const userId = z.string().meta({ description: 'The token’s `sub`, or `me`.', example: 'me' });
const taskId = z.string().regex(/^[1-9]\d*$/).meta({ description: 'The task id.', example: '42' });
const collectionParams = { path: z.object({ user_id: userId }) };
const itemParams = { path: z.object({ user_id: userId, task_id: taskId }) };

const problem = (description: string, headers?: z.ZodObject) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: problemSchema } },
});

const retryAfter = z.object({ 'Retry-After': z.string().meta({ description: 'Seconds to wait before retrying.' }) });

/** The answers every task API operation can give besides its success. */
const commonProblems: ZodOpenApiResponsesObject = {
  '401': problem(
    'No Bearer token, or an expired or invalid one.',
    z.object({ 'WWW-Authenticate': z.string().meta({ example: 'Bearer error="invalid_token"' }) }),
  ),
  '403': problem('`{user_id}` is neither `me` nor the token’s `sub`.'),
  '429': problem('Too many requests.', retryAfter),
  '503': problem('The database does not answer; nothing was written.', retryAfter),
};
const bodyProblems: ZodOpenApiResponsesObject = {
  '400': problem('The body is not JSON.'),
  '413': problem('The body is over 64 KB.'),
  '415': problem('The body is not `application/json`.'),
  '422': problem('Validation failed or an unknown field was sent; `errors` lists every problem.'),
};
const notFound: ZodOpenApiResponsesObject = {
  '404': problem('No such task for this user (unknown, not an integer, or another user’s: the same answer).'),
};

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const etag = z.object({ ETag: z.string().meta({ description: 'The task’s version: send it as If-Match to change only that version, or If-None-Match to read it again only if changed.' }) });
const taskResponse = { description: 'The task.', headers: etag, ...json(taskSchema) };
/** The conditional writes: `If-Match` names the versions the write may change (`*`: any). */
const writeParams = {
  ...itemParams,
  header: z.object({ 'if-match': z.string().optional().meta({ description: 'ETags (or `*`): change the task only if it is still one of these versions; otherwise 412.' }) }),
};
const stale: ZodOpenApiResponsesObject = {
  '400': problem('A malformed If-Match or If-None-Match.'),
  '412': problem('If-Match names no current version: the task changed since it was read; nothing was changed.'),
};

function operation(summary: string, spec: Omit<ZodOpenApiOperationObject, 'summary'>): ZodOpenApiOperationObject {
  return { summary, security: [{ bearer: [] }], ...spec, responses: { ...spec.responses, ...commonProblems } };
}

const updateOperation = (method: string) =>
  operation(`Update a task (${method}: any non-empty subset of the fields)`, {
    tags: ['Tasks'],
    requestParams: writeParams,
    requestBody: { required: true, ...json(updateTaskSchema) },
    responses: { '200': taskResponse, ...notFound, ...bodyProblems, ...stale },
  });

const listId = z.string().regex(/^[1-9]\d*$/).meta({ description: 'The list id.', example: '3' });
const tagName = z.string().min(1).meta({ description: 'The tag name, percent-encoded; any case.', example: 'errands' });
const listParams = { path: z.object({ user_id: userId, list_id: listId }) };
const tagParams = { path: z.object({ user_id: userId, tag_name: tagName }) };
const listNotFound: ZodOpenApiResponsesObject = { '404': problem('No such list for this user (unknown or another user’s: the same answer).') };
const tagNotFound: ZodOpenApiResponsesObject = { '404': problem('No such tag for this user.') };
const location = z.object({ Location: z.string().meta({ description: 'The new resource’s URL.' }) });

/**
 * Better Auth's endpoints a client of the task API needs: an account, a session, a token. They
 * answer JSON (Better Auth's own shapes), not problem documents, on failure.
 */
const session = z.object({ token: z.string(), user: z.object({ id: z.string(), name: z.string(), email: z.email(), timezone: z.string() }) });
const authError = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.object({ code: z.string().optional(), message: z.string() }) } },
});
const authPaths = {
  '/api/auth/sign-up/email': {
    post: {
      summary: 'Create an account (and sign in: the session cookie is set)',
      tags: ['Authentication'],
      requestBody: {
        required: true,
        ...json(
          z.object({
            name: z.string().min(1),
            email: z.email(),
            password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
            timezone: z.string().optional().meta({ description: 'IANA time zone (default UTC).', example: 'Europe/Paris' }),
          }),
        ),
      },
      responses: { '200': { description: 'Signed up; `Set-Cookie` carries the session.', ...json(session) }, '400': authError('Invalid input, or a common password.'), '422': authError('The email has an account.'), '429': authError('Too many attempts (`Retry-After`).') },
    },
  },
  '/api/auth/sign-in/email': {
    post: {
      summary: 'Sign in (the session cookie is set)',
      tags: ['Authentication'],
      requestBody: { required: true, ...json(z.object({ email: z.email(), password: z.string() })) },
      responses: { '200': { description: 'Signed in; or, with two-factor authentication on, `{ twoFactorRedirect: true, twoFactorMethods: ["totp"] }` and no session until `/two-factor/verify-totp`.', ...json(z.union([session, z.object({ twoFactorRedirect: z.literal(true), twoFactorMethods: z.array(z.string()) })])) }, '401': authError('Wrong email or password.'), '429': authError('Too many attempts (`Retry-After`).') },
    },
  },
  '/api/auth/sign-out': {
    post: { summary: 'Sign out: the session ends', tags: ['Authentication'], responses: { '200': { description: 'Signed out.', ...json(z.object({ success: z.boolean() })) } } },
  },
  '/api/auth/get-session': {
    get: { summary: 'The session and its user, or null', tags: ['Authentication'], responses: { '200': { description: 'The session, or `null`.', ...json(z.object({ session: z.object({ id: z.string(), expiresAt: z.string() }), user: session.shape.user }).nullable()) } } },
  },
  '/api/auth/request-password-reset': {
    post: {
      summary: 'Mail a single-use link, valid for one hour, to choose a new password',
      description: 'The same answer, in at least 250 ms, whether or not the address has an account. Off (400) with MAIL_ACCOUNTS=off.',
      tags: ['Authentication'],
      requestBody: { required: true, ...json(z.object({ email: z.email(), redirectTo: z.string().optional().meta({ example: '/reset-password' }) })) },
      responses: { '200': { description: 'Mailed if the address has an account.', ...json(z.object({ status: z.boolean(), message: z.string() })) }, '400': authError('Not an email address.'), '429': authError('Too many requests (3 a minute; `Retry-After`).') },
    },
  },
  '/api/auth/reset-password': {
    post: {
      summary: 'Set a new password with the token from the mailed link; every session of the user ends',
      tags: ['Authentication'],
      requestBody: { required: true, ...json(z.object({ token: z.string(), newPassword: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX) })) },
      responses: { '200': { description: 'Password changed.', ...json(z.object({ status: z.boolean() })) }, '400': authError('`INVALID_TOKEN` (used, expired or unknown), or a short, long or common password: nothing changed.') },
    },
  },
  '/api/auth/send-verification-email': {
    post: {
      summary: 'Mail the link that verifies the account’s email address again',
      tags: ['Authentication'],
      requestBody: { required: true, ...json(z.object({ email: z.email(), callbackURL: z.string().optional().meta({ example: '/tasks' }) })) },
      responses: { '200': { description: 'Mailed.', ...json(z.object({ status: z.boolean() })) }, '400': authError('Already verified, or not the signed-in user’s address.'), '429': authError('Too many requests (3 a minute; `Retry-After`).') },
    },
  },
  '/api/auth/verify-email': {
    get: {
      summary: 'The link in the verification mail: verifies the address, then redirects to `callbackURL`',
      tags: ['Authentication'],
      requestParams: { query: z.object({ token: z.string(), callbackURL: z.string().optional().meta({ example: '/tasks' }) }) },
      responses: { '302': { description: 'Verified (and signed in), or the email changed to the address the link was mailed to; or `callbackURL?error=INVALID_TOKEN`.' } },
    },
  },
  '/api/auth/change-email': {
    post: {
      summary: 'Mail a link to a new address; the account’s email changes (verified) when it is followed',
      description: 'The same answer whether or not the new address has an account (a taken one gets no mail and nothing changes). Off (400) with MAIL_ACCOUNTS=off.',
      tags: ['Authentication'],
      requestBody: { required: true, ...json(z.object({ newEmail: z.email(), callbackURL: z.string().optional().meta({ example: '/settings?email=changed' }) })) },
      responses: {
        '200': { description: 'Mailed to the new address, if it is free.', ...json(z.object({ status: z.boolean() })) },
        '400': authError('Not an email address, or the current one.'),
        '401': authError('Not signed in.'),
        '429': authError('Too many requests (3 a minute; `Retry-After`).'),
      },
    },
  },
  '/api/auth/update-user': {
    post: {
      summary: 'Change your name, time zone, or whether reminders are mailed',
      tags: ['Authentication'],
      requestBody: {
        required: true,
        ...json(
          z.object({
            name: z.string().optional(),
            timezone: z.string().optional().meta({ example: 'Europe/Paris' }),
            emailReminders: z.boolean().optional().meta({ description: 'Mail each reminder when it fires (default true).' }),
          }),
        ),
      },
      responses: { '200': { description: 'Changed.', ...json(z.object({ status: z.boolean() })) }, '400': authError('An unknown time zone, or emailReminders not a boolean.') },
    },
  },
  '/api/auth/two-factor/enable': {
    post: {
      summary: 'Start turning on two-factor authentication (TOTP): the authenticator URI and 10 backup codes',
      description: 'On once `/two-factor/verify-totp` confirms a code from the app. Then `/sign-in/email` answers `{ twoFactorRedirect: true }` (no session) and the code goes to `/two-factor/verify-totp` or a backup code to `/two-factor/verify-backup-code`. `/two-factor/disable` and `/two-factor/generate-backup-codes` take `{ password }` too.',
      tags: ['Authentication'],
      requestBody: { required: true, ...json(z.object({ password: z.string() })) },
      responses: {
        '200': { description: 'The setup.', ...json(z.object({ totpURI: z.string().meta({ example: 'otpauth://totp/Tasklane:ada%40example.com?secret=…&issuer=Tasklane&digits=6&period=30' }), backupCodes: z.array(z.string()) })) },
        '400': authError('`INVALID_PASSWORD`: nothing changed.'),
        '429': authError('Too many attempts (`Retry-After`).'),
      },
    },
  },
  '/api/auth/two-factor/verify-totp': {
    post: {
      summary: 'A 6-digit code from the authenticator app: confirms the setup, or completes a sign-in (the session cookie is set)',
      description: 'Each code works once. `trustDevice`: skip the code on this browser for 30 days.',
      tags: ['Authentication'],
      requestBody: { required: true, ...json(z.object({ code: z.string().meta({ example: '123456' }), trustDevice: z.boolean().optional() })) },
      responses: { '200': { description: 'Verified.', ...json(session) }, '401': authError('`INVALID_CODE` (wrong or already used), or no sign-in in progress.'), '429': authError('Too many attempts (`Retry-After`).') },
    },
  },
  '/api/auth/token': {
    get: {
      summary: 'A 15-minute access token for the task API (with a session cookie)',
      description: 'Paste it under Authentication here (Bearer) to try the endpoints below.',
      tags: ['Authentication'],
      responses: { '200': { description: 'The token.', ...json(z.object({ token: z.string() })) }, '401': problem('No session.') },
    },
  },
  '/api/auth/jwks': {
    get: { summary: 'The public keys that verify every token the app issues (JWK Set)', tags: ['Authentication'], responses: { '200': { description: 'The JWK Set.', ...json(z.object({ keys: z.array(z.record(z.string(), z.unknown())) })) } } },
  },
};

export function openApiDocument(serverUrl: string) {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tasklane API',
      version: '1.1.0',
      description:
        'Tasks, lists and tags of the user a Bearer JWT names: sign in, get a token from `GET /api/auth/token`, and send it as `Authorization: Bearer <token>` (public keys at `/api/auth/jwks`). `{user_id}` is the token’s `sub` or `me`. Browsers use the same paths under `/api/proxy/` with their session cookie instead of a token. Every error is `application/problem+json`.',
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: 'Tasks' },
      { name: 'Lists' },
      { name: 'Tags' },
      { name: 'Your data', description: 'Export and import.' },
      { name: 'Authentication', description: 'Better Auth’s endpoints a client needs; state-changing ones need a same-origin `Origin`.' },
    ],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths: {
      '/api/{user_id}/tasks': {
        get: operation('Find tasks: filter, search, sort, page', {
          tags: ['Tasks'],
          requestParams: { ...collectionParams, query: listTasksParamsSchema },
          responses: {
            '200': {
              description: 'One page of tasks.',
              headers: z.object({
                'X-Total-Count': z.string().meta({ description: 'How many tasks match the filter.' }),
                Link: z.string().optional().meta({ description: 'The next page, when more remain: `<url>; rel="next"`.' }),
              }),
              ...json(z.array(taskSchema)),
            },
            '422': problem('An invalid parameter (named in `errors`), a list that is not yours, or a cursor of another query.'),
          },
        }),
        post: operation('Create a task', {
          tags: ['Tasks'],
          requestParams: collectionParams,
          requestBody: { required: true, ...json(createTaskSchema) },
          responses: { '201': { description: 'The task.', headers: location, ...json(taskSchema) }, ...bodyProblems },
        }),
      },
      '/api/{user_id}/tasks/bulk': {
        post: operation('Change many tasks at once (ids or a filter), in one transaction', {
          tags: ['Tasks'],
          requestParams: collectionParams,
          requestBody: { required: true, ...json(bulkChangeSchema) },
          responses: { '200': { description: 'How many of your tasks the action matched.', ...json(bulkResultSchema) }, ...bodyProblems },
        }),
      },
      '/api/{user_id}/tasks/{task_id}': {
        get: operation('Get a task', {
          tags: ['Tasks'],
          requestParams: { ...itemParams, header: z.object({ 'if-none-match': z.string().optional().meta({ description: 'ETags (or `*`): 304 if the task is still one of these versions.' }) }) },
          responses: { '200': taskResponse, '304': { description: 'Not modified: the version named in If-None-Match is current.', headers: etag }, ...notFound, '400': stale['400']! },
        }),
        put: updateOperation('PUT'),
        patch: updateOperation('PATCH'),
        delete: operation('Delete a task', { tags: ['Tasks'], requestParams: writeParams, responses: { '204': { description: 'Deleted.' }, ...notFound, ...stale } }),
      },
      '/api/{user_id}/tasks/{task_id}/complete': {
        patch: operation('Complete a task: no body toggles, `{"completed": bool}` sets', {
          tags: ['Tasks'],
          requestParams: writeParams,
          requestBody: { required: false, ...json(completeTaskSchema) },
          responses: { '200': taskResponse, ...notFound, ...bodyProblems, ...stale },
        }),
      },
      '/api/{user_id}/lists': {
        get: operation('Your lists, in order', { tags: ['Lists'], requestParams: collectionParams, responses: { '200': { description: 'The lists.', ...json(z.array(listSchema)) } } }),
        post: operation('Create a list (it goes last)', {
          tags: ['Lists'],
          requestParams: collectionParams,
          requestBody: { required: true, ...json(createListSchema) },
          responses: { '201': { description: 'The list.', headers: location, ...json(listSchema) }, '409': problem('You have a list of that name (ignoring case).'), ...bodyProblems },
        }),
      },
      '/api/{user_id}/lists/{list_id}': {
        patch: operation('Rename, recolour or move a list', {
          tags: ['Lists'],
          requestParams: listParams,
          requestBody: { required: true, ...json(updateListSchema) },
          responses: { '200': { description: 'The list.', ...json(listSchema) }, '409': problem('You have a list of that name (ignoring case).'), ...listNotFound, ...bodyProblems },
        }),
        delete: operation('Delete a list and its tasks', { tags: ['Lists'], requestParams: listParams, responses: { '204': { description: 'Deleted, with its tasks.' }, ...listNotFound } }),
      },
      '/api/{user_id}/tags': {
        get: operation('Every tag your tasks carry, with counts', { tags: ['Tags'], requestParams: collectionParams, responses: { '200': { description: 'The tags, by name ignoring case.', ...json(z.array(tagSummarySchema)) } } }),
      },
      '/api/{user_id}/tags/{tag_name}': {
        patch: operation('Rename a tag on every task (merging into an existing one)', {
          tags: ['Tags'],
          requestParams: tagParams,
          requestBody: { required: true, ...json(renameTagSchema) },
          responses: { '200': { description: 'The tag.', ...json(tagSummarySchema) }, ...tagNotFound, ...bodyProblems },
        }),
        delete: operation('Remove a tag from every task', { tags: ['Tags'], requestParams: tagParams, responses: { '204': { description: 'Removed.' }, ...tagNotFound } }),
      },
      '/api/{user_id}/notifications': {
        get: operation('Reminders that fired, newest first (at most 200)', {
          tags: ['Reminders'],
          requestParams: { ...collectionParams, query: notificationsParamsSchema },
          responses: { '200': { description: 'The notifications.', ...json(z.array(notificationSchema)) }, '422': problem('`unread` is neither true nor false.') },
        }),
      },
      '/api/{user_id}/notifications/read': {
        post: operation('Mark notifications read', {
          tags: ['Reminders'],
          requestParams: collectionParams,
          requestBody: { required: true, ...json(markReadSchema) },
          responses: { '204': { description: 'Read (ids that are not yours change nothing).' }, ...bodyProblems },
        }),
      },
      '/api/{user_id}/calendar-feed': {
        post: operation('Make (or replace) your calendar feed address', {
          tags: ['Reminders'],
          requestParams: collectionParams,
          responses: {
            '201': {
              description: 'The feed’s address (`…/api/calendar/<secret>.ics`, an iCalendar file of your pending tasks with a due date). Shown once: only its hash is kept; a new one ends the old.',
              ...json(z.object({ url: z.url() })),
            },
          },
        }),
        delete: operation('Turn your calendar feed off', { tags: ['Reminders'], requestParams: collectionParams, responses: { '204': { description: 'Off: the address answers 404.' } } }),
      },
      '/api/{user_id}/export': {
        get: operation('Download your data: JSON { user, lists, tasks } or a CSV of your tasks', {
          tags: ['Your data'],
          description:
            'An attachment (`Content-Disposition: attachment; filename="tasklane-export-YYYY-MM-DD.json"`), streamed as it is read, whatever the number of tasks. ' +
            `CSV: the header row \`${CSV_COLUMNS.join(',')}\`, RFC 4180 quoting, \`tags\` comma-separated in one field, \`list\` by name; a cell that starts with = + - @ tab, CR or \`'\` starts with one more \`'\` (formula injection), which import takes off again.`,
          requestParams: { ...collectionParams, query: exportParamsSchema },
          responses: {
            '200': {
              description: 'The file.',
              headers: z.object({ 'Content-Disposition': z.string().meta({ example: 'attachment; filename="tasklane-export-2026-12-03.json"' }) }),
              content: { 'application/json': { schema: exportSchema }, 'text/csv': { schema: z.string() } },
            },
            '422': problem('`format` is neither json nor csv.'),
          },
        }),
      },
      '/api/{user_id}/import': {
        post: operation('Add the tasks and lists of an export (JSON) or a CSV: all or nothing', {
          tags: ['Your data'],
          description:
            `Up to 10 MB and ${IMPORT_MAX_TASKS.toLocaleString('en')} tasks. Lists are matched by name (ignoring case) or created; tasks get new ids; \`id\`, \`user_id\` and \`updated_at\` are ignored, \`created_at\` and \`completed_at\` kept; ` +
            'each task is checked as a create body is. CSV: only `title` is required among the columns. One transaction: a bad row is a 422 naming it (`tasks.3.due_date`, or `row 4: due_date` with the header as row 1) and nothing is imported.',
          requestParams: collectionParams,
          requestBody: { required: true, content: { 'application/json': { schema: exportSchema.partial({ user: true, lists: true }) }, 'text/csv': { schema: z.string() } } },
          responses: {
            '200': { description: 'How many tasks were added.', ...json(importResultSchema) },
            '400': problem('Not UTF-8, or JSON that does not parse.'),
            '413': problem('The body is over 10 MB.'),
            '415': problem('Neither `application/json` nor `text/csv`.'),
            '422': problem('Not an export, a CSV without a title column, or invalid rows (each named in `errors`); nothing was imported.'),
          },
        }),
      },
      ...authPaths,
    },
  });
}
