import { z } from 'zod';
import { TIERS, type Tier } from '../domain/catalog.js';
import { SOURCE_TYPES } from '../domain/evidence.js';
import type { Fetcher, FetchResult } from './fetcher.js';
import type { SourceValidators } from '../db/repositories/ingest-run-repository.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'source ids are lower-kebab-case');
const httpUrl = z.url({ protocol: /^https?$/ });

const base = {
  id,
  name: z.string().min(1),
  url: httpUrl,
  tier: z.enum(TIERS),
  publisher: z.string().min(1),
  /** Least time between two requests to this source's host, when the host asks for more than the default. */
  min_interval_ms: z.number().int().min(0).optional(),
  /** Left out of "all" runs (still runnable by name). */
  disabled: z.string().optional(),
};

/**
 * Which text items become events: `all`, or only those in which the rule extractor finds a metric value
 * (`with_values`): general press feeds carry much that has nothing to do with measurable progress.
 */
const keep = z.enum(['all', 'with_values']).default('all');

export const FeedSourceSchema = z.object({
  ...base,
  kind: z.literal('feed'),
  source_type: z.enum(SOURCE_TYPES),
  keep,
});

export const ArxivSourceSchema = z.object({
  ...base,
  kind: z.literal('arxiv'),
  source_type: z.literal('paper').default('paper'),
  keep,
});

const fieldList = z.array(z.string().min(1)).min(1);

/**
 * A leaderboard published as JSON or CSV. Each row is one result: a model (or system) and its score
 * on one benchmark, which becomes an event with an observation on `metric`.
 */
export const LeaderboardSourceSchema = z.object({
  ...base,
  kind: z.literal('leaderboard'),
  source_type: z.literal('leaderboard').default('leaderboard'),
  format: z.enum(['json', 'csv']),
  /** Display name used in titles ("SWE-bench Verified"); it is also how the extractor knows the benchmark. */
  benchmark: z.string().min(1),
  metric: z.string().regex(/^[a-z0-9_]+$/),
  /** JSON only: where the rows are, e.g. `leaderboards[name=Verified].results`; empty for a top-level array. */
  rows: z.string().default(''),
  /** Rows to keep: a field equal to a value, or starting with a prefix (case-insensitive). */
  filter: z
    .array(
      z.object({
        field: z.string(),
        equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
        starts_with: z.string().optional(),
      }),
    )
    .default([]),
  fields: z.object({
    model: fieldList,
    score: fieldList,
    date: fieldList.optional(),
    /** Template of a row's own page, fields in braces: `https://github.com/x/{folder}`. */
    url: z.string().optional(),
  }),
  /** How scores are written: percentages (72.3), fractions (0.723), or `auto` (above 1 means percent). */
  score_scale: z.enum(['percent', 'fraction', 'auto']).default('auto'),
  /** The public page of the board: the event URL when a row has no page of its own. */
  page: httpUrl,
  /** A second JSON document mapping the rows' model ids to display names (ARC Prize publishes two files). */
  names: z.object({ url: httpUrl, id: z.string(), name: z.string() }).optional(),
  /** Confidence of a value read from the board's own data. */
  confidence: z.number().min(0).max(1).default(1),
});

/** Epoch AI's models table (CSV): training compute per model. */
export const EpochModelsSourceSchema = z.object({
  ...base,
  kind: z.literal('epoch_models'),
  source_type: z.literal('report').default('report'),
  metric: z.string().regex(/^[a-z0-9_]+$/),
  /** Rows below this many FLOP are left out: the table goes back to 1950. */
  min_value: z.number().positive().default(1e24),
  page: httpUrl,
});

export const SourceConfigSchema = z.discriminatedUnion('kind', [
  FeedSourceSchema,
  ArxivSourceSchema,
  LeaderboardSourceSchema,
  EpochModelsSourceSchema,
]);
export type SourceConfig = z.infer<typeof SourceConfigSchema>;
export type SourceConfigInput = z.input<typeof SourceConfigSchema>;
export type FeedSource = z.infer<typeof FeedSourceSchema>;
export type ArxivSource = z.infer<typeof ArxivSourceSchema>;
export type LeaderboardSource = z.infer<typeof LeaderboardSourceSchema>;
export type EpochModelsSource = z.infer<typeof EpochModelsSourceSchema>;

/** Validates a source list: schema per entry, unique ids. Throws one error listing every problem. */
export function parseSources(input: readonly unknown[]): SourceConfig[] {
  const problems: string[] = [];
  const out: SourceConfig[] = [];
  input.forEach((raw, i) => {
    const parsed = SourceConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push(
        `sources[${i}]${(raw as { id?: string })?.id ? ` (${(raw as { id: string }).id})` : ''}.${issue.path.join('.')}: ${issue.message}`,
      );
    } else out.push(parsed.data);
  });
  const ids = out.map((s) => s.id);
  for (const dup of ids.filter((x, i) => ids.indexOf(x) !== i)) problems.push(`duplicate source id ${dup}`);
  if (problems.length > 0) throw new Error(`invalid ingestion sources:\n- ${problems.join('\n- ')}`);
  return out;
}

/**
 * The same sources fetched from another origin: `https://openai.com/news/rss.xml` becomes
 * `<base>/openai.com/news/rss.xml`. Tests point every source at a local fixture server this way.
 */
export function rebaseSources(sources: readonly SourceConfig[], base: string): SourceConfig[] {
  const move = (u: string) => {
    const url = new URL(u);
    return `${base.replace(/\/$/, '')}/${url.host}${url.pathname}${url.search}`;
  };
  return sources.map((s) => {
    const moved = { ...s, url: move(s.url) } as SourceConfig;
    if (moved.kind === 'leaderboard' && moved.names) moved.names = { ...moved.names, url: move(moved.names.url) };
    return moved;
  });
}

/** A value read from structured data (a leaderboard row, a data table), in the metric's unit. */
export interface CandidateObservation {
  metric: string;
  value: number;
  confidence: number;
  rationale: string;
}

/** One item of a source, normalised: what becomes an event. */
export interface CandidateEvent {
  title: string;
  summary: string;
  url: string;
  publisher: string;
  source_type: (typeof SOURCE_TYPES)[number];
  tier: Tier;
  /** ISO 8601. */
  published_at: string;
  /** Structured values; when absent the pipeline reads values from the text with the rule extractor. */
  observations?: CandidateObservation[];
}

export type Normalised = { ok: true; event: CandidateEvent } | { ok: false; reason: string };

/** A document cannot be used at all (not XML, not JSON, wrong shape): the source's run records why. */
export class DocumentError extends Error {
  override name = 'DocumentError';
}

export interface FetchedDocuments {
  notModified: false;
  /** The main document and, for some sources, auxiliary ones (by name). */
  main: Extract<FetchResult, { notModified: false }>;
  extra: Record<string, string>;
  /** Validators to remember once the whole document has been processed. */
  validators: SourceValidators;
}

export type FetchOutcome = { notModified: true; status: 304 } | FetchedDocuments;

export interface FetchContext {
  fetcher: Fetcher;
  validators?: SourceValidators;
  signal?: AbortSignal;
}

/**
 * A source: `fetch` downloads (conditionally), `parse` turns the document into raw entries (throwing a
 * DocumentError when it is unusable), `normalise` makes one entry a candidate event or says why not.
 */
export interface SourceModule<C extends SourceConfig = SourceConfig, Entry = unknown> {
  fetch(config: C, ctx: FetchContext): Promise<FetchOutcome>;
  parse(docs: FetchedDocuments, config: C): Entry[];
  normalise(entry: Entry, config: C, fetchedAt: Date): Normalised;
}

/** The common fetch: one document, conditional on the validators of the last complete fetch. */
export async function fetchMain(url: string, config: { min_interval_ms?: number }, ctx: FetchContext): Promise<FetchOutcome> {
  const res = await ctx.fetcher.fetch({
    url,
    etag: ctx.validators?.etag,
    lastModified: ctx.validators?.last_modified,
    minIntervalMs: config.min_interval_ms,
    signal: ctx.signal,
  });
  if (res.notModified) return { notModified: true, status: 304 };
  return { notModified: false, main: res, extra: {}, validators: { etag: res.etag, last_modified: res.lastModified } };
}
