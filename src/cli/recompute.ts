import type { Command } from 'commander';
import { presentSnapshotReport } from '../http/presenters/curation.js';
import { printJson, withContext } from './run.js';

export function registerRecompute(program: Command): void {
  program
    .command('recompute')
    .description('rebuild index snapshots from the evidence ledger: one day (--as-of, default today) or every stored day from --from')
    .option('--as-of <date>', 'the day to rebuild (YYYY-MM-DD, UTC)')
    .option('--from <date>', 'rebuild this day, every stored day after it and today')
    .option('--preset <code...>', 'only these presets (default: all)')
    .action(async (opts: { asOf?: string; from?: string; preset?: string[] }) => {
      await withContext(async (ctx) => {
        const report = await ctx.services.curation.recompute({ asOf: opts.asOf, from: opts.from, presets: opts.preset });
        printJson(presentSnapshotReport(report));
      });
    });
}
