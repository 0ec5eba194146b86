import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parseCatalog, type Catalog } from '../domain/catalog.js';
import type { CatalogRepository } from '../db/repositories/catalog-repository.js';
import type { AppStateRepository } from '../db/repositories/app-state-repository.js';

const FILES = ['meta.json', 'metrics.json', 'signposts.json', 'presets.json', 'forecasts.json'] as const;

export interface LoadedCatalog {
  catalog: Catalog;
  /** sha256 of the catalog files, so an unchanged catalog is not rewritten at every start. */
  hash: string;
}

/** Reads and validates the catalog files; throws one error listing every problem. */
export async function readCatalogDir(dir: string): Promise<LoadedCatalog> {
  const hash = createHash('sha256');
  const parts: Record<string, unknown> = {};
  for (const file of FILES) {
    const text = await fs.readFile(path.join(dir, file), 'utf8');
    hash.update(file).update(text);
    try {
      parts[file] = JSON.parse(text);
    } catch (err) {
      throw new Error(`catalog/${file}: ${(err as Error).message}`);
    }
  }
  const meta = parts['meta.json'] as { version?: unknown };
  const catalog = parseCatalog({
    version: meta.version,
    metrics: parts['metrics.json'],
    signposts: parts['signposts.json'],
    presets: parts['presets.json'],
    forecasts: parts['forecasts.json'],
  });
  return { catalog, hash: hash.digest('hex') };
}

/** Writes the catalog into the database when it differs from what was last loaded. Idempotent. */
export async function syncCatalog(loaded: LoadedCatalog, repo: CatalogRepository, state: AppStateRepository): Promise<boolean> {
  const previous = await state.get<{ hash: string }>('catalog');
  if (previous?.hash === loaded.hash) return false;
  await repo.sync(loaded.catalog);
  await state.set('catalog', { hash: loaded.hash, version: loaded.catalog.version });
  return true;
}
