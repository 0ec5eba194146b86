import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, the same from TypeScript sources (src/) and from the build (dist/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CATALOG_DIR = path.join(REPO_ROOT, 'catalog');
export const WEB_DIST_DIR = path.join(REPO_ROOT, 'dist', 'web');
