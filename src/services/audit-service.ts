import type { Registry } from 'prom-client';
import type { Transaction } from 'kysely';
import type { AuditFilter, AuditRepository, NewAuditRow } from '../db/repositories/audit-repository.js';
import type { AuditLogRow, DB } from '../db/schema.js';
import { AppError } from '../errors.js';
import { counter } from '../app/metrics.js';

/** The parts of an HTTP request an audit row records (a Fastify request fits; no HTTP types here). */
export interface AuditRequest {
  id: string;
  ip: string;
  headers: { 'user-agent'?: string | string[] };
  principal?: { id: number };
}

export interface AuditEntry {
  req?: AuditRequest;
  action: string;
  resource_type?: string | null;
  resource_id?: string | number | null;
  details?: Record<string, unknown>;
  success: boolean;
  error_message?: string | null;
  /** Defaults to the request's principal. */
  api_key_id?: number | null;
}

/** An audit row as the API shows it: what was recorded, with its id and time. */
export type AuditLogPublic = NewAuditRow & { id: number; timestamp: string };

const SECRET_FIELD = /secret|password|token|api_?key$/i;

/** Audit details never carry secrets, whatever a caller passes. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}

export function presentAuditLog(row: AuditLogRow): AuditLogPublic {
  return { ...row, timestamp: row.timestamp.toISOString(), details: row.details ?? {} };
}

/**
 * P1-6: one row per admin action and per failed admin attempt, with who (key id), from where
 * (client IP behind trusted proxies, user agent) and which request (request id).
 */
export class AuditService {
  private readonly written;

  constructor(
    private readonly repo: AuditRepository,
    metrics: Registry,
  ) {
    this.written = counter(metrics, {
      name: 'agi_tracker_audit_rows_total',
      help: 'Audit rows written, by action and outcome',
      labelNames: ['action', 'success'] as const,
    });
  }

  /** With `trx`, the row commits or rolls back with the change it records. */
  async record(entry: AuditEntry, trx?: Transaction<DB>): Promise<void> {
    const ua = entry.req?.headers['user-agent'];
    await this.repo.insert(
      {
        api_key_id: entry.api_key_id !== undefined ? entry.api_key_id : (entry.req?.principal?.id ?? null),
        action: entry.action,
        resource_type: entry.resource_type ?? null,
        resource_id: entry.resource_id === undefined || entry.resource_id === null ? null : String(entry.resource_id),
        details: redact(entry.details ?? {}) as Record<string, unknown>,
        ip_address: entry.req?.ip ?? null,
        user_agent: (Array.isArray(ua) ? ua[0] : ua)?.slice(0, 512) ?? null,
        request_id: entry.req?.id ?? null,
        success: entry.success,
        error_message: entry.error_message?.slice(0, 1000) ?? null,
      },
      trx,
    );
    this.written.inc({ action: entry.action, success: String(entry.success) });
  }

  /**
   * Runs an admin action and records its outcome: success with what `describe` adds (the created
   * id...), or failure with the error's public message. The error is rethrown.
   */
  async audited<T>(
    entry: Omit<AuditEntry, 'success' | 'error_message'>,
    action: () => Promise<T>,
    describe?: (result: T) => Pick<AuditEntry, 'resource_id' | 'details'>,
  ): Promise<T> {
    let result: T;
    try {
      result = await action();
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'internal error';
      await this.record({ ...entry, success: false, error_message: message });
      throw err;
    }
    const extra = describe?.(result) ?? {};
    await this.record({ ...entry, ...extra, details: { ...entry.details, ...extra.details }, success: true });
    return result;
  }

  async list(filter: AuditFilter, page: { limit: number; beforeId?: number }): Promise<AuditLogPublic[]> {
    return (await this.repo.list(filter, page)).map(presentAuditLog);
  }
}
