import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readScalarBundle, SCALAR_VERSION } from './scalar-bundle';

it('names the installed Scalar version in the bundle URL, and the bundle is there', async () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version: string }> };
  expect(SCALAR_VERSION).toBe(lock.packages['node_modules/@scalar/api-reference']!.version);
  expect((await readScalarBundle()).length).toBeGreaterThan(100_000);
});
