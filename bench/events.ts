/**
 * `/v1/events` latency and throughput with 100k events on server Postgres (P0-3, issue 4).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/events.ts
 *   (TEST_DATABASE_URL works too; without either the bench says so and exits 0)
 *
 * The parent process creates a fresh database, loads the catalog, the bundled evidence and 100k
 * synthetic events (generate_series), starts the real server in a child process (`serve` mode below)
 * and drives it from this process with 32 keep-alive connections on raw sockets:
 *  - uncached: every request is a different URL (real keyset cursors over the whole table, a mix of
 *    filters, and a unique `_` parameter), so each one misses the response cache and runs the queries;
 *  - cached: 16 first-page URLs, warmed once, then served from the cache.
 * Targets: uncached p95 <= 20 ms, cached >= 5,000 req/s. Each phase also reports the CPU time per
 * request of the server process and of the Postgres backends serving it (Linux /proc; Postgres on this
 * machine). Results go to bench/results/events.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runLoad } from './http-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const EVENTS = 100_000;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POOL_MAX = Number(process.env.BENCH_POOL_MAX ?? 8);
const TARGETS = { uncached_p95_ms: 20, cached_rps: 5000 };

// ---- server mode: the child process -----------------------------------------------------------

async function serveMode(): Promise<void> {
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/logger.js');
  const { createContext } = await import('../src/app/context.js');
  const { buildServer } = await import('../src/http/server.js');
  const config = loadConfig();
  const ctx = await createContext(config, createLogger(config.logLevel), { name: 'agi-tracker-bench' });
  const app = await buildServer(ctx);
  await app.listen({ port: config.port, host: '127.0.0.1' });
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => ctx.close())
        .then(() => process.exit(0)),
  );
}

// ---- load generator ---------------------------------------------------------------------------

interface Phase {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  latency_ms: { p50: number; p95: number; p99: number; max: number };
}

/** bench/http-load.ts's loop, reported with rounded numbers; `errors` counts non-2xx answers. */
async function load(port: number, nextPath: () => string, seconds: number, connections = CONNECTIONS): Promise<Phase> {
  const r = await runLoad({ port, path: nextPath, connections, seconds });
  const round = (x: number) => Math.round(x * 100) / 100;
  const l = r.latency_ms;
  return {
    requests: r.requests,
    errors: r.non2xx,
    seconds: round(r.seconds),
    rps: Math.round(r.rps),
    latency_ms: { p50: round(l.p50), p95: round(l.p95), p99: round(l.p99), max: round(l.max) },
  };
}

// ---- CPU accounting ---------------------------------------------------------------------------

/** User + system CPU time of a process in ms, from /proc (Linux); undefined elsewhere or once it is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/**
 * CPU spent during a phase by the server process and by the Postgres backends serving its database
 * (the pool's connections, found in pg_stat_activity; Postgres runs on this machine).
 */
async function cpuMeter(serverPid: number, databaseUrl: string, databaseName: string) {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const backends = async () =>
    (
      await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName])
    ).rows.map((r) => r.pid);
  const sample = async () => {
    const pids = await backends();
    return { server: processCpuMs(serverPid), pg: new Map(pids.map((pid) => [pid, processCpuMs(pid)])) };
  };
  return {
    async measure<T extends { requests: number }>(
      run: () => Promise<T>,
    ): Promise<T & { cpu_ms_per_request?: { server: number; postgres: number; total: number } }> {
      const before = await sample();
      const result = await run();
      const after = await sample();
      if (before.server === undefined || after.server === undefined || result.requests === 0) return result;
      let pgMs = 0;
      for (const [pid, end] of after.pg) {
        const start = before.pg.get(pid) ?? 0; // a backend opened during the phase counts from zero
        if (end !== undefined && start !== undefined) pgMs += end - start;
      }
      const per = (ms: number) => Math.round((ms / result.requests) * 1000) / 1000;
      const server = after.server - before.server;
      return { ...result, cpu_ms_per_request: { server: per(server), postgres: per(pgMs), total: per(server + pgMs) } };
    },
    close: () => c.end(),
  };
}

// ---- parent -----------------------------------------------------------------------------------

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function main(): Promise<void> {
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    console.log('events bench: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres server; skipped');
    return;
  }
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/logger.js');
  const { createContext } = await import('../src/app/context.js');
  const { bootstrap } = await import('../src/services/bootstrap-service.js');
  const { encodeCursor } = await import('../src/http/pagination.js');
  const { insertBulkEvents, BULK_SIGNPOSTS } = await import('../test/helpers/bulk-events.js');

  const loadBefore = os.loadavg()[0];
  const name = `agt_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(baseUrl, name);
  let server: ChildProcess | undefined;
  try {
    const env = {
      ENVIRONMENT: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      REDIS_URL: '',
      ADMIN_API_KEY: '',
      INGEST_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '100000000',
    };
    const setupStarted = performance.now();
    const ctx = await createContext(loadConfig({ ...process.env, ...env }), createLogger('warn'), { name: 'agi-tracker-bench-setup' });
    await bootstrap(ctx);
    await insertBulkEvents(ctx.database.db, EVENTS);
    await ctx.close();
    console.log(`database ${name}: ${EVENTS} events loaded in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

    // Keyset positions spread over the whole table: every 50th live event.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const rows = await db.query<{ p: string; i: number }>(
      `SELECT p, i FROM (SELECT published_at::text AS p, id AS i, row_number() OVER (ORDER BY published_at DESC, id DESC) AS n FROM events WHERE NOT retracted) s WHERE n % 50 = 0`,
    );
    await db.end();
    const cursors = rows.rows.map((r) => encodeCursor({ p: r.p, i: r.i }));
    const filters = ['', '', '', '', '', '', '&tier=A', '&tier=A,B', `&signpost=${BULK_SIGNPOSTS[1]}`, '&category=inputs'];

    const port = await freePort();
    // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server process.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    server = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(import.meta.url), 'serve'], {
      env: { ...process.env, ...env, PORT: String(port), DATABASE_POOL_MAX: String(POOL_MAX) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitForHealth(port, server);
    const meter = await cpuMeter(server.pid!, baseUrl, name);

    let n = 0;
    const uncached = () => {
      n++;
      const cursor = n % 20 === 0 ? '' : `&cursor=${cursors[(n * 7919) % cursors.length]}`;
      return `/v1/events?limit=50${filters[n % filters.length]}${cursor}&_=${n}`;
    };
    console.log('warm-up (2 s, uncached)');
    await load(port, uncached, 2);
    console.log(`uncached (${SECONDS} s, ${CONNECTIONS} connections)`);
    const uncachedResult = await meter.measure(() => load(port, uncached, SECONDS));
    console.log(uncachedResult);
    // The same requests with 4 connections: the latency of one page when the server is not saturated.
    console.log(`uncached, 4 connections (${SECONDS} s)`);
    const lightResult = await meter.measure(() => load(port, uncached, SECONDS, 4));
    console.log(lightResult);

    const hot = Array.from(
      { length: 16 },
      (_, i) => `/v1/events?limit=50${filters[i % filters.length]}${i >= filters.length ? `&cursor=${cursors[i]}` : ''}`,
    );
    for (const p of hot) await fetch(`http://127.0.0.1:${port}${p}`).then((r) => r.arrayBuffer());
    let m = 0;
    console.log(`cached (${SECONDS} s, ${CONNECTIONS} connections)`);
    const cachedResult = await meter.measure(() => load(port, () => hot[m++ % hot.length]!, SECONDS));
    console.log(cachedResult);
    await meter.close();

    const result = {
      bench: 'events',
      command: 'BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/events.ts',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, load_average_1m: os.loadavg()[0], load_average_before_run_1m: loadBefore },
      setup: {
        events: EVENTS,
        database: 'server Postgres',
        connections: CONNECTIONS,
        seconds_per_phase: SECONDS,
        pool_max: POOL_MAX,
        log_level: 'warn',
      },
      uncached: {
        ...uncachedResult,
        description: 'every request a distinct URL: keyset cursors across the table, filters tier/signpost/category mixed in',
      },
      uncached_4_connections: { ...lightResult, description: 'the same uncached mix with 4 connections (server not saturated)' },
      cached: { ...cachedResult, description: '16 warmed first-page URLs served from the response cache' },
      targets: TARGETS,
      meets_targets: {
        uncached_p95: uncachedResult.latency_ms.p95 <= TARGETS.uncached_p95_ms,
        cached_rps: cachedResult.rps >= TARGETS.cached_rps,
      },
    };
    fs.mkdirSync(path.join(here, 'results'), { recursive: true });
    fs.writeFileSync(path.join(here, 'results', 'events.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote bench/results/events.json\ncommand: ${result.command}`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
}

if (process.argv[2] === 'serve') await serveMode();
else await main();
