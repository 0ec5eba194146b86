import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeIndex } from '../src/domain/methodology.js';
import { computeIndexSeries } from '../src/domain/index-series.js';
import type { Observation } from '../src/domain/scoring-inputs.js';
import { readCatalogDir } from '../src/services/catalog-service.js';
import { daysBetween } from '../src/services/index-service.js';
import { CATALOG_DIR } from '../src/paths.js';

/** The bundled evidence as approved observations (metric observations expanded to their signposts). */
async function bundledObservations() {
  const { catalog } = await readCatalogDir(CATALOG_DIR);
  const lines = fs.readFileSync(path.join(CATALOG_DIR, 'evidence.jsonl'), 'utf8').split('\n').filter(Boolean);
  const observations: Observation[] = [];
  let id = 1;
  for (const [i, line] of lines.entries()) {
    const e = JSON.parse(line) as {
      tier: Observation['tier'];
      published_at: string;
      observations: Array<{ signpost?: string; metric?: string; value: number }>;
    };
    for (const o of e.observations) {
      const codes = o.signpost ? [o.signpost] : catalog.signposts.filter((s) => s.metric === o.metric).map((s) => s.code);
      for (const signpost of codes) {
        observations.push({
          id: id++,
          event_id: i + 1,
          signpost,
          value: o.value,
          tier: e.tier,
          status: 'approved',
          retracted: false,
          published_at: e.published_at,
        });
      }
    }
  }
  return { catalog, observations };
}

describe('index series', () => {
  it('gives exactly what computeIndex gives on each day, for a range crossing many publications', async () => {
    const { catalog, observations } = await bundledObservations();
    const days = daysBetween('2024-01-01', '2025-12-31');
    const weights = catalog.presets[0]!.weights;
    const input = { catalog: { metrics: catalog.metrics, signposts: catalog.signposts }, observations, weights, draws: 40 };
    const series = computeIndexSeries(input, days);
    expect(series.size).toBe(days.length);
    for (const day of days) expect(series.get(day)).toEqual(computeIndex({ ...input, as_of: day }));
  });

  it('ignores pending, rejected, retracted and C/D observations when grouping days', async () => {
    const { catalog, observations } = await bundledObservations();
    const noise: Observation[] = [
      {
        id: 9001,
        event_id: 9001,
        signpost: 'swe_bench_85',
        value: 0.99,
        tier: 'C',
        status: 'approved',
        retracted: false,
        published_at: '2025-03-10',
      },
      {
        id: 9002,
        event_id: 9002,
        signpost: 'swe_bench_85',
        value: 0.99,
        tier: 'A',
        status: 'pending',
        retracted: false,
        published_at: '2025-03-11',
      },
      {
        id: 9003,
        event_id: 9003,
        signpost: 'swe_bench_85',
        value: 0.99,
        tier: 'A',
        status: 'approved',
        retracted: true,
        published_at: '2025-03-12',
      },
    ];
    const input = {
      catalog: { metrics: catalog.metrics, signposts: catalog.signposts },
      observations: [...observations, ...noise],
      weights: catalog.presets[0]!.weights,
      draws: 40,
    };
    const days = daysBetween('2025-03-09', '2025-03-13');
    const series = computeIndexSeries(input, days);
    for (const day of days) expect(series.get(day)).toEqual(computeIndex({ ...input, as_of: day }));
  });
});
