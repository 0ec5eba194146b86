#!/usr/bin/env node
// The CLI runs from the build made by `npm ci` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('agi-tracker: the build is missing; run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
await import(entry.href);
