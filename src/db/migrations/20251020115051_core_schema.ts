import { type Kysely } from 'kysely';
import { runScript } from './run-script.js';

/** Base tables of the tracker: catalog, evidence ledger, snapshots, keys, LLM ledger, ingestion. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE TABLE metrics (
      code text PRIMARY KEY,
      name text NOT NULL,
      unit text NOT NULL,
      scale text NOT NULL CHECK (scale IN ('linear', 'log10')),
      direction text NOT NULL DEFAULT 'increasing' CHECK (direction IN ('increasing', 'decreasing')),
      aliases jsonb NOT NULL DEFAULT '[]',
      description text NOT NULL,
      sources jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE signposts (
      code text PRIMARY KEY,
      name text NOT NULL,
      category text NOT NULL CHECK (category IN ('capabilities', 'agents', 'inputs', 'security',
        'economic', 'research', 'geopolitical', 'safety_incidents')),
      metric_code text NOT NULL REFERENCES metrics (code),
      baseline double precision NOT NULL,
      target double precision NOT NULL,
      first_class boolean NOT NULL DEFAULT false,
      monitor_only boolean NOT NULL DEFAULT false,
      description text NOT NULL,
      why_it_matters text NOT NULL,
      sources jsonb NOT NULL DEFAULT '[]',
      display_order integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX idx_signposts_metric ON signposts (metric_code);

    CREATE TABLE events (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
      summary text NOT NULL DEFAULT '',
      url text NOT NULL CHECK (url ~ '^https?://'),
      canonical_url text NOT NULL,
      publisher text NOT NULL,
      source_type text NOT NULL,
      source_id text,
      tier char(1) NOT NULL CHECK (tier IN ('A', 'B', 'C', 'D')),
      published_at timestamptz NOT NULL,
      ingested_at timestamptz NOT NULL DEFAULT now(),
      content_hash text NOT NULL,
      retracted boolean NOT NULL DEFAULT false,
      retracted_reason text,
      retracted_at timestamptz,
      analysis jsonb,
      search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(publisher, '')), 'C')
      ) STORED,
      CONSTRAINT events_content_hash_key UNIQUE (content_hash),
      CONSTRAINT events_retraction_has_reason CHECK (NOT retracted OR retracted_reason IS NOT NULL)
    );
    CREATE INDEX idx_events_search ON events USING gin (search);

    CREATE TABLE observations (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      signpost_code text NOT NULL REFERENCES signposts (code),
      value double precision NOT NULL,
      confidence real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
      method text NOT NULL CHECK (method IN ('rule', 'llm', 'manual')),
      rationale text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      reviewed_by integer,
      reviewed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT observations_event_signpost_key UNIQUE (event_id, signpost_code)
    );

    CREATE TABLE index_snapshots (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      as_of date NOT NULL,
      preset text NOT NULL,
      methodology_version integer NOT NULL,
      composite double precision,
      status text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT index_snapshots_day_key UNIQUE (as_of, preset, methodology_version)
    );

    CREATE TABLE forecasts (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      signpost_code text NOT NULL REFERENCES signposts (code),
      forecaster text NOT NULL,
      predicted_date date NOT NULL,
      interval_low date,
      interval_high date,
      confidence real CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
      quote text,
      url text NOT NULL,
      published_at date NOT NULL,
      CONSTRAINT forecasts_natural_key UNIQUE (signpost_code, forecaster, predicted_date)
    );

    CREATE TABLE changelog (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      kind text NOT NULL,
      title text NOT NULL,
      body text NOT NULL DEFAULT '',
      preset text,
      as_of date,
      details jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX idx_changelog_created ON changelog (created_at DESC, id DESC);

    CREATE TABLE api_keys (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL,
      prefix text NOT NULL,
      secret_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('reader', 'admin')),
      rate_limit_per_minute integer CHECK (rate_limit_per_minute IS NULL OR rate_limit_per_minute > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      CONSTRAINT api_keys_prefix_key UNIQUE (prefix)
    );

    CREATE TABLE llm_usage (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      day date NOT NULL,
      kind text NOT NULL CHECK (kind IN ('llm', 'embedding')),
      provider text NOT NULL,
      model text NOT NULL,
      task text NOT NULL,
      input_tokens integer NOT NULL DEFAULT 0,
      output_tokens integer NOT NULL DEFAULT 0,
      reserved_usd numeric(12, 6) NOT NULL DEFAULT 0,
      cost_usd numeric(12, 6) NOT NULL DEFAULT 0,
      status text NOT NULL CHECK (status IN ('ok', 'failed', 'cancelled')),
      request_id text,
      error text
    );
    CREATE INDEX idx_llm_usage_day ON llm_usage (day, kind);

    CREATE TABLE llm_budget_days (
      day date PRIMARY KEY,
      reserved_usd numeric(12, 6) NOT NULL DEFAULT 0 CHECK (reserved_usd >= 0),
      llm_spend_usd numeric(12, 6) NOT NULL DEFAULT 0,
      embedding_spend_usd numeric(12, 6) NOT NULL DEFAULT 0
    );

    CREATE TABLE ingest_runs (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source text NOT NULL,
      trigger text NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      fetched integer NOT NULL DEFAULT 0,
      new integer NOT NULL DEFAULT 0,
      duplicates integer NOT NULL DEFAULT 0,
      errors integer NOT NULL DEFAULT 0,
      error_message text,
      details jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX idx_ingest_runs_started ON ingest_runs (started_at DESC, id DESC);

    CREATE TABLE ingest_source_state (
      source text PRIMARY KEY,
      etag text,
      last_modified text,
      last_fetched_at timestamptz,
      last_status integer
    );

    CREATE TABLE app_state (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP TABLE app_state;
    DROP TABLE ingest_source_state;
    DROP TABLE ingest_runs;
    DROP TABLE llm_budget_days;
    DROP TABLE llm_usage;
    DROP TABLE api_keys;
    DROP TABLE changelog;
    DROP TABLE forecasts;
    DROP TABLE index_snapshots;
    DROP TABLE observations;
    DROP TABLE events;
    DROP TABLE signposts;
    DROP TABLE metrics;
  `,
  );
}
