import { type Kysely } from 'kysely';
import { runScript } from './run-script.js';

/**
 * `?signpost=` and `?category=` on event lists, feeds and exports, as an ordered index instead of a
 * probe per event.
 *
 * `event_links` holds one row per (event, signpost) and per (event, category) among the event's
 * APPROVED observations, keyed `signpost:<code>` / `category:<code>`, with the event's publication
 * time copied in. A filtered page is then one backward range scan of the primary key
 * (link, published_at, event_id) from the keyset cursor, plus a primary-key probe into events per row
 * shown: about 50 probes for a page, where `EXISTS (observations ...)` per event scanned had to test
 * every event until 50 matched (a signpost linked to 3% of events meant ~1,700 probes; 2-3 ms of
 * Postgres CPU per page with 100k events).
 *
 * The rows are derived data, kept by triggers so no writer can forget them: a change to observations
 * recomputes the links of the events whose approved observations it touched (statement-level,
 * transition tables, so a bulk import pays once per statement; pending rows, as ingestion writes
 * them, cost nothing), a signpost moving to another category recomputes its events, and a changed
 * publication time is copied. The recompute locks the events' rows first (FOR NO
 * KEY UPDATE: foreign-key checks of concurrent observation inserts are not blocked), so two transactions
 * changing links of one event recompute one after the other, the second from the first's committed rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE TABLE event_links (
      link text NOT NULL,
      published_at timestamptz NOT NULL,
      event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      PRIMARY KEY (link, published_at, event_id)
    );
    CREATE INDEX idx_event_links_event ON event_links (event_id);

    CREATE FUNCTION refresh_event_links(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
      PERFORM 1 FROM events WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
      DELETE FROM event_links WHERE event_id = ANY (ids);
      INSERT INTO event_links (link, published_at, event_id)
      SELECT DISTINCT l.link, e.published_at, e.id
      FROM observations o
      JOIN events e ON e.id = o.event_id
      JOIN signposts s ON s.code = o.signpost_code
      CROSS JOIN LATERAL (VALUES ('signpost:' || o.signpost_code), ('category:' || s.category)) AS l (link)
      WHERE o.event_id = ANY (ids) AND o.status = 'approved';
    END $$;

    CREATE FUNCTION observations_refresh_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM refresh_event_links(ARRAY(SELECT DISTINCT event_id FROM new_rows WHERE status = 'approved'));
      ELSIF TG_OP = 'UPDATE' THEN
        PERFORM refresh_event_links(ARRAY(
          SELECT unnest(ARRAY[o.event_id, n.event_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE (n.status, n.signpost_code, n.event_id) IS DISTINCT FROM (o.status, o.signpost_code, o.event_id)
            AND 'approved' IN (n.status, o.status)));
      ELSE
        -- Rows deleted with their event are gone with it (ON DELETE CASCADE); refresh the events that remain.
        PERFORM refresh_event_links(ARRAY(SELECT DISTINCT event_id FROM old_rows WHERE status = 'approved' AND EXISTS (SELECT 1 FROM events WHERE id = old_rows.event_id)));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER observations_links_insert AFTER INSERT ON observations
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observations_refresh_links();
    CREATE TRIGGER observations_links_update AFTER UPDATE ON observations
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observations_refresh_links();
    CREATE TRIGGER observations_links_delete AFTER DELETE ON observations
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observations_refresh_links();

    CREATE FUNCTION signposts_refresh_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM refresh_event_links(ARRAY(SELECT DISTINCT event_id FROM observations WHERE signpost_code = NEW.code));
      RETURN NULL;
    END $$;
    CREATE TRIGGER signposts_category_links AFTER UPDATE OF category ON signposts
      FOR EACH ROW WHEN (OLD.category IS DISTINCT FROM NEW.category) EXECUTE FUNCTION signposts_refresh_links();

    CREATE FUNCTION events_published_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE event_links SET published_at = NEW.published_at WHERE event_id = NEW.id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER events_published_links AFTER UPDATE OF published_at ON events
      FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at) EXECUTE FUNCTION events_published_links();

    SELECT refresh_event_links(ARRAY(SELECT DISTINCT event_id FROM observations WHERE status = 'approved'));
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP TRIGGER events_published_links ON events;
    DROP FUNCTION events_published_links();
    DROP TRIGGER signposts_category_links ON signposts;
    DROP FUNCTION signposts_refresh_links();
    DROP TRIGGER observations_links_delete ON observations;
    DROP TRIGGER observations_links_update ON observations;
    DROP TRIGGER observations_links_insert ON observations;
    DROP FUNCTION observations_refresh_links();
    DROP FUNCTION refresh_event_links(integer[]);
    DROP TABLE event_links;
  `,
  );
}
