import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, databaseKinds, TEST_ADMIN_KEY, type TestContext } from './helpers/databases.js';
import { bootstrap } from '../src/services/bootstrap-service.js';
import { REQUIRED_SIGNPOST_CODES, CORE_CATEGORIES } from '../src/domain/catalog.js';

describe.each(databaseKinds())('first start on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(async () => t?.cleanup());

  async function counts() {
    const db = t.ctx.database.db;
    const n = async (table: 'metrics' | 'signposts' | 'events' | 'observations' | 'forecasts' | 'api_keys') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      metrics: await n('metrics'),
      signposts: await n('signposts'),
      events: await n('events'),
      observations: await n('observations'),
      forecasts: await n('forecasts'),
      api_keys: await n('api_keys'),
    };
  }

  it('loads the catalog with every required signpost and the bundled evidence', async () => {
    const c = await counts();
    expect(c.events).toBeGreaterThanOrEqual(60);
    expect(c.observations).toBeGreaterThanOrEqual(60);
    expect(c.forecasts).toBeGreaterThan(0);
    const codes = (await t.ctx.database.db.selectFrom('signposts').select('code').execute()).map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining([...REQUIRED_SIGNPOST_CODES]));
  });

  it('every core category has approved A/B evidence', async () => {
    const rows = await t.ctx.database.db
      .selectFrom('observations as o')
      .innerJoin('events as e', 'e.id', 'o.event_id')
      .innerJoin('signposts as s', 's.code', 'o.signpost_code')
      .select('s.category')
      .distinct()
      .where('o.status', '=', 'approved')
      .where('e.tier', 'in', ['A', 'B'])
      .execute();
    expect(rows.map((r) => r.category)).toEqual(expect.arrayContaining([...CORE_CATEGORIES]));
  });

  it('a second start changes nothing (idempotent)', async () => {
    const before = await counts();
    const again = await bootstrap(t.ctx);
    expect(again.migrations).toEqual([]);
    expect(again.catalogUpdated).toBe(false);
    expect(again.evidence).toBeUndefined();
    expect(again.createdAdminKey).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('ADMIN_API_KEY authenticates as admin without any key being printed', async () => {
    const principal = await t.ctx.services.apiKeys.authenticate(TEST_ADMIN_KEY);
    expect(principal?.role).toBe('admin');
    expect(await t.ctx.services.apiKeys.authenticate(`${TEST_ADMIN_KEY}x`)).toBeUndefined();
  });
});

describe('first start without ADMIN_API_KEY', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext('pglite', { ADMIN_API_KEY: undefined }, { loadData: false });
  });
  afterAll(async () => t?.cleanup());

  it('creates one admin key, stores only its hash, and does not create another on the next start', async () => {
    const first = await bootstrap(t.ctx);
    expect(first.createdAdminKey?.secret).toMatch(/^agt_/);
    const secret = first.createdAdminKey!.secret;
    const rows = await t.ctx.database.db.selectFrom('api_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect((await t.ctx.services.apiKeys.authenticate(secret))?.role).toBe('admin');
    expect((await bootstrap(t.ctx)).createdAdminKey).toBeUndefined();
  });
});
