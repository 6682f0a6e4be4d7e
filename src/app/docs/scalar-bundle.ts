import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Scalar's standalone bundle, served by the app itself (no third-party CDN) under a URL naming its version. */
const BUNDLE = path.join(/*turbopackIgnore: true*/ process.cwd(), 'node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js');
/** The installed @scalar/api-reference (a unit test holds this to package-lock.json). */
export const SCALAR_VERSION = '1.76.0';
export const SCALAR_BUNDLE_PATH = `/docs/scalar.js?v=${SCALAR_VERSION}`;

let bundle: Promise<Buffer> | undefined;

export function readScalarBundle(): Promise<Buffer> {
  bundle ??= readFile(BUNDLE).catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}
