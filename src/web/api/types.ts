/** Shapes of the API responses the web app reads (docs/api.md is the contract). */

export type Tier = 'A' | 'B' | 'C' | 'D';
export type Category = 'capabilities' | 'agents' | 'inputs' | 'security' | 'economic' | 'research' | 'geopolitical' | 'safety_incidents';

export const CATEGORIES: Category[] = [
  'capabilities',
  'agents',
  'inputs',
  'security',
  'economic',
  'research',
  'geopolitical',
  'safety_incidents',
];
export const COMPOSITE_CATEGORIES: Category[] = ['capabilities', 'agents', 'inputs'];
export const PRESETS = ['equal', 'aschenbrenner', 'ai2027', 'cotra', 'conservative'] as const;
export type PresetCode = (typeof PRESETS)[number];
export const TIERS: Tier[] = ['A', 'B', 'C', 'D'];

export interface Interval {
  low: number;
  high: number;
}

export interface Weights {
  capabilities: number;
  agents: number;
  inputs: number;
}

export interface GatedScore {
  value: number | null;
  status: 'ok' | 'insufficient';
  reason?: string | null;
  interval: Interval | null;
}

export interface CategoryScore {
  score: number | null;
  interval: Interval | null;
  signposts: number;
  signposts_with_evidence: number;
  provisional_signposts: number;
  has_ab_evidence: boolean;
}

export interface SignpostScore {
  code: string;
  category: Category;
  progress: number;
  status: 'ok' | 'provisional' | 'no_evidence';
  value: number | null;
  provisional: boolean;
  monitor_only: boolean;
  interval: Interval | null;
  published_at?: string | null;
}

export interface IndexResponse {
  as_of: string;
  preset: { code: string; name: string } | null;
  methodology_version: number;
  weights: Weights;
  composite: GatedScore;
  safety_margin: GatedScore;
  categories: Partial<Record<Category, CategoryScore>>;
  signposts?: SignpostScore[];
  inputs?: { observations_used: number; provisional_count: number; signposts_with_evidence: number };
}

export interface HistoryPoint {
  date: string;
  value: number | null;
  interval: Interval | null;
}

export interface Observation {
  id: number | string;
  event_id?: number | string;
  signpost: string;
  category?: Category | null;
  verified?: boolean;
  value: number;
  confidence?: number;
  method?: string;
  status: 'pending' | 'approved' | 'rejected';
  rationale?: string | null;
  event?: Pick<EventSummary, 'id' | 'title' | 'url' | 'publisher' | 'tier' | 'published_at' | 'retracted'>;
}

export interface EventSummary {
  id: number | string;
  title: string;
  summary?: string | null;
  url: string;
  publisher?: string | null;
  source_type?: string | null;
  tier: Tier;
  published_at: string;
  retracted?: boolean;
  retracted_reason?: string | null;
  verified?: boolean;
  signposts?: string[];
  observations?: Observation[];
  analysis?: {
    summary?: string | null;
    significance?: number | null;
    impact?: { short?: string; medium?: string; long?: string } | null;
  } | null;
}

export interface Page<T> {
  results: T[];
  next_cursor: string | null;
}

export interface MetricRef {
  code: string;
  name: string;
  unit: string;
  scale: 'linear' | 'log10';
  direction: 'increasing' | 'decreasing';
}

export interface Signpost {
  code: string;
  name: string;
  category: Category;
  metric: MetricRef;
  baseline: number;
  target: number;
  first_class: boolean;
  monitor_only: boolean;
  description?: string;
  why_it_matters?: string;
  sources?: { title: string; url: string }[];
  progress?: number;
  status?: 'ok' | 'provisional' | 'no_evidence';
  value?: number | null;
  interval?: Interval | null;
  best_observation_id?: number | null;
  best_published_at?: string | null;
}

export interface Forecast {
  signpost: string;
  forecaster: string;
  predicted_date: string;
  interval_low?: string | null;
  interval_high?: string | null;
  quote?: string | null;
  url?: string | null;
  status?: 'ahead' | 'on_track' | 'behind' | null;
  crossed_date?: string | null;
  surprise_years?: number | null;
}

export interface SignpostDetail extends Signpost {
  observations: Observation[];
  forecasts: Forecast[];
  best_evidence: Observation | null;
}

export interface ChangelogEntry {
  id: number | string;
  kind: string;
  title: string;
  body: string;
  preset: string | null;
  as_of: string | null;
  created_at: string;
}

export interface ChatSource {
  n?: number;
  index?: number;
  id?: number | string;
  kind?: string;
  type?: string;
  title: string;
  url?: string | null;
  publisher?: string | null;
  tier?: Tier | null;
  published_at?: string | null;
  snippet?: string | null;
}

export interface LlmBudget {
  date: string;
  llm_spend_usd: number;
  embedding_spend_usd: number;
  total_spend_usd: number;
  warning_threshold_usd: number;
  hard_limit_usd: number;
  at_warning: boolean;
  blocked: boolean;
}

export interface ApiKeyRow {
  id: number | string;
  name: string;
  role: 'reader' | 'admin';
  prefix?: string;
  key_prefix?: string;
  created_at?: string;
  last_used_at?: string | null;
  revoked_at?: string | null;
  revoked?: boolean;
}

export interface AuditLogRow {
  id: number | string;
  timestamp: string;
  api_key_id?: number | string | null;
  action: string;
  resource_type?: string | null;
  resource_id?: string | null;
  details?: unknown;
  ip_address?: string | null;
  user_agent?: string | null;
  request_id?: string | null;
  success: boolean;
  error_message?: string | null;
}

export interface IngestRun {
  id: number | string;
  source: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string;
  finished_at: string | null;
  fetched: number;
  new: number;
  duplicates: number;
  errors: number;
  error_message: string | null;
}

export interface FailedJob {
  id: string;
  name: string;
  failed_reason: string;
  attempts_made: number;
  created_at: string;
  finished_at: string | null;
}
