import { type Kysely } from 'kysely';
import { runScript } from './run-script.js';

/**
 * P0-3: indexes shaped like the real list queries. Events are listed newest first with an id
 * tie-break (keyset cursor on (published_at, id)), usually without retracted rows, optionally by tier;
 * observations are read by signpost (scoring, signpost pages) and by event (event pages, review).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    CREATE INDEX idx_events_published_id ON events (published_at DESC, id DESC);
    CREATE INDEX idx_events_live_published_id ON events (published_at DESC, id DESC) WHERE NOT retracted;
    CREATE INDEX idx_events_tier_published_id ON events (tier, published_at DESC, id DESC);
    CREATE INDEX idx_events_source_published ON events (source_type, published_at DESC);
    CREATE INDEX idx_events_canonical_url ON events (canonical_url);
    CREATE INDEX idx_observations_signpost_status_event ON observations (signpost_code, status, event_id);
    CREATE INDEX idx_observations_status_created ON observations (status, created_at, id);
    CREATE INDEX idx_observations_event ON observations (event_id);
  `);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `
    DROP INDEX idx_observations_event;
    DROP INDEX idx_observations_status_created;
    DROP INDEX idx_observations_signpost_status_event;
    DROP INDEX idx_events_canonical_url;
    DROP INDEX idx_events_source_published;
    DROP INDEX idx_events_tier_published_id;
    DROP INDEX idx_events_live_published_id;
    DROP INDEX idx_events_published_id;
  `);
}
