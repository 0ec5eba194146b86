import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TEST_DATABASE_URL, createTestContext, type TestContext } from './helpers/databases.js';
import { evidenceEvent } from './helpers/evidence.js';
import { METHODOLOGY_VERSION } from '../src/domain/methodology.js';

const CLI = [path.resolve('node_modules/.bin/tsx'), path.resolve('src/cli/main.ts')];

// The CLI is the same code on both databases; it runs against server Postgres so a test database can be
// prepared in-process and then handed to the child process (an embedded data dir is single-process).
describe.skipIf(!TEST_DATABASE_URL)('agi-tracker import and recompute (Postgres)', () => {
  let t: TestContext;
  let env: Record<string, string>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agt-cli-tracker-'));

  beforeAll(async () => {
    t = await createTestContext('postgres');
    env = { DATABASE_URL: t.database.url!, REDIS_URL: '', ADMIN_API_KEY: '', INGEST_ENABLED: 'false', LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t?.cleanup();
  });

  function cli(args: string[]) {
    const r = spawnSync(CLI[0]!, [CLI[1]!, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 90_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('import prints the same report as the admin route and exits 2 when a line is rejected', async () => {
    const file = path.join(dir, 'events.jsonl');
    const good = evidenceEvent({ title: 'Imported by the CLI', observations: [{ signpost: 'gpqa_sota', value: 0.9 }] });
    fs.writeFileSync(file, [JSON.stringify(good), '{oops', JSON.stringify(good)].join('\n'));
    const r = cli(['import', file]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      inserted: 1,
      duplicate: 1,
      rejected: 1,
      errors: [{ line: 2, reason: expect.stringMatching(/not valid JSON/) }],
    });
    expect(report.snapshots.to).toBe(t.ctx.services.index.today());
    const audit = await t.ctx.database.db.selectFrom('audit_logs').selectAll().where('action', '=', 'import_events').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ via: 'cli', inserted: 1 });
  });

  it('recompute --as-of rebuilds a past day identically twice; a bad date exits 1 with one line', async () => {
    const first = cli(['recompute', '--as-of', '2025-06-30']);
    expect(first.code, first.stderr).toBe(0);
    const a = await t.ctx.repos.snapshots.find('2025-06-30', 'equal', METHODOLOGY_VERSION);
    const second = cli(['recompute', '--as-of', '2025-06-30', '--preset', 'equal']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ from: '2025-06-30', to: '2025-06-30', presets: ['equal'], snapshots_written: 1 });
    expect(JSON.parse(second.stdout).composite.equal).toBe(JSON.parse(first.stdout).composite.equal);
    const b = await t.ctx.repos.snapshots.find('2025-06-30', 'equal', METHODOLOGY_VERSION);
    expect(b!.payload).toEqual(a!.payload);
    const bad = cli(['recompute', '--as-of', '2025-02-30']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('agi-tracker: as_of must be a calendar date YYYY-MM-DD, got "2025-02-30"');
    expect(cli(['recompute', '--preset', 'nope']).code).toBe(1);
  });
});
