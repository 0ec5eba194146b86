import type { Kysely, Transaction } from 'kysely';
import type { AuditLogRow, DB } from '../schema.js';

export interface NewAuditRow {
  api_key_id: number | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  details: Record<string, unknown>;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
  success: boolean;
  error_message: string | null;
}

export interface AuditFilter {
  action?: string;
  api_key_id?: number;
  success?: boolean;
  resource_type?: string;
  since?: Date;
  until?: Date;
}

/** Append-only: rows are inserted and read, never updated (the database rejects it). */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Pass the caller's transaction to make the row part of the change it records. */
  async insert(row: NewAuditRow, exec: Kysely<DB> | Transaction<DB> = this.db): Promise<AuditLogRow> {
    return exec
      .insertInto('audit_logs')
      .values({ ...row, details: JSON.stringify(row.details) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Keyset page, newest first (ids grow with time). */
  list(filter: AuditFilter, page: { limit: number; beforeId?: number }): Promise<AuditLogRow[]> {
    let q = this.db.selectFrom('audit_logs').selectAll().orderBy('id', 'desc').limit(page.limit);
    if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.api_key_id !== undefined) q = q.where('api_key_id', '=', filter.api_key_id);
    if (filter.success !== undefined) q = q.where('success', '=', filter.success);
    if (filter.resource_type !== undefined) q = q.where('resource_type', '=', filter.resource_type);
    if (filter.since !== undefined) q = q.where('timestamp', '>=', filter.since);
    if (filter.until !== undefined) q = q.where('timestamp', '<', filter.until);
    return q.execute();
  }
}
