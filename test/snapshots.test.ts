import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, databaseKinds, type TestContext } from './helpers/databases.js';
import { AGENT_BREAKTHROUGH, asLines, daysAgo, evidenceEvent } from './helpers/evidence.js';
import { METHODOLOGY_VERSION } from '../src/domain/methodology.js';
import { addDays } from '../src/services/index-service.js';
import { bootstrap } from '../src/services/bootstrap-service.js';

describe.each(databaseKinds())('snapshots on %s', (kind) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(kind);
  });
  afterAll(async () => t?.cleanup());

  const presets = () => t.ctx.catalog.catalog.presets.map((p) => p.code);
  const snapshot = (day: string, preset = 'equal') => t.ctx.repos.snapshots.find(day, preset, METHODOLOGY_VERSION);
  const moves = async (day: string) =>
    (await t.ctx.repos.changelog.computedEntries(t.ctx.database.db, ['index_move'], presets(), day, day)).filter((e) => e.as_of === day);

  it("start-up leaves today's snapshot for every preset, recording the methodology version", async () => {
    const today = t.ctx.services.index.today();
    for (const preset of presets()) {
      const row = await snapshot(today, preset);
      expect(row, preset).toBeDefined();
      expect(row!.methodology_version).toBe(METHODOLOGY_VERSION);
      expect((row!.payload as { methodology_version: number }).methodology_version).toBe(METHODOLOGY_VERSION);
    }
    // A second start with nothing new writes nothing.
    expect((await bootstrap(t.ctx)).snapshots).toBeUndefined();
  });

  it('recomputing a past day twice gives identical numbers, equal to computing it from the ledger', async () => {
    const first = await t.ctx.services.snapshots.recompute({ asOf: '2025-06-30' });
    const a = await snapshot('2025-06-30');
    const second = await t.ctx.services.snapshots.recompute({ asOf: '2025-06-30' });
    const b = await snapshot('2025-06-30');
    expect(first.composite).toEqual(second.composite);
    expect(b!.payload).toEqual(a!.payload);
    expect(b!.composite).toBe(a!.composite);
    const direct = t.ctx.services.index.compute(
      await t.ctx.services.index.ledger('2025-06-30'),
      '2025-06-30',
      t.ctx.services.index.preset('equal').weights,
    );
    expect(a!.payload).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it('a composite move of 2 points or more writes one changelog entry per preset, never a duplicate', async () => {
    const day = daysAgo(20);
    const report = await t.ctx.services.imports.importLines(
      asLines([evidenceEvent({ published_at: day, observations: AGENT_BREAKTHROUGH })]),
    );
    expect(report.inserted).toBe(1);
    const written = await t.ctx.services.snapshots.recompute({ asOf: day });
    const before = (await t.ctx.services.index.index('equal', addDays(day, -1))).result.composite.value!;
    const after = (await snapshot(day))!.composite!;
    expect(after - before).toBeGreaterThanOrEqual(0.02);
    const entries = await moves(day);
    const expected: string[] = [];
    for (const p of presets()) {
      const previous = (await t.ctx.services.index.index(p, addDays(day, -1))).result.composite.value!;
      if (Math.abs(written.composite[p]! - previous) >= 0.02) expected.push(p);
    }
    expect(expected).toContain('equal');
    expect(entries.map((e) => e.preset).sort()).toEqual(expected.sort());
    const equal = entries.find((e) => e.preset === 'equal')!;
    expect(equal.title).toMatch(/^Composite \(Equal weights\) rose \d+\.\d points to \d+\.\d$/);
    expect(equal.details).toMatchObject({ from: before, to: after });
    expect((equal.details as { signposts: Array<{ code: string }> }).signposts.map((s) => s.code)).toContain('osworld_65');

    const again = await t.ctx.services.snapshots.recompute({ asOf: day });
    expect(again.changelog).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    expect((await moves(day)).map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
  });

  it('a day whose composite moves less than 2 points writes no entry', async () => {
    const day = daysAgo(10);
    await t.ctx.services.imports.importLines(
      asLines([evidenceEvent({ published_at: day, observations: [{ signpost: 'imo_gold', value: 0 }] })]),
    );
    const report = await t.ctx.services.snapshots.recompute({ asOf: day });
    expect(report.changelog.inserted).toBe(0);
    expect(await moves(day)).toEqual([]);
  });

  it('filling history writes only the missing days', async () => {
    const first = await t.ctx.services.snapshots.ensureHistory(30);
    expect(first!.days.length).toBeGreaterThan(0);
    expect(first!.days).not.toContain('2025-06-30');
    const count = await t.ctx.repos.snapshots.existingDays(METHODOLOGY_VERSION, daysAgo(29), t.ctx.services.index.today());
    expect(count.length).toBe(30 * presets().length);
    expect(await t.ctx.services.snapshots.ensureHistory(30)).toBeUndefined();
  });
});
