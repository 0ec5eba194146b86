import type { Catalog } from '../../domain/catalog.js';
import { SYSTEM_PROMPT_GUARD, formatRetrievedSources } from '../injection/index.js';
import type { ProviderMessage } from '../providers/types.js';
import type { MappingAssist } from '../schemas.js';
import type { AnalysedEvent } from './event-analysis.js';

const UNIT_NOTE: Record<string, string> = {
  fraction: 'a fraction in [0,1] (72.5% is 0.725)',
  flop: 'FLOP as a plain number (1e26)',
  h100e: 'H100-equivalent accelerators',
  gw: 'gigawatts',
  hours: 'hours',
  binary: '0 or 1',
};

export function mappingAssistPrompt(event: AnalysedEvent, catalog: Catalog): { system: string; messages: ProviderMessage[] } {
  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  const list = catalog.signposts
    .map((s) => {
      const m = metrics.get(s.metric);
      return `- ${s.code}: ${s.name} (metric ${s.metric}, value as ${UNIT_NOTE[m?.unit ?? ''] ?? m?.unit ?? '?'})`;
    })
    .join('\n');
  const system = [
    SYSTEM_PROMPT_GUARD,
    'Task: the rule-based extractor found no measurable value in this evidence. Decide whether it reports a value for any signpost below.',
    'Return a JSON object {"mappings": [{"signpost_code": string, "value": number, "confidence": number, "rationale": string}]}.',
    'Only map a value the source states explicitly for that metric; otherwise return {"mappings": []}. confidence is in [0,1].',
    `Signposts:\n${list}`,
  ].join('\n\n');
  const doc = formatRetrievedSources([
    { id: 1, title: `${event.title} (${event.publisher}, tier ${event.tier})`, text: event.summary || event.title, url: event.url },
  ]);
  return { system, messages: [{ role: 'user', content: `${doc}\n\nMap source 1.` }] };
}

/**
 * Keeps mappings that name a known signpost with a value in its metric's unit; the rest are dropped
 * with a reason (a model cannot invent signposts or percentages above 100%).
 */
export function checkMappings(
  result: MappingAssist,
  catalog: Catalog,
): { kept: MappingAssist['mappings']; dropped: Array<{ signpost_code: string; reason: string }> } {
  const signposts = new Map(catalog.signposts.map((s) => [s.code, s]));
  const metrics = new Map(catalog.metrics.map((m) => [m.code, m]));
  const kept: MappingAssist['mappings'] = [];
  const dropped: Array<{ signpost_code: string; reason: string }> = [];
  for (const m of result.mappings) {
    const s = signposts.get(m.signpost_code);
    const metric = s ? metrics.get(s.metric) : undefined;
    if (!s || !metric) dropped.push({ signpost_code: m.signpost_code, reason: 'unknown signpost' });
    else if (metric.unit === 'fraction' && (m.value < 0 || m.value > 1))
      dropped.push({ signpost_code: m.signpost_code, reason: 'not a fraction in [0,1]' });
    else if (metric.unit === 'binary' && m.value !== 0 && m.value !== 1)
      dropped.push({ signpost_code: m.signpost_code, reason: 'binary metric needs 0 or 1' });
    else if (metric.scale === 'log10' && m.value <= 0) dropped.push({ signpost_code: m.signpost_code, reason: 'must be positive' });
    else kept.push(m);
  }
  return { kept, dropped };
}
