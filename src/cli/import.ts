import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { parseJsonLines } from '../services/bootstrap-service.js';
import { presentImportReport } from '../http/presenters/curation.js';
import { fail, printJson, withContext } from './run.js';

export function registerImport(program: Command): void {
  program
    .command('import <file>')
    .description('load curated events from a JSON-lines file (dedup by content hash; bad lines reported, never half-written)')
    .action(async (file: string) => {
      const text = await fs.readFile(file, 'utf8').catch((err: Error) => fail(`cannot read ${file}: ${err.message}`));
      const rejected = await withContext(async (ctx) => {
        // The same path as POST /v1/admin/events/import: audited, snapshots refreshed, cache tags invalidated.
        const outcome = await ctx.services.curation.importLines(parseJsonLines(text), { method: 'manual' });
        printJson(presentImportReport(outcome));
        return outcome.report.rejected.length;
      });
      // Set after the context is closed: closing embedded Postgres (WASM) resets process.exitCode.
      if (rejected > 0) process.exitCode = 2;
    });
}
