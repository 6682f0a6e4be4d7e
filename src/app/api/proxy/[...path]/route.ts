import { withRequest } from '@/server/http/with-request';
import { forward } from '@/server/proxy/forward';
import { taskApi } from '../../[userId]/task-api';

// The browser's way to the task API (server/proxy/forward.ts). Only the proxy's own refusals are
// logged here; one the task API makes behind it is logged there, under the same request id.
const proxy = withRequest((call) => forward(call, taskApi), { refusals: { 401: 'proxy_unauthorized', 403: 'proxy_forbidden' } });

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE };
