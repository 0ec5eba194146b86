import type { Command } from 'commander';
import { migrateDown, migrateTo, migrateUp, migrationStatus } from '../db/migrate.js';
import { openDatabase } from '../db/database.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { fail, loadEnvironment } from './run.js';

/** Migrations use DATABASE_DIRECT_URL (never the transaction pooler) and need no catalog. */
async function withMigrationDb(fn: (db: Parameters<typeof migrateUp>[0], log: ReturnType<typeof loadEnvironment>['log']) => Promise<void>) {
  const { config, log } = loadEnvironment();
  const database = await openDatabase({
    url: config.database.directUrl,
    dataDir: config.dataDir,
    poolMax: 1,
    applicationName: 'agi-tracker-migrate',
  }).catch((err) => {
    if (err instanceof DataDirLockedError) fail(err.message);
    throw err;
  });
  try {
    await fn(database.db, log);
  } catch (err) {
    fail((err as Error).message);
  } finally {
    await database.close();
  }
}

function print(lines: string[]) {
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'nothing to do\n');
}

export function registerMigrate(program: Command): void {
  const migrate = program.command('migrate').description('apply, revert or list database migrations');
  migrate
    .command('up')
    .description('apply every pending migration')
    .action(() => withMigrationDb(async (db, log) => print(await migrateUp(db, { log }))));
  migrate
    .command('down')
    .description('revert the last applied migration')
    .action(() => withMigrationDb(async (db, log) => print(await migrateDown(db, { log }))));
  migrate
    .command('to <name>')
    .description('migrate up or down to the named revision ("base" reverts everything)')
    .action((name: string) => withMigrationDb(async (db, log) => print(await migrateTo(db, { log }, name))));
  migrate
    .command('status')
    .description('list every migration and whether it is applied')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withMigrationDb(async (db, log) => {
        const status = await migrationStatus(db, { log });
        if (opts.json) return void process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        for (const m of status) {
          process.stdout.write(
            `${m.applied ? 'applied ' : 'pending '} ${m.name}${m.executed_at ? `  (${m.executed_at.toISOString()})` : ''}\n`,
          );
        }
      }),
    );
}
