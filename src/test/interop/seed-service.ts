import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '@/server/auth/sign-access-token';
import { callProxy, signUp, tokenFor, type TestUser } from '@/test/app';
import { problemOf } from '@/test/contract/task-api-contract';
import { fastApiAvailable, startFastApi, type FastApi, type FastApiTokenStyle } from '../../../support/fastapi';

/**
 * Tasklane in front of the seeds' FastAPI task service (interop/fastapi, run from Debian's
 * python3 packages against PostgreSQL): each file configures the app's tokens one way before it
 * loads (HS256 with python-jose, HS256 with PyJWT's issuer and audience, EdDSA through the JWKS),
 * points BACKEND_URL at a fixture verifying them that way, and runs these rows.
 */

export interface SeedServiceSetup {
  style: FastApiTokenStyle;
  /** The fixture's port, which BACKEND_URL already names. */
  port: number;
  secret?: string;
  issuer: string;
  audience: string;
  /** For the JWKS style: where the fixture fetches the app's public keys. */
  jwksUrl?: string;
  /** A token for `user` the fixture must refuse: signed with another secret, or another key. */
  foreignToken: (user: TestUser) => Promise<string>;
}

export function requireFastApi(): void {
  // In CI the packages are installed by .ci/run: their absence there is a failure, never a skip.
  if (!fastApiAvailable()) {
    throw new Error(
      "Debian's FastAPI packages are missing: apt-get install -y python3-fastapi python3-sqlmodel python3-jose python3-jwt python3-psycopg2 uvicorn (see interop/fastapi/README.md)",
    );
  }
}

export function describeSeedService(name: string, setup: SeedServiceSetup) {
  describe(`Tasklane in front of the seeds' FastAPI service: ${name}`, () => {
    let service: FastApi;
    let database: pg.Client;
    let alice: TestUser;
    let bob: TestUser;

    beforeAll(async () => {
      requireFastApi();
      service = await startFastApi({ style: setup.style, port: setup.port, secret: setup.secret, issuer: setup.issuer, audience: setup.audience, jwksUrl: setup.jwksUrl });
      database = new pg.Client({ connectionString: service.databaseUrl });
      await database.connect();
      alice = await signUp('Alice');
      bob = await signUp('Bob');
    });

    afterAll(async () => {
      await database?.end();
      await service?.stop();
    });

    /** The fixture called directly, as another client of the service would. */
    const direct = (token: string, user: TestUser, init: RequestInit = {}) =>
      fetch(`${service.url}/api/${user.id}/tasks`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    const rowsOf = async (user: TestUser) =>
      (await database.query<{ title: string; completed: boolean }>('SELECT title, completed FROM interop_task WHERE user_id = $1 ORDER BY id', [user.id])).rows;

    describe('tokens', () => {
      it('accepts a token from /api/auth/token', async () => {
        const response = await direct(await tokenFor(alice), alice);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual([]);
      });

      it('refuses an expired token', async () => {
        const expired = await signAccessToken({ id: alice.id, email: alice.email }, -120);
        const response = await direct(expired, alice);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ detail: 'Token has expired' });
      });

      it('refuses a token whose claims were changed after signing (another user)', async () => {
        const [header, payload, signature] = (await tokenFor(alice)).split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
        const forged = Buffer.from(JSON.stringify({ ...claims, sub: bob.id, user_id: bob.id })).toString('base64url');
        expect((await direct(`${header}.${forged}.${signature}`, bob)).status).toBe(401);
      });

      it('refuses a token signed with another secret or key', async () => {
        expect((await direct(await setup.foreignToken(alice), alice)).status).toBe(401);
      });

      it("refuses one user's token on another user's tasks (the seeds' 403)", async () => {
        const response = await direct(await tokenFor(alice), bob);
        expect(response.status).toBe(403);
      });
    });

    describe('the proxy', () => {
      it('creates, lists, reads, replaces, toggles and deletes through /api/proxy/me/..., and the rows are in the service', async () => {
        const created = await callProxy('POST', 'me/tasks', { cookie: alice.cookie, body: { title: 'Buy milk', description: 'two litres' } });
        expect(created.status).toBe(201);
        const task = (await created.json()) as { id: number; user_id: string; title: string; completed: boolean };
        expect(task).toMatchObject({ user_id: alice.id, title: 'Buy milk', completed: false });
        expect(await rowsOf(alice)).toEqual([{ title: 'Buy milk', completed: false }]);

        const list = await callProxy('GET', 'me/tasks', { cookie: alice.cookie });
        expect(list.status).toBe(200);
        expect(((await list.json()) as { id: number }[]).map((each) => each.id)).toEqual([task.id]);
        // The service sends everything at once: no pages, no count to pass on.
        expect(list.headers.get('link')).toBeNull();

        expect(await (await callProxy('GET', `me/tasks/${task.id}`, { cookie: alice.cookie })).json()).toMatchObject({ id: task.id, title: 'Buy milk' });

        const replaced = await callProxy('PUT', `me/tasks/${task.id}`, { cookie: alice.cookie, body: { title: 'Buy oat milk', description: 'two litres' } });
        expect(replaced.status).toBe(200);
        expect(await replaced.json()).toMatchObject({ title: 'Buy oat milk', description: 'two litres' });

        const toggled = await callProxy('PATCH', `me/tasks/${task.id}/complete`, { cookie: alice.cookie });
        expect(toggled.status).toBe(200);
        expect(await toggled.json()).toMatchObject({ completed: true });
        expect(await rowsOf(alice)).toEqual([{ title: 'Buy oat milk', completed: true }]);

        const deleted = await callProxy('DELETE', `me/tasks/${task.id}`, { cookie: alice.cookie });
        expect(deleted.status).toBe(200);
        expect(await rowsOf(alice)).toEqual([]);
        const gone = await callProxy('GET', `me/tasks/${task.id}`, { cookie: alice.cookie });
        expect(gone.status).toBe(404);
        expect(await gone.json()).toEqual({ detail: 'Task not found' });
      });

      it("keeps users apart: another user's id in the path is refused by the service, and me is always the session's user", async () => {
        const created = await callProxy('POST', 'me/tasks', { cookie: bob.cookie, body: { title: "Bob's" } });
        const { id } = (await created.json()) as { id: number };
        expect((await callProxy('GET', `${bob.id}/tasks`, { cookie: alice.cookie })).status).toBe(403);
        expect((await callProxy('GET', `me/tasks/${id}`, { cookie: alice.cookie })).status).toBe(404);
        expect((await callProxy('DELETE', `me/tasks/${id}`, { cookie: alice.cookie })).status).toBe(404);
        expect(await rowsOf(bob)).toEqual([{ title: "Bob's", completed: false }]);
      });

      it("answers 401 without a session before the service is asked, and passes the service's 422 on", async () => {
        const anonymous = await callProxy('GET', 'me/tasks');
        expect(anonymous.status).toBe(401);
        await problemOf(anonymous);
        const invalid = await callProxy('POST', 'me/tasks', { cookie: alice.cookie, body: { description: 'no title' } });
        expect(invalid.status).toBe(422);
        expect(((await invalid.json()) as { detail: { loc: string[] }[] }).detail[0]!.loc).toEqual(['body', 'title']);
      });

      it('answers 502 with a problem once the service is down, and nothing is written', async () => {
        await service.stop();
        const response = await callProxy('POST', 'me/tasks', { cookie: alice.cookie, body: { title: 'lost?' } });
        expect(response.status).toBe(502);
        expect(response.headers.get('retry-after')).toBe('5');
        const problem = await problemOf(response);
        expect(problem.detail).toMatch(/could not be reached/);
        expect(await rowsOf(alice)).toEqual([]);
      });
    });
  });
}
