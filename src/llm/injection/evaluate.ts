import { scoreInjection } from './score.js';

/** One labelled row of an evaluation corpus (the shape of the shared prompt-injection files). */
export interface LabelledPrompt {
  text: string;
  source: string;
}

export interface RateBySource {
  source: string;
  total: number;
  flagged: number;
  rate: number;
}

export interface DetectionRun {
  total: number;
  flagged: number;
  rate: number;
  bySource: RateBySource[];
  /** Rows on the wrong side of the threshold: misses for attacks, false positives for benign rows. */
  errors: { source: string; score: number; rules: string[]; text: string }[];
  meanMs: number;
  maxMs: number;
}

/**
 * Score every row and count how many the detector flags, overall and per source. The caller
 * decides whether flagged means "detected" (attacks) or "false positive" (benign rows).
 */
export function runDetector(rows: LabelledPrompt[], expectFlagged: boolean): DetectionRun {
  const bySource = new Map<string, { total: number; flagged: number }>();
  const errors: DetectionRun['errors'] = [];
  let flagged = 0;
  let totalMs = 0;
  let maxMs = 0;
  for (const row of rows) {
    const started = performance.now();
    const result = scoreInjection(row.text);
    const elapsed = performance.now() - started;
    totalMs += elapsed;
    maxMs = Math.max(maxMs, elapsed);
    const entry = bySource.get(row.source) ?? { total: 0, flagged: 0 };
    entry.total += 1;
    if (result.suspicious) {
      entry.flagged += 1;
      flagged += 1;
    }
    bySource.set(row.source, entry);
    if (result.suspicious !== expectFlagged) {
      errors.push({ source: row.source, score: result.score, rules: result.matches.map((m) => m.rule), text: row.text });
    }
  }
  return {
    total: rows.length,
    flagged,
    rate: rows.length === 0 ? 0 : flagged / rows.length,
    bySource: [...bySource].map(([source, e]) => ({ source, total: e.total, flagged: e.flagged, rate: e.flagged / e.total })),
    errors,
    meanMs: rows.length === 0 ? 0 : totalMs / rows.length,
    maxMs,
  };
}
