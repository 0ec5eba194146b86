import type { EpochModelsSource, SourceModule } from '../source.js';
import { fetchMain } from '../source.js';
import { collapse, formatScientific, parseDate, truncate } from '../text.js';
import { csvRows, pick, toNumber, type Row } from './tabular.js';

/** How sure Epoch AI says it is of a compute estimate, as the confidence of the observation. */
const CONFIDENCE: Record<string, number> = { confident: 0.95, likely: 0.85, speculative: 0.6 };

/**
 * Epoch AI's public table of AI models (CSV): one event per model whose training compute is at least
 * `min_value` FLOP, with the estimate as an observation. Epoch's own confidence label sets the
 * observation's confidence, so speculative estimates wait for review.
 */
export const epochModelsSource: SourceModule<EpochModelsSource, Row> = {
  fetch: (config, ctx) => fetchMain(config.url, config, ctx),

  parse(docs, config) {
    // Most rows have no compute estimate or a small one: they are not evidence for this source.
    return csvRows(docs.main.body).filter((row) => {
      const flop = toNumber(pick(row, ['Training compute (FLOP)']));
      return flop !== undefined && flop >= config.min_value;
    });
  },

  normalise(row, config, fetchedAt) {
    const model = truncate(collapse(pick(row, ['Model', 'System']) ?? ''), 200);
    if (!model) return { ok: false, reason: 'row has no model name' };
    const flop = toNumber(pick(row, ['Training compute (FLOP)']));
    if (flop === undefined || flop <= 0) return { ok: false, reason: `row "${model}" has no training compute estimate` };
    const organization = collapse(pick(row, ['Organization', 'Organisation']) ?? '');
    const date = parseDate(pick(row, ['Publication date', 'Date']));
    const published = !date || date > fetchedAt ? fetchedAt : date;
    const label = (pick(row, ['Confidence']) ?? '').toLowerCase();
    const link = pick(row, ['Link']);
    const flopText = formatScientific(flop);
    return {
      ok: true,
      event: {
        title: `${model} trained with ${flopText} FLOP (Epoch AI estimate)`,
        summary: truncate(
          `Epoch AI estimates the training compute of ${model}${organization ? ` (${organization})` : ''} at ${flopText} FLOP` +
            `${label ? `; Epoch's confidence: ${label}` : ''}.${link ? ` Model source: ${link}` : ''}`,
          2000,
        ),
        url: config.page,
        publisher: config.publisher,
        source_type: config.source_type,
        tier: config.tier,
        published_at: published.toISOString(),
        observations: [
          {
            metric: config.metric,
            value: flop,
            confidence: CONFIDENCE[label] ?? 0.9,
            rationale: `Epoch AI training compute estimate${label ? ` (${label})` : ''}`,
          },
        ],
      },
    };
  },
};
