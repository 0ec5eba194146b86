import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { TIERS } from '../domain/catalog.js';
import { extract } from '../domain/extraction/index.js';
import { readCatalogDir } from '../services/catalog-service.js';
import { CATALOG_DIR } from '../paths.js';

const ExtractLine = z.object({
  title: z.string().max(2000),
  summary: z.string().max(20_000).optional(),
  tier: z.enum(TIERS).optional(),
});

/**
 * `extract` (SPEC section 6): JSON lines `{title, summary, tier?}` on stdin, one JSON line out per line in:
 * `{metrics:[{metric, value, unit}], signposts:[{code, value, confidence}]}`. Nothing is stored; no database
 * is opened. A line that is not such an object answers `{error}` and the exit code is 2.
 */
export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('read JSON lines {title, summary, tier?} on stdin and print the metric values and signposts found in each')
    .action(async () => {
      const { catalog } = await readCatalogDir(CATALOG_DIR);
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let bad = 0;
      let n = 0;
      for await (const raw of lines) {
        n++;
        if (!raw.trim()) continue;
        let out: unknown;
        try {
          const parsed = ExtractLine.safeParse(JSON.parse(raw));
          if (!parsed.success) throw new Error(`${parsed.error.issues[0]!.path.join('.') || 'line'}: ${parsed.error.issues[0]!.message}`);
          out = extract(parsed.data, catalog);
        } catch (err) {
          bad++;
          out = { error: `line ${n}: ${(err as Error).message}` };
        }
        process.stdout.write(`${JSON.stringify(out)}\n`);
      }
      if (bad > 0) process.exitCode = 2;
    });
}
