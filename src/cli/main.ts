import { Command } from 'commander';
import { serve } from './serve.js';
import { registerMigrate } from './migrate.js';
import { registerKeys } from './keys.js';
import { registerImport } from './import.js';

const program = new Command('agi-tracker').description('AGI Tracker: evidence-first progress index').showHelpAfterError();

program.command('serve').description('serve the API and dashboard (migrates and loads data first)').action(serve);
registerMigrate(program);
registerKeys(program);
registerImport(program);

await program.parseAsync(process.argv);
