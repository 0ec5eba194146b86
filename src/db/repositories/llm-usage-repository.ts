import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, LlmUsageRow } from '../schema.js';

export type SpendKind = 'llm' | 'embedding';
export type SettledStatus = 'ok' | 'failed' | 'cancelled';

export interface LedgerEntry {
  day: string;
  kind: SpendKind;
  provider: string;
  model: string;
  task: string;
  requestId?: string;
  reservedMicros: number;
}

export interface Settlement {
  status: SettledStatus;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  error?: string;
}

/** A day's money in whole micro-dollars. */
export interface DayTotals {
  llm: number;
  embedding: number;
  reserved: number;
}

/** Micro-dollars as a numeric expression: integers cross the wire, the division happens in SQL. */
const usd = (micros: number) => sql<number>`(${Math.round(micros)}::numeric / 1000000)`;

/**
 * The LLM ledger (one row per model call, `llm_usage`) and the per-day counter (`llm_budget_days`)
 * used when there is no Redis. Every statement here is transaction-scoped (row locks, no session
 * state), so it is safe behind PgBouncer in transaction mode.
 */
export class LlmUsageRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Postgres budget mode: in one transaction, add the reservation to the day's counter only if the
   * day's spend plus reservations stays within the limit (a single conditional UPDATE: concurrent
   * reservations queue on the row lock and each re-checks the condition), and record the ledger row.
   */
  async reserveOnCounter(entry: LedgerEntry, limitMicros: number): Promise<{ ok: true; id: number } | { ok: false; committed: DayTotals }> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('llm_budget_days')
        .values({ day: entry.day })
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
      const updated = await sql<{ day: string }>`
        UPDATE llm_budget_days SET reserved_usd = reserved_usd + ${usd(entry.reservedMicros)}
        WHERE day = ${entry.day}
          AND reserved_usd + llm_spend_usd + embedding_spend_usd + ${usd(entry.reservedMicros)} <= ${usd(limitMicros)}
        RETURNING day`.execute(trx);
      if (updated.rows.length === 0) return { ok: false as const, committed: await this.counterTotalsIn(trx, entry.day) };
      const id = await this.insertReservedIn(trx, entry);
      return { ok: true as const, id };
    });
  }

  /** Redis budget mode: the reservation lives in Redis; the ledger row records it durably. */
  async insertReserved(entry: LedgerEntry): Promise<number> {
    return this.insertReservedIn(this.db, entry);
  }

  private async insertReservedIn(db: Kysely<DB> | Transaction<DB>, entry: LedgerEntry): Promise<number> {
    const row = await db
      .insertInto('llm_usage')
      .values({
        day: entry.day,
        kind: entry.kind,
        provider: entry.provider,
        model: entry.model,
        task: entry.task,
        request_id: entry.requestId ?? null,
        reserved_usd: usd(entry.reservedMicros),
        status: 'reserved',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Settles a ledger row. With `counter` (Postgres budget mode) the day's counter moves in the same
   * transaction: the reservation is released (once: only while the row is still `reserved`) and the
   * actual cost is added. Settling a row twice adjusts by the difference, never double-counts.
   */
  async settle(id: number, s: Settlement, opts: { counter: boolean }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('llm_usage')
        .select([
          'day',
          'kind',
          'status',
          sql<number>`round(reserved_usd * 1000000)`.as('reserved_micros'),
          sql<number>`round(cost_usd * 1000000)`.as('cost_micros'),
        ])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return;
      await trx
        .updateTable('llm_usage')
        .set({
          status: s.status,
          input_tokens: s.inputTokens,
          output_tokens: s.outputTokens,
          cost_usd: usd(s.costMicros),
          error: s.error ? s.error.slice(0, 500) : null,
          settled_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      if (!opts.counter) return;
      const release = row.status === 'reserved' ? Number(row.reserved_micros) : 0;
      const delta = s.costMicros - Number(row.cost_micros);
      const column = row.kind === 'llm' ? sql.ref('llm_spend_usd') : sql.ref('embedding_spend_usd');
      await sql`
        UPDATE llm_budget_days
        SET reserved_usd = greatest(reserved_usd - ${usd(release)}, 0), ${column} = ${column} + ${usd(delta)}
        WHERE day = ${row.day}`.execute(trx);
    });
  }

  /**
   * Rows still `reserved` after `olderThan` belong to a process that died mid-call: mark them failed
   * and (Postgres budget mode) give their reservation back. Rows locked by a live settlement are skipped.
   */
  async expireStale(olderThan: Date, opts: { counter: boolean }): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const stale = await trx
        .selectFrom('llm_usage')
        .select(['id', 'day', sql<number>`round(reserved_usd * 1000000)`.as('reserved_micros')])
        .where('status', '=', 'reserved')
        .where('created_at', '<', olderThan)
        .forUpdate()
        .skipLocked()
        .execute();
      if (stale.length === 0) return 0;
      await trx
        .updateTable('llm_usage')
        .set({ status: 'failed', error: 'reservation expired: the process ended before settling the call', settled_at: new Date() })
        .where(
          'id',
          'in',
          stale.map((r) => r.id),
        )
        .execute();
      if (opts.counter) {
        const byDay = new Map<string, number>();
        for (const r of stale) byDay.set(r.day, (byDay.get(r.day) ?? 0) + Number(r.reserved_micros));
        for (const [day, micros] of byDay) {
          await sql`UPDATE llm_budget_days SET reserved_usd = greatest(reserved_usd - ${usd(micros)}, 0) WHERE day = ${day}`.execute(trx);
        }
      }
      return stale.length;
    });
  }

  /** Removes a ledger row whose call never happened (its reservation was refused). */
  async deleteReserved(id: number): Promise<void> {
    await this.db.deleteFrom('llm_usage').where('id', '=', id).where('status', '=', 'reserved').execute();
  }

  async counterTotals(day: string): Promise<DayTotals> {
    return this.counterTotalsIn(this.db, day);
  }

  private async counterTotalsIn(db: Kysely<DB> | Transaction<DB>, day: string): Promise<DayTotals> {
    const row = await db
      .selectFrom('llm_budget_days')
      .select([
        sql<number>`round(llm_spend_usd * 1000000)`.as('llm'),
        sql<number>`round(embedding_spend_usd * 1000000)`.as('embedding'),
        sql<number>`round(reserved_usd * 1000000)`.as('reserved'),
      ])
      .where('day', '=', day)
      .executeTakeFirst();
    return { llm: Number(row?.llm ?? 0), embedding: Number(row?.embedding ?? 0), reserved: Number(row?.reserved ?? 0) };
  }

  /** The day's totals recomputed from the ledger itself (settled costs by kind, open reservations). */
  async ledgerTotals(day: string): Promise<DayTotals> {
    const r = await sql<{ llm: number; embedding: number; reserved: number }>`
      SELECT
        coalesce(round(sum(cost_usd) FILTER (WHERE kind = 'llm') * 1000000), 0) AS llm,
        coalesce(round(sum(cost_usd) FILTER (WHERE kind = 'embedding') * 1000000), 0) AS embedding,
        coalesce(round(sum(reserved_usd) FILTER (WHERE status = 'reserved') * 1000000), 0) AS reserved
      FROM llm_usage WHERE day = ${day}`.execute(this.db);
    const row = r.rows[0];
    return { llm: Number(row?.llm ?? 0), embedding: Number(row?.embedding ?? 0), reserved: Number(row?.reserved ?? 0) };
  }

  async get(id: number): Promise<LlmUsageRow | undefined> {
    return this.db.selectFrom('llm_usage').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listDay(day: string): Promise<LlmUsageRow[]> {
    return this.db.selectFrom('llm_usage').selectAll().where('day', '=', day).orderBy('id').execute();
  }
}
