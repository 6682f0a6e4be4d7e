/* eslint-disable no-restricted-properties -- starts server.mjs with the environment under test */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, startApp } from '../../../support/processes';

// server.mjs checks its own listen settings before loading the app: a bad one stops it at once
// with one line naming every problem, instead of listening somewhere unexpected.

function start(env: Record<string, string>) {
  const { TEST: _test, ...inherited } = process.env;
  return spawnSync(process.execPath, [path.join(process.cwd(), 'server.mjs')], {
    env: { ...inherited, NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('npm start with bad listen settings', () => {
  it('stops with exit code 1 and one line naming PORT, HOSTNAME and TRUST_PROXY', () => {
    const result = start({ PORT: '70000', HOSTNAME: 'not a host!', TRUST_PROXY: 'yes' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Tasklane cannot start: /);
    for (const name of ['PORT', 'HOSTNAME', 'TRUST_PROXY']) expect(lines[0]).toContain(name);
  });

  it('an invalid app configuration stops the built app at boot with one line naming every variable', () => {
    const result = start({ PORT: '3299', HOSTNAME: '127.0.0.1', BETTER_AUTH_URL: 'ftp://example.com', DATABASE_DRIVER: 'mysql', TASKLANE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tasklane-config-')) });
    expect(result.status).toBe(1);
    const line = result.stderr.split('\n').find((text) => text.startsWith('Tasklane cannot start: '));
    expect(line, result.stderr).toBeDefined();
    expect(line).toContain('BETTER_AUTH_URL');
    expect(line).toContain('DATABASE_DRIVER');
  });

  it('stops in one line on a BACKEND_URL that is plain http to a public host in production, naming it and never its password', () => {
    const result = start({
      PORT: '3299',
      HOSTNAME: '127.0.0.1',
      BACKEND_URL: 'http://tasks.example.com:8000',
      ACCESS_TOKEN_ALG: 'HS512',
      TASKLANE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tasklane-config-')),
    });
    expect(result.status).toBe(1);
    const line = result.stderr.split('\n').find((text) => text.startsWith('Tasklane cannot start: '));
    expect(line, result.stderr).toMatch(/BACKEND_URL must use https in production/);
    expect(line).toContain('ACCESS_TOKEN_ALG must be EdDSA (the default) or HS256');
    const withPassword = start({ PORT: '3299', HOSTNAME: '127.0.0.1', BACKEND_URL: 'https://svc:hunter2-leaks@tasks.example.com', TASKLANE_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tasklane-config-')) });
    expect(withPassword.status).toBe(1);
    expect(withPassword.stderr).toMatch(/BACKEND_URL must not hold a user name or password/);
    expect(withPassword.stderr + withPassword.stdout).not.toContain('hunter2');
  });

  it('refuses a port that is not a number', () => {
    const result = start({ PORT: '80abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT must be a port number/);
  });
});

describe('npm start stopping', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0; what it wrote is there after a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tasklane-sigterm-'));
    try {
      const app = await startApp({ port: await freePort(), dataDir });
      const { hostname, port } = new URL(app.origin);
      const body = JSON.stringify({ name: 'Late', email: 'late@example.com', password: 'correct-horse-battery' });
      // A sign-up whose body is still arriving when the signal comes.
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          { host: hostname, port, method: 'POST', path: '/api/auth/sign-up/email', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: app.origin } },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          process.kill(app.pid, 'SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 1000);
        }, 300);
      });
      await new Promise((resolve) => setTimeout(resolve, 800));
      // Not accepting: a new connection is refused while the first request is still running.
      await expect(fetch(`${app.origin}/api/health`)).rejects.toThrow();
      const finished = await answer;
      expect(finished.status, finished.text).toBe(200);
      expect(await app.exited()).toBe(0);
      expect(app.output()).toContain('database closed');
      await app.stop();

      const again = await startApp({ port: await freePort(), dataDir });
      try {
        const signIn = await fetch(`${again.origin}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: again.origin },
          body: JSON.stringify({ email: 'late@example.com', password: 'correct-horse-battery' }),
        });
        expect(signIn.status).toBe(200);
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
