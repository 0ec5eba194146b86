import { type Kysely } from 'kysely';
import { runScript } from './run-script.js';

/** P1-6: append-only audit log. A trigger rejects UPDATE, DELETE and TRUNCATE so rows cannot be rewritten. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    CREATE TABLE audit_logs (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      timestamp timestamptz NOT NULL DEFAULT now(),
      api_key_id integer REFERENCES api_keys (id),
      action text NOT NULL,
      resource_type text,
      resource_id text,
      details jsonb NOT NULL DEFAULT '{}',
      ip_address text,
      user_agent text,
      request_id text,
      success boolean NOT NULL,
      error_message text
    );
    CREATE INDEX idx_audit_logs_timestamp ON audit_logs (timestamp DESC, id DESC);
    CREATE INDEX idx_audit_logs_action_timestamp ON audit_logs (action, timestamp DESC);
    CREATE INDEX idx_audit_logs_key_timestamp ON audit_logs (api_key_id, timestamp DESC);

    CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END;
    $$;
    CREATE TRIGGER audit_logs_no_update_delete BEFORE UPDATE OR DELETE ON audit_logs
      FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
    CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
      FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    DROP TABLE audit_logs;
    DROP FUNCTION audit_logs_append_only();
  `,
  );
}
