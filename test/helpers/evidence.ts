import { randomBytes } from 'node:crypto';
import type { ImportEvent } from '../../src/domain/evidence.js';

/** UTC date `n` days before today. */
export function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

/** Observations that put every agents signpost at or past its target (a large move of the composite). */
export const AGENT_BREAKTHROUGH = [
  { metric: 'osworld', value: 0.95 },
  { metric: 'webarena', value: 0.95 },
  { metric: 'agent_task_success', value: 0.95 },
  { metric: 'agent_time_horizon_hours', value: 200 },
];

/** A valid curated event (unique URL and title unless given), as the import takes it. */
export function evidenceEvent(
  overrides: Partial<Omit<ImportEvent, 'observations'>> & { observations?: unknown[] } = {},
): Record<string, unknown> {
  const tag = randomBytes(4).toString('hex');
  return {
    title: `Test evidence ${tag}`,
    summary: 'A test event.',
    url: `https://example.org/evidence/${tag}`,
    publisher: 'Test Lab',
    source_type: 'paper',
    tier: 'A',
    published_at: daysAgo(30),
    observations: [],
    ...overrides,
  };
}

export function asLines(items: unknown[]): Array<{ line: number; data: unknown }> {
  return items.map((data, i) => ({ line: i + 1, data }));
}
