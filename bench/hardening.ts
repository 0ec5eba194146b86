/**
 * Overhead of the hardening stack (issue 3): requests per second on a trivial route, served by the
 * app without the hardening plugins (same routes, logger and schema compilers) and by the real server
 * with every cross-cutting plugin (request id, security headers, CORS, key identification, rate
 * limit, auth policy, cache/ETag, metrics, error handler, server timeouts).
 * Server and load run in separate processes (2 cores); each variant gets a warm-up and then
 * `ROUNDS` alternating measured runs of SECONDS each; the median is reported, with the spread (min
 * and max) of every variant. A second, identical server without hardening (`bare_again`) is measured
 * in the same rounds: bare_again / bare is the noise of the measurement itself (ideally 1.0).
 * A fourth server, `headers_only`, is the bare one plus the constant response headers every hardened
 * response must carry: how much of the overhead is those bytes themselves.
 * Target: kept >= 85%.
 * Besides requests/s it reports the server's CPU time per request (from the server process itself),
 * which other work on a shared 2-core machine disturbs much less than throughput.
 *
 *   npx tsx bench/hardening.ts        (writes bench/results/hardening.json; BENCH_ROUNDS=n for more rounds)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadResult } from './http-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = 5;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CONNECTIONS = 32;

async function startServer(variant: 'bare' | 'headers_only' | 'hardened'): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'hardening-server.ts'), variant], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()).port));
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
  return { child, port };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Server CPU time (user + system) in microseconds. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m: { user: number; system: number }) => resolve(m.user + m.system));
    child.send('cpu');
  });
}

interface Run extends LoadResult {
  cpu_us_per_request: number;
}

type Variant = 'bare' | 'bare_again' | 'headers_only' | 'hardened';
const servers = {
  bare: await startServer('bare'),
  bare_again: await startServer('bare'),
  headers_only: await startServer('headers_only'),
  hardened: await startServer('hardened'),
};
type Runs = Record<Variant, Run[]>;
const runs: Record<string, Runs> = {
  '/bench': { bare: [], bare_again: [], headers_only: [], hardened: [] },
  '/bench/db': { bare: [], bare_again: [], headers_only: [], hardened: [] },
};
const loadAverages: number[] = [];
try {
  for (const [path, byVariant] of Object.entries(runs)) {
    for (const { port } of Object.values(servers)) await runLoad({ port, path, connections: CONNECTIONS, seconds: 1 });
    for (let round = 0; round < ROUNDS; round++) {
      loadAverages.push(os.loadavg()[0]!);
      // The order rotates every round, so no variant always runs first or last.
      const order = Object.entries(servers) as [Variant, { port: number; child: ChildProcess }][];
      for (let i = 0; i < round % order.length; i++) order.push(order.shift()!);
      for (const [name, { port, child }] of order) {
        const before = await cpuOf(child);
        const r = await runLoad({ port, path, connections: CONNECTIONS, seconds: SECONDS });
        const cpu = (await cpuOf(child)) - before;
        if (r.non2xx > 0) throw new Error(`${name} ${path}: ${r.non2xx} responses were not 2xx`);
        byVariant[name].push({ ...r, cpu_us_per_request: cpu / r.requests });
      }
    }
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill('SIGTERM');
}

const spread = (xs: number[], digits: number) => ({
  min: Number(Math.min(...xs).toFixed(digits)),
  max: Number(Math.max(...xs).toFixed(digits)),
});
const summary = (r: Runs) => {
  const bareRps = median(r.bare.map((x) => x.rps));
  const bareAgainRps = median(r.bare_again.map((x) => x.rps));
  const hardenedRps = median(r.hardened.map((x) => x.rps));
  const bareCpu = median(r.bare.map((x) => x.cpu_us_per_request));
  const bareAgainCpu = median(r.bare_again.map((x) => x.cpu_us_per_request));
  const hardenedCpu = median(r.hardened.map((x) => x.cpu_us_per_request));
  const headersOnlyRps = median(r.headers_only.map((x) => x.rps));
  const headersOnlyCpu = median(r.headers_only.map((x) => x.cpu_us_per_request));
  // Per round: hardened / bare of the same round (they ran back to back).
  const perRound = r.hardened.map((h, i) => h.rps / r.bare[i]!.rps);
  return {
    bare_rps: Math.round(bareRps),
    hardened_rps: Math.round(hardenedRps),
    kept_share: Number((hardenedRps / bareRps).toFixed(3)),
    kept_share_per_round: { median: Number(median(perRound).toFixed(3)), ...spread(perRound, 3) },
    bare_cpu_us_per_request: Number(bareCpu.toFixed(2)),
    hardened_cpu_us_per_request: Number(hardenedCpu.toFixed(2)),
    kept_share_by_cpu: Number((bareCpu / hardenedCpu).toFixed(3)),
    // The mandated response headers alone (no hooks beyond one, no rate limit, auth, metrics, timeouts).
    headers_only: {
      rps: Math.round(headersOnlyRps),
      cpu_us_per_request: Number(headersOnlyCpu.toFixed(2)),
      kept_share: Number((headersOnlyRps / bareRps).toFixed(3)),
      kept_share_by_cpu: Number((bareCpu / headersOnlyCpu).toFixed(3)),
    },
    noise_bare_again_vs_bare: {
      rps_share: Number((bareAgainRps / bareRps).toFixed(3)),
      cpu_share: Number((bareCpu / bareAgainCpu).toFixed(3)),
    },
    spread: Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        {
          rps: spread(
            v.map((x) => x.rps),
            0,
          ),
          cpu_us_per_request: spread(
            v.map((x) => x.cpu_us_per_request),
            2,
          ),
        },
      ]),
    ),
    runs: Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        v.map((x) => ({ rps: Math.round(x.rps), cpu_us_per_request: Number(x.cpu_us_per_request.toFixed(2)) })),
      ]),
    ),
  };
};
const trivial = summary(runs['/bench']!);
const withQuery = summary(runs['/bench/db']!);
const result = {
  command: 'npx tsx bench/hardening.ts',
  date: new Date().toISOString(),
  node: process.version,
  connections: CONNECTIONS,
  seconds_per_run: SECONDS,
  rounds: ROUNDS,
  target_kept_share: 0.85,
  load_average_1m: Number(os.loadavg()[0]!.toFixed(2)),
  load_average_1m_during_rounds: spread(loadAverages, 2),
  trivial_route: trivial,
  route_with_one_query: withQuery,
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'hardening.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`command: ${result.command}`);
for (const [label, r] of [
  ['trivial route /bench', trivial],
  ['one-query route /bench/db', withQuery],
] as const) {
  console.log(
    `${label}: without hardening ${r.bare_rps} req/s, hardened ${r.hardened_rps} req/s, kept ${(r.kept_share * 100).toFixed(1)}%`,
  );
  console.log(
    `  server CPU per request: without ${r.bare_cpu_us_per_request} us, hardened ${r.hardened_cpu_us_per_request} us, capacity kept ${(r.kept_share_by_cpu * 100).toFixed(1)}%`,
  );
  console.log(
    `  kept per round ${r.kept_share_per_round.min}-${r.kept_share_per_round.max}; rps bare ${r.spread.bare!.rps.min}-${r.spread.bare!.rps.max}, hardened ${r.spread.hardened!.rps.min}-${r.spread.hardened!.rps.max}`,
  );
  console.log(
    `  the mandated headers alone (headers_only): ${r.headers_only.rps} req/s, ${r.headers_only.cpu_us_per_request} us, kept ${(r.headers_only.kept_share * 100).toFixed(1)}% (CPU ${(r.headers_only.kept_share_by_cpu * 100).toFixed(1)}%)`,
  );
  console.log(
    `  noise (a second bare server vs the first): rps ${(r.noise_bare_again_vs_bare.rps_share * 100).toFixed(1)}%, CPU ${(r.noise_bare_again_vs_bare.cpu_share * 100).toFixed(1)}%`,
  );
}
console.log(
  `target (trivial route): kept >= 85% -> ${trivial.kept_share >= 0.85 ? 'met' : 'NOT met'}; 1-min load average ${result.load_average_1m}`,
);
