import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { parseJsonLines } from '../services/bootstrap-service.js';
import { fail, printJson, withContext } from './run.js';

export function registerImport(program: Command): void {
  program
    .command('import <file>')
    .description('load curated events from a JSON-lines file (dedup by content hash; bad lines reported, never half-written)')
    .action(async (file: string) => {
      const text = await fs.readFile(file, 'utf8').catch((err: Error) => fail(`cannot read ${file}: ${err.message}`));
      await withContext(async (ctx) => {
        const report = await ctx.services.imports.importLines(parseJsonLines(text), { method: 'manual' });
        printJson({ inserted: report.inserted, duplicate: report.duplicates, rejected: report.rejected.length, errors: report.rejected });
        if (report.rejected.length > 0) process.exitCode = 2;
      });
    });
}
