/**
 * `npm run bench`: every benchmark, one after another (the machine has two cores; benches running at
 * once would measure each other). Each writes its own bench/results/<name>.json; a bench whose data
 * set is missing says so and exits 0. Add a new bench to BENCHES.
 *
 *   npm run bench            all of them
 *   npm run bench -- ingest  only those whose file name contains "ingest"
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bench entry points, in the order they run (helpers such as http-load.ts are not listed). */
const BENCHES = ['mapping-goldset.ts', 'ingest.ts', 'injection-eval.ts', 'hardening.ts', 'web-size.ts', 'events.ts'];

const filter = process.argv[2];
const failed: string[] = [];
for (const file of BENCHES.filter((f) => !filter || f.includes(filter))) {
  const full = path.join(here, file);
  if (!existsSync(full)) {
    console.log(`\n== ${file}: not present, skipped`);
    continue;
  }
  console.log(`\n== ${file}`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', full], { stdio: 'inherit', env: process.env });
  console.log(`== ${file}: exit ${r.status ?? r.signal} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) failed.push(file);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
