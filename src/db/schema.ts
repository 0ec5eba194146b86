import type { ColumnType, Generated, Insertable, Selectable, Updateable, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** `date` columns are read as 'YYYY-MM-DD' strings (see the type parsers in database.ts). */
type DateString = ColumnType<string, string, string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;
/** A nullable column that inserts may omit. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;
/** A column with a database default that inserts may omit. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface SourceRefJson {
  title: string;
  url: string;
}

export interface MetricsTable {
  code: string;
  name: string;
  unit: string;
  scale: 'linear' | 'log10';
  direction: 'increasing' | 'decreasing';
  aliases: Json<string[]>;
  description: string;
  sources: Json<SourceRefJson[]>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SignpostsTable {
  code: string;
  name: string;
  category: string;
  metric_code: string;
  baseline: number;
  target: number;
  first_class: Defaulted<boolean>;
  monitor_only: Defaulted<boolean>;
  description: string;
  why_it_matters: string;
  sources: Json<SourceRefJson[]>;
  display_order: Defaulted<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface EventsTable {
  id: Generated<number>;
  title: string;
  summary: Defaulted<string>;
  url: string;
  canonical_url: string;
  publisher: string;
  source_type: string;
  source_id: Optional<string>;
  tier: 'A' | 'B' | 'C' | 'D';
  published_at: Timestamp;
  ingested_at: CreatedAt;
  content_hash: string;
  retracted: Generated<boolean>;
  retracted_reason: Optional<string>;
  retracted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  analysis: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface ObservationsTable {
  id: Generated<number>;
  event_id: number;
  signpost_code: string;
  value: number;
  confidence: number;
  method: 'rule' | 'llm' | 'manual';
  rationale: Optional<string>;
  status: 'pending' | 'approved' | 'rejected';
  reviewed_by: Optional<number>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

/**
 * Derived by triggers from approved observations (migration 20251126_event_links): one row per
 * (event, `signpost:<code>`) and (event, `category:<code>`). Read-only for the application.
 */
export interface EventLinksTable {
  link: string;
  published_at: Date;
  event_id: number;
}

export interface IndexSnapshotsTable {
  id: Generated<number>;
  as_of: DateString;
  preset: string;
  methodology_version: number;
  composite: Optional<number>;
  status: string;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface ForecastsTable {
  id: Generated<number>;
  signpost_code: string;
  forecaster: string;
  predicted_date: DateString;
  interval_low: DateString | null;
  interval_high: DateString | null;
  confidence: Optional<number>;
  quote: Optional<string>;
  url: string;
  published_at: DateString;
}

export interface ChangelogTable {
  id: Generated<number>;
  created_at: CreatedAt;
  kind: string;
  title: string;
  body: string;
  preset: Optional<string>;
  as_of: DateString | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  secret_hash: string;
  role: 'reader' | 'admin';
  rate_limit_per_minute: Optional<number>;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AuditLogsTable {
  id: Generated<number>;
  timestamp: CreatedAt;
  api_key_id: Optional<number>;
  action: string;
  resource_type: Optional<string>;
  resource_id: Optional<string>;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  ip_address: Optional<string>;
  user_agent: Optional<string>;
  request_id: Optional<string>;
  success: Defaulted<boolean>;
  error_message: Optional<string>;
}

export interface LlmUsageTable {
  id: Generated<number>;
  created_at: CreatedAt;
  day: DateString;
  kind: 'llm' | 'embedding';
  provider: string;
  model: string;
  task: string;
  input_tokens: Defaulted<number>;
  output_tokens: Defaulted<number>;
  reserved_usd: Defaulted<number>;
  cost_usd: Defaulted<number>;
  /** `reserved` while the call runs (reserved_usd held), then settled to ok, failed or cancelled. */
  status: 'reserved' | 'ok' | 'failed' | 'cancelled';
  request_id: Optional<string>;
  error: Optional<string>;
  settled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface LlmBudgetDaysTable {
  day: DateString;
  reserved_usd: Defaulted<number>;
  llm_spend_usd: Defaulted<number>;
  embedding_spend_usd: Defaulted<number>;
}

export interface IngestRunsTable {
  id: Generated<number>;
  source: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: CreatedAt;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  fetched: Defaulted<number>;
  new: Defaulted<number>;
  duplicates: Defaulted<number>;
  errors: Defaulted<number>;
  error_message: Optional<string>;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** The process running it (host:pid:token), for detecting runs abandoned by a dead process. */
  owner: Optional<string>;
  heartbeat_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface IngestSourceStateTable {
  source: string;
  etag: Optional<string>;
  last_modified: Optional<string>;
  last_fetched_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_status: Optional<number>;
}

export interface AppStateTable {
  key: string;
  value: Json<Record<string, unknown>>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DB {
  metrics: MetricsTable;
  signposts: SignpostsTable;
  events: EventsTable;
  observations: ObservationsTable;
  event_links: EventLinksTable;
  index_snapshots: IndexSnapshotsTable;
  forecasts: ForecastsTable;
  changelog: ChangelogTable;
  api_keys: ApiKeysTable;
  audit_logs: AuditLogsTable;
  llm_usage: LlmUsageTable;
  llm_budget_days: LlmBudgetDaysTable;
  ingest_runs: IngestRunsTable;
  ingest_source_state: IngestSourceStateTable;
  app_state: AppStateTable;
}

export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
export type ObservationRow = Selectable<ObservationsTable>;
export type NewObservation = Insertable<ObservationsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AuditLogRow = Selectable<AuditLogsTable>;
export type NewAuditLog = Insertable<AuditLogsTable>;
export type SignpostRow = Selectable<SignpostsTable>;
export type MetricRow = Selectable<MetricsTable>;
export type ForecastRow = Selectable<ForecastsTable>;
export type SnapshotRow = Selectable<IndexSnapshotsTable>;
export type ChangelogRow = Selectable<ChangelogTable>;
export type IngestRunRow = Selectable<IngestRunsTable>;
export type IngestRunUpdate = Updateable<IngestRunsTable>;
export type LlmUsageRow = Selectable<LlmUsageTable>;
