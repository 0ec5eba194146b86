import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** Small key/value facts about this database (which catalog and bundle versions were loaded). */
export class AppStateRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async get<T extends Record<string, unknown>>(key: string): Promise<T | undefined> {
    const row = await this.db.selectFrom('app_state').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value as T | undefined;
  }

  async set(key: string, value: Record<string, unknown>): Promise<void> {
    const row = { key, value: JSON.stringify(value), updated_at: new Date() };
    await this.db
      .insertInto('app_state')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet(row))
      .execute();
  }
}
