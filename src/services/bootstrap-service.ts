import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { AppContext } from '../app/context.js';
import { migrateUp } from '../db/migrate.js';
import { openDatabase } from '../db/database.js';
import { syncCatalog } from './catalog-service.js';
import { CATALOG_DIR } from '../paths.js';
import type { CreatedApiKey } from './api-key-service.js';
import type { ImportLine, ImportReport } from './import-service.js';
import type { SnapshotReport } from './snapshot-service.js';

export interface BootstrapResult {
  migrations: string[];
  catalogUpdated: boolean;
  evidence?: ImportReport;
  createdAdminKey?: CreatedApiKey;
  /** Snapshots written so that today's index exists (none when they were already there and current). */
  snapshots?: SnapshotReport;
}

/** Parses JSON lines; a line that is not JSON becomes a value the import rejects with its line number. */
export function parseJsonLines(text: string): ImportLine[] {
  const lines: ImportLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (err) {
      data = { __invalid_json: (err as Error).message };
    }
    lines.push({ line: i + 1, data });
  });
  return lines;
}

/** Loads the bundled evidence file when it changed since the last load; dedup makes reloading harmless. */
async function loadBundledEvidence(ctx: AppContext): Promise<ImportReport | undefined> {
  const file = path.join(CATALOG_DIR, 'evidence.jsonl');
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const hash = createHash('sha256').update(text).digest('hex');
  const previous = await ctx.repos.appState.get<{ hash: string }>('bundled_evidence');
  if (previous?.hash === hash) return undefined;
  const report = await ctx.services.imports.importLines(parseJsonLines(text), { method: 'manual', sourceId: 'bundled' });
  if (report.rejected.length > 0) {
    ctx.log.warn({ rejected: report.rejected }, 'bundled evidence has rejected lines');
  }
  await ctx.repos.appState.set('bundled_evidence', { hash, inserted: report.inserted, duplicates: report.duplicates });
  return report;
}

/**
 * Today's snapshots must exist once evidence is loaded. When the catalog or the bundled evidence
 * changed, the stored days they affect are rebuilt; otherwise only a missing day is written.
 */
async function ensureSnapshots(ctx: AppContext, result: BootstrapResult): Promise<SnapshotReport | undefined> {
  const snapshots = ctx.services.snapshots;
  if (result.catalogUpdated) return snapshots.recompute({ from: await snapshots.firstEvidenceDay() });
  if (result.evidence && result.evidence.event_ids.length > 0) {
    const from = await ctx.repos.events.earliestPublishedDay(result.evidence.event_ids);
    return snapshots.recompute(from ? { from: from > ctx.services.index.today() ? ctx.services.index.today() : from } : {});
  }
  return snapshots.ensureToday();
}

/**
 * Migrations take locks and run DDL, so behind PgBouncer they go over DATABASE_DIRECT_URL
 * (a separate short-lived connection), never through the transaction pooler.
 */
async function runMigrationsDirect(ctx: AppContext): Promise<string[]> {
  const { url, directUrl } = ctx.config.database;
  if (!url || !directUrl || directUrl === url) return migrateUp(ctx.database.db, { log: ctx.log });
  const direct = await openDatabase({ url: directUrl, poolMax: 1, applicationName: 'agi-tracker-migrate' });
  try {
    return await migrateUp(direct.db, { log: ctx.log });
  } finally {
    await direct.close();
  }
}

/**
 * Brings a database up to date for serving: migrations, catalog, bundled evidence, admin key.
 * Safe to run at every start and from several processes (each step is idempotent).
 */
export async function bootstrap(ctx: AppContext, opts: { migrate?: boolean; loadData?: boolean } = {}): Promise<BootstrapResult> {
  const migrations = opts.migrate === false ? [] : await runMigrationsDirect(ctx);
  const result: BootstrapResult = { migrations, catalogUpdated: false };
  if (opts.loadData === false) return result;
  result.catalogUpdated = await syncCatalog(ctx.catalog, ctx.repos.catalog, ctx.repos.appState);
  result.evidence = await loadBundledEvidence(ctx);
  result.snapshots = await ensureSnapshots(ctx, result);
  result.createdAdminKey = await ctx.services.apiKeys.bootstrap(ctx.config.adminApiKey);
  return result;
}
