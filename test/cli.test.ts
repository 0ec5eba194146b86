import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { MIGRATION_NAMES } from '../src/db/migrations/index.js';

// One node process with tsx as a loader (not the tsx wrapper, which relays signals through a second process).
const CLI = [process.execPath, '--import', 'tsx', path.resolve('src/cli/main.ts')];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(CLI[0]!, [...CLI.slice(1), ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

describe('the CLI against an embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agt-cli-'));
  const env = { DATA_DIR: dataDir, ADMIN_API_KEY: '', DATABASE_URL: '', REDIS_URL: '', INGEST_ENABLED: 'false' };
  let server: ChildProcess;
  let stdout = '';
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(CLI[0]!, [...CLI.slice(1), 'serve'], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    });
    server.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    server.stderr!.on('data', (b: Buffer) => (stdout += b.toString()));
    // Liveness answers while start-up still migrates and loads; readiness waits for it.
    await waitFor(`${url}/health`, server, 60_000);
    await waitFor(`${url}/health/ready`, server, 60_000);
  });
  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('first start prints a new admin key once and the key works', async () => {
    const match = /\n {2}(agt_[A-Za-z0-9_-]{43})\n/.exec(stdout);
    expect(match).not.toBeNull();
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('a second process on the same DATA_DIR stops with a clear message instead of opening it', () => {
    const r = cli(['migrate', 'status'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/in use by process \d+/);
  });

  it('SIGTERM shuts the server down gracefully and releases the directory', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);
  });

  it('migrate status then lists every migration as applied', () => {
    const r = cli(['migrate', 'status'], env);
    expect(r.code).toBe(0);
    for (const name of MIGRATION_NAMES) expect(r.stdout).toMatch(new RegExp(`^applied\\s+${name}`, 'm'));
  });

  it('keys create prints a secret once; keys list never shows secrets', () => {
    const created = cli(['keys', 'create', '--name', 'ci reader', '--role', 'reader'], env);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key.secret).toMatch(/^agt_/);
    expect(key.prefix).toBe(key.secret.slice(0, 12));
    const listed = cli(['keys', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(key.secret);
    expect(JSON.parse(listed.stdout).some((k: { name: string }) => k.name === 'ci reader')).toBe(true);
  });

  it('a bad configuration value stops with one line naming the variable', () => {
    const r = cli(['migrate', 'status'], { ...env, PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^agi-tracker: invalid configuration: PORT: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
