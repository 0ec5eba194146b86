import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { acquireDataDirLock, DataDirLockedError } from '../src/db/data-dir-lock.js';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'agt-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('embedded database directory lock', () => {
  it('a second opener of the same DATA_DIR is refused with a clear message', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'ready'))}, '1'); setTimeout(() => {}, 60000)`,
    ]);
    try {
      fs.writeFileSync(path.join(dir, 'pglite.lock'), String(child.pid));
      expect(() => acquireDataDirLock(dir)).toThrowError(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrowError(/in use by process \d+/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a lock left by a dead process is taken over', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'pglite.lock'), '999999999');
    const release = acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
  });

  it('after kill -9 of a process writing to PGlite, the directory opens and keeps committed rows', async () => {
    const dir = tempDir();
    const script = `
      import { openDatabase } from ${JSON.stringify(path.resolve('src/db/database.ts'))};
      import { sql } from ${JSON.stringify(path.resolve('node_modules/kysely/dist/esm/index.js'))};
      const d = await openDatabase({ dataDir: ${JSON.stringify(dir)} });
      await sql\`CREATE TABLE t (n int)\`.execute(d.db);
      await sql\`INSERT INTO t VALUES (1)\`.execute(d.db);
      process.stdout.write('committed\\n');
      for (let i = 2; ; i++) await sql\`INSERT INTO t VALUES (\${i})\`.execute(d.db);
    `;
    const file = path.join(dir, 'writer.mts');
    fs.writeFileSync(file, script);
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => b.toString().includes('committed') && resolve());
      child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const d = await openDatabase({ dataDir: dir });
    try {
      const { rows } = await sql<{ n: number; c: number }>`SELECT min(n) AS n, count(*)::int AS c FROM t`.execute(d.db);
      expect(rows[0]!.n).toBe(1);
      expect(rows[0]!.c).toBeGreaterThanOrEqual(1);
      await sql`INSERT INTO t VALUES (0)`.execute(d.db);
    } finally {
      await d.close();
    }
  });
});
