import { type Kysely } from 'kysely';
import { runScript } from './run-script.js';

/**
 * P0-3: indexes shaped like the real queries (EventRepository, ObservationRepository), checked with
 * EXPLAIN on 100k events by test/events-indexes.test.ts.
 *
 * - Event lists (/v1/events, feeds, exports, review queue) are newest first with an id tie-break and a
 *   keyset cursor on (published_at, id), and hide retracted events unless asked: a partial index on
 *   (published_at DESC, id DESC) WHERE NOT retracted, and the full one for include_retracted=true.
 * - ?tier=X adds tier equality in front of the same order (partial, live events).
 * - Ingestion checks canonical URLs before inserting (dedup by URL as well as content hash).
 * - ?signpost= / ?category= and signpost pages probe observations by (signpost_code, status) and join
 *   to events by id; the scoring ledger reads approved observations by status; the review queue asks
 *   for events with pending observations. Observations by event use the unique (event_id, signpost_code).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE INDEX idx_events_published_id ON events (published_at DESC, id DESC);
    CREATE INDEX idx_events_live_published_id ON events (published_at DESC, id DESC) WHERE NOT retracted;
    CREATE INDEX idx_events_live_tier_published_id ON events (tier, published_at DESC, id DESC) WHERE NOT retracted;
    CREATE INDEX idx_events_canonical_url ON events (canonical_url);
    CREATE INDEX idx_observations_signpost_status_event ON observations (signpost_code, status, event_id);
    CREATE INDEX idx_observations_status_event ON observations (status, event_id);
    CREATE INDEX idx_observations_pending_event ON observations (event_id) WHERE status = 'pending';
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP INDEX idx_observations_pending_event;
    DROP INDEX idx_observations_status_event;
    DROP INDEX idx_observations_signpost_status_event;
    DROP INDEX idx_events_canonical_url;
    DROP INDEX idx_events_live_tier_published_id;
    DROP INDEX idx_events_live_published_id;
    DROP INDEX idx_events_published_id;
  `,
  );
}
