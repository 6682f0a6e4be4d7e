/* eslint-disable no-restricted-properties -- starts server.mjs with the environment under test */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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

  it('refuses a port that is not a number', () => {
    const result = start({ PORT: '80abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT must be a port number/);
  });
});
