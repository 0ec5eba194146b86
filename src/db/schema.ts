import type { ColumnType, Generated, Insertable, Selectable, Updateable, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** `date` columns are read as 'YYYY-MM-DD' strings (see the type parsers in database.ts). */
type DateString = ColumnType<string, string, string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

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
  first_class: boolean;
  monitor_only: boolean;
  description: string;
  why_it_matters: string;
  sources: Json<SourceRefJson[]>;
  display_order: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface EventsTable {
  id: Generated<number>;
  title: string;
  summary: string;
  url: string;
  canonical_url: string;
  publisher: string;
  source_type: string;
  source_id: string | null;
  tier: 'A' | 'B' | 'C' | 'D';
  published_at: Timestamp;
  ingested_at: CreatedAt;
  content_hash: string;
  retracted: Generated<boolean>;
  retracted_reason: string | null;
  retracted_at: Timestamp | null;
  analysis: Json<Record<string, unknown>> | null;
}

export interface ObservationsTable {
  id: Generated<number>;
  event_id: number;
  signpost_code: string;
  value: number;
  confidence: number;
  method: 'rule' | 'llm' | 'manual';
  rationale: string | null;
  status: 'pending' | 'approved' | 'rejected';
  reviewed_by: number | null;
  reviewed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface IndexSnapshotsTable {
  id: Generated<number>;
  as_of: DateString;
  preset: string;
  methodology_version: number;
  composite: number | null;
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
  confidence: number | null;
  quote: string | null;
  url: string;
  published_at: DateString;
}

export interface ChangelogTable {
  id: Generated<number>;
  created_at: CreatedAt;
  kind: string;
  title: string;
  body: string;
  preset: string | null;
  as_of: DateString | null;
  details: Json<Record<string, unknown>>;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  secret_hash: string;
  role: 'reader' | 'admin';
  rate_limit_per_minute: number | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogsTable {
  id: Generated<number>;
  timestamp: CreatedAt;
  api_key_id: number | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  details: Json<Record<string, unknown>>;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  success: boolean;
  error_message: string | null;
}

export interface LlmUsageTable {
  id: Generated<number>;
  created_at: CreatedAt;
  day: DateString;
  kind: 'llm' | 'embedding';
  provider: string;
  model: string;
  task: string;
  input_tokens: number;
  output_tokens: number;
  reserved_usd: number;
  cost_usd: number;
  status: 'ok' | 'failed' | 'cancelled';
  request_id: string | null;
  error: string | null;
}

export interface LlmBudgetDaysTable {
  day: DateString;
  reserved_usd: number;
  llm_spend_usd: number;
  embedding_spend_usd: number;
}

export interface IngestRunsTable {
  id: Generated<number>;
  source: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  fetched: number;
  new: number;
  duplicates: number;
  errors: number;
  error_message: string | null;
  details: Json<Record<string, unknown>>;
}

export interface IngestSourceStateTable {
  source: string;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: Timestamp | null;
  last_status: number | null;
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
