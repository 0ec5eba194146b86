import { Command } from 'commander';
import { serve } from './serve.js';
import { registerMigrate } from './migrate.js';
import { registerKeys } from './keys.js';
import { registerImport } from './import.js';
import { registerRecompute } from './recompute.js';
import { registerIngest } from './ingest.js';
import { registerWorker } from './worker.js';
import { registerExtract } from './extract.js';
import { registerLlm } from './llm.js';

const program = new Command('agi-tracker').description('AGI Tracker: evidence-first progress index').showHelpAfterError();

program
  .command('serve')
  .description('serve the API and dashboard (migrates and loads data first)')
  .option('--worker', 'also process queued ingestion jobs in this process (with REDIS_URL)')
  .action(serve);
registerMigrate(program);
registerKeys(program);
registerImport(program);
registerRecompute(program);
registerIngest(program);
registerWorker(program);
registerExtract(program);
registerLlm(program);

await program.parseAsync(process.argv);
