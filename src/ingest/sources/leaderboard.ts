import type { LeaderboardSource, SourceModule } from '../source.js';
import { DocumentError, fetchMain } from '../source.js';
import { collapse, formatPercent, parseDate, truncate } from '../text.js';
import { csvRows, fillTemplate, jsonDocument, pick, select, toNumber, type Row } from './tabular.js';

/** One leaderboard row as read, before checks: `score` is a fraction when it could be read. */
export interface LeaderboardEntry {
  model: string;
  score: number | undefined;
  rawScore: string | undefined;
  date: string | undefined;
  url: string | undefined;
}

function matches(row: Row, filter: LeaderboardSource['filter']): boolean {
  return filter.every((f) => {
    const v = row[f.field];
    if (f.equals !== undefined && String(v) !== String(f.equals)) return false;
    if (
      f.starts_with !== undefined &&
      !String(v ?? '')
        .toLowerCase()
        .startsWith(f.starts_with.toLowerCase())
    )
      return false;
    return true;
  });
}

function toFraction(n: number | undefined, scale: LeaderboardSource['score_scale']): number | undefined {
  if (n === undefined) return undefined;
  const percent = scale === 'percent' || (scale === 'auto' && n > 1);
  return Math.round((percent ? n / 100 : n) * 1e6) / 1e6;
}

function nameMap(body: string | undefined, names: NonNullable<LeaderboardSource['names']>): Map<string, string> {
  const doc = jsonDocument(body ?? '');
  if (!Array.isArray(doc)) throw new DocumentError('the names document is not a JSON array');
  const map = new Map<string, string>();
  for (const item of doc) {
    if (!item || typeof item !== 'object') continue;
    const id = (item as Row)[names.id];
    const name = (item as Row)[names.name];
    if (id !== undefined && typeof name === 'string' && name.trim()) map.set(String(id), name.trim());
  }
  return map;
}

/**
 * Official leaderboards published as JSON or CSV (SWE-bench Verified, ARC Prize, WebArena ...). Each
 * kept row is one result and becomes an event titled "<model> scores 72.3% on <benchmark>" carrying the
 * value as an observation: structured values are not re-read from text. A model listed several times
 * (reruns, configurations) keeps its best score of the document.
 */
export const leaderboardSource: SourceModule<LeaderboardSource, LeaderboardEntry> = {
  async fetch(config, ctx) {
    const outcome = await fetchMain(config.url, config, ctx);
    if (outcome.notModified || !config.names) return outcome;
    const names = await ctx.fetcher.fetch({ url: config.names.url, minIntervalMs: config.min_interval_ms, signal: ctx.signal });
    if (names.notModified) throw new DocumentError('the names document answered 304 to an unconditional request');
    return { ...outcome, extra: { names: names.body } };
  },

  parse(docs, config) {
    let rows: unknown;
    if (config.format === 'csv') rows = csvRows(docs.main.body);
    else rows = select(jsonDocument(docs.main.body), config.rows);
    if (!Array.isArray(rows)) throw new DocumentError(`expected an array of rows at "${config.rows || '(root)'}"`);
    const names = config.names ? nameMap(docs.extra.names, config.names) : undefined;

    const best = new Map<string, LeaderboardEntry>();
    const unreadable: LeaderboardEntry[] = [];
    for (const raw of rows) {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
      const row = raw as Row;
      if (!matches(row, config.filter)) continue;
      const id = pick(row, config.fields.model) ?? '';
      const rawScore = pick(row, config.fields.score);
      const entry: LeaderboardEntry = {
        model: collapse(names?.get(id) ?? id),
        score: toFraction(toNumber(rawScore), config.score_scale),
        rawScore,
        date: pick(row, config.fields.date),
        url: config.fields.url ? fillTemplate(config.fields.url, row) : undefined,
      };
      if (!entry.model || entry.score === undefined) {
        unreadable.push(entry);
        continue;
      }
      const key = entry.model.toLowerCase();
      const seen = best.get(key);
      if (!seen || (seen.score ?? -1) < entry.score) best.set(key, entry);
    }
    return [...best.values(), ...unreadable];
  },

  normalise(entry, config, fetchedAt) {
    if (!entry.model) return { ok: false, reason: 'row has no model name' };
    if (entry.score === undefined)
      return { ok: false, reason: `row "${truncate(entry.model, 80)}" has no readable score (${entry.rawScore ?? 'empty'})` };
    if (entry.score < 0 || entry.score > 1)
      return { ok: false, reason: `row "${truncate(entry.model, 80)}" has a score out of range: ${entry.rawScore}` };
    const model = truncate(entry.model, 200);
    const pct = formatPercent(entry.score);
    const date = parseDate(entry.date);
    const published = !date || date > fetchedAt ? fetchedAt : date;
    return {
      ok: true,
      event: {
        title: `${model} scores ${pct} on ${config.benchmark}`,
        summary: `${config.name}: ${model} is listed at ${pct}${date ? ` (entry dated ${published.toISOString().slice(0, 10)})` : ''}. Value read from the leaderboard's published data.`,
        url: entry.url && /^https?:\/\//.test(entry.url) ? entry.url : config.page,
        publisher: config.publisher,
        source_type: config.source_type,
        tier: config.tier,
        published_at: published.toISOString(),
        observations: [
          {
            metric: config.metric,
            value: entry.score,
            confidence: config.confidence,
            rationale: `${config.benchmark} leaderboard data: ${entry.rawScore}`,
          },
        ],
      },
    };
  },
};
