export { extract, extractMetrics, type ExtractInput, type ExtractOutput } from './extract.js';
export { mapToSignposts, TIER_FACTORS } from './signposts.js';
export { HEDGE_FACTOR, RULES, type RuleName } from './rules.js';
export { BUILT_IN_ALIASES } from './mentions.js';
export { H100_EQUIVALENTS } from './quantities.js';
export type { ExtractedMetric, ExtractionCatalog, SignpostMapping, TextSpan } from './types.js';
