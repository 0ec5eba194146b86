import type { ExtractionCatalog } from './types.js';

/**
 * Spelling knowledge the extractor keeps next to the catalog, keyed by metric code.
 *
 * The catalog's `aliases` are the primary source and are always used. This table is a fallback for
 * two reasons: a catalog entry may carry few or no aliases (it is curated data, written for readers),
 * and some knowledge is about how text is written rather than what the metric is: which suffixes turn a
 * name into a different benchmark ("SWE-bench Lite", "ARC-AGI-2"). A metric code absent from the
 * catalog is ignored, so the table never adds metrics.
 */
export const BUILT_IN_ALIASES: Readonly<Record<string, { aliases: readonly string[]; notFollowedBy?: readonly string[] }>> = {
  swe_bench_verified: {
    aliases: ['SWE-bench Verified', 'SWE-bench'],
    notFollowedBy: ['Lite', 'Multimodal', 'Multilingual', 'Pro', 'Live', 'Java', 'Full', 'Extra'],
  },
  osworld: { aliases: ['OSWorld-Verified', 'OSWorld'], notFollowedBy: ['G', 'MCP'] },
  // "VisualWebArena" is a different benchmark; alias boundaries keep it out.
  webarena: { aliases: ['WebArena'], notFollowedBy: ['Lite', 'Verified Hard'] },
  gpqa_diamond: { aliases: ['GPQA Diamond', 'GPQA'], notFollowedBy: ['Main', 'Extended'] },
  hle_text: { aliases: ["Humanity's Last Exam", 'HLE'] },
  arc_agi_1: { aliases: ['ARC-AGI-1', 'ARC-AGI v1', 'ARC-AGI'], notFollowedBy: ['2', 'v2', '3', 'v3'] },
  arc_agi_2: { aliases: ['ARC-AGI-2', 'ARC-AGI v2'] },
  agent_task_success: { aliases: ['multi-step tasks', 'multi-step', 'multistep', 'agentic tasks', 'agent reliability'] },
  agent_time_horizon_hours: { aliases: ['time horizon', 'task horizon', 'task length', 'METR'] },
  training_compute_flop: { aliases: ['training compute', 'training run'] },
  largest_cluster_h100e: { aliases: ['cluster', 'H100-equivalent'] },
  datacenter_power_gw: { aliases: ['datacenter', 'data center', 'data-center', 'campus'] },
};

/** A place in the text that names a metric. */
export interface Mention {
  metric: string;
  start: number;
  end: number;
  /**
   * True for proper names (an alias with a capital letter or a digit: "SWE-bench", "GPQA"). Generic
   * phrases ("multi-step tasks") yield to a proper name in the same clause.
   */
  specific: boolean;
}

interface AliasPattern {
  metric: string;
  pattern: RegExp;
  specific: boolean;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "SWE-bench Verified" also matches "SWE bench verified", "SWE-Bench-Verified" and "SWEbench Verified". */
function aliasPattern(alias: string, notFollowedBy: readonly string[]): RegExp {
  const body = alias
    .trim()
    .split(/[\s-]+/)
    .map((token) => escapeRegExp(token).replace(/'/g, "'?"))
    .join('[\\s-]*');
  const exclusions = notFollowedBy.length > 0 ? `(?![\\s-]*(?:${notFollowedBy.map(escapeRegExp).join('|')})\\b)` : '';
  // Not glued to a longer word, and not followed by a version suffix ("ARC-AGI-2" is not "ARC-AGI").
  return new RegExp(`(?<![\\w-])${body}(?![\\w]|-\\d)${exclusions}`, 'gi');
}

/**
 * Builds the matchers for the catalog's non-binary metrics. An alias claimed by two metrics is dropped:
 * a name that does not say which metric it means cannot support a value.
 */
export function buildAliasPatterns(catalog: ExtractionCatalog): AliasPattern[] {
  const owners = new Map<string, Set<string>>();
  const spelled = new Map<string, string>();
  const properName = new Set<string>();
  for (const metric of catalog.metrics) {
    if (metric.unit === 'binary') continue;
    const builtIn = BUILT_IN_ALIASES[metric.code];
    for (const alias of [...metric.aliases, ...(builtIn?.aliases ?? [])]) {
      const key = alias
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, ' ');
      if (key === '') continue;
      if (!owners.has(key)) owners.set(key, new Set());
      owners.get(key)?.add(metric.code);
      if (!spelled.has(key)) spelled.set(key, alias);
      if (/[A-Z0-9]/.test(alias)) properName.add(key);
    }
  }
  const patterns: AliasPattern[] = [];
  for (const [key, metrics] of owners) {
    if (metrics.size !== 1) continue;
    const [metric] = [...metrics] as [string];
    const alias = spelled.get(key) ?? key;
    patterns.push({
      metric,
      pattern: aliasPattern(alias, BUILT_IN_ALIASES[metric]?.notFollowedBy ?? []),
      specific: properName.has(key),
    });
  }
  return patterns;
}

/** Every metric name in the text; where two matches overlap, the longer one wins. */
export function findMentions(text: string, patterns: readonly AliasPattern[]): Mention[] {
  const found: Mention[] = [];
  for (const { metric, pattern, specific } of patterns) {
    for (const m of text.matchAll(pattern)) found.push({ metric, start: m.index, end: m.index + m[0].length, specific });
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Mention[] = [];
  for (const m of found) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}
