import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus registry of one context (`ctx.metrics`), served at GET /metrics. Every module adds
 * its metrics here (names start with `agi_tracker_`), through the get-or-create helpers below so a
 * second server built on the same context does not register a metric twice.
 */
export function createMetricsRegistry(opts: { processMetrics: boolean }): Registry {
  const registry = new Registry();
  // Process metrics start an event-loop monitor per registry; tests build many contexts and skip them.
  if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'agi_tracker_' });
  return registry;
}

type Labels<L extends string> = { name: string; help: string; labelNames?: readonly L[] };

export function counter<L extends string>(registry: Registry, cfg: Labels<L>): Counter<L> {
  return (registry.getSingleMetric(cfg.name) as Counter<L> | undefined) ?? new Counter({ ...cfg, registers: [registry] });
}

export function gauge<L extends string>(registry: Registry, cfg: Labels<L> & { collect?: (this: Gauge<L>) => void }): Gauge<L> {
  return (registry.getSingleMetric(cfg.name) as Gauge<L> | undefined) ?? new Gauge({ ...cfg, registers: [registry] });
}

export function histogram<L extends string>(registry: Registry, cfg: Labels<L> & { buckets: number[] }): Histogram<L> {
  return (registry.getSingleMetric(cfg.name) as Histogram<L> | undefined) ?? new Histogram({ ...cfg, registers: [registry] });
}
