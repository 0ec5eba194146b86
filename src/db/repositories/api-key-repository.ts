import type { Kysely } from 'kysely';
import type { ApiKeyRow, DB } from '../schema.js';

export type ApiKeyRole = 'reader' | 'admin';

export class ApiKeyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: {
    name: string;
    prefix: string;
    secret_hash: string;
    role: ApiKeyRole;
    rate_limit_per_minute?: number | null;
  }): Promise<ApiKeyRow> {
    return this.db
      .insertInto('api_keys')
      .values({ ...row, rate_limit_per_minute: row.rate_limit_per_minute ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findActiveByPrefix(prefix: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).where('revoked_at', 'is', null).executeTakeFirst();
  }

  findById(id: number): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async countActiveAdmins(): Promise<number> {
    const r = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Keys by name (newest first), e.g. the row that mirrors ADMIN_API_KEY. */
  findActiveByName(name: string): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .orderBy('id', 'desc')
      .execute();
  }

  /** Keyset page, newest first. */
  list(opts: { limit: number; beforeId?: number; includeRevoked?: boolean }): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom('api_keys').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
    if (!opts.includeRevoked) q = q.where('revoked_at', 'is', null);
    return q.execute();
  }

  async revoke(id: number): Promise<ApiKeyRow | undefined> {
    return this.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  async touch(id: number, at: Date): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
