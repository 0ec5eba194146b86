import net from 'node:net';

export interface LoadResult {
  requests: number;
  non2xx: number;
  seconds: number;
  rps: number;
  /** Write-to-last-byte time of each request, in ms. */
  latency_ms: { p50: number; p95: number; p99: number; max: number };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
}

/**
 * A minimal keep-alive HTTP/1.1 load loop on raw sockets: `connections` clients, each sending the
 * next request as soon as the previous response is complete, for `seconds`. It parses only what it
 * must (status line, Content-Length), so on a 2-core machine the client costs far less CPU than the
 * server it measures. `path` is one path, or a function giving the path of each next request.
 */
export function runLoad(opts: {
  port: number;
  path: string | (() => string);
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const extra = Object.entries(opts.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const requestFor = (path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${opts.port}\r\n${extra}\r\n`);
  const fixed = typeof opts.path === 'string' ? requestFor(opts.path) : undefined;
  const nextPath = typeof opts.path === 'function' ? opts.path : undefined;
  const latencies: number[] = [];
  let non2xx = 0;
  let running = true;
  const started = performance.now();

  const client = () =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect(opts.port, '127.0.0.1');
      socket.setNoDelay(true);
      let buf = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        sentAt = performance.now();
        socket.write(fixed ?? requestFor(nextPath!()));
      };
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString('latin1');
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buf.length < end + 4 + length) return;
          buf = buf.subarray(end + 4 + length);
          latencies.push(performance.now() - sentAt);
          if (head.charCodeAt(9) !== 50) non2xx++; // "HTTP/1.1 2xx"
          if (!running) {
            socket.end();
            return;
          }
          send();
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });

  const timer = setTimeout(() => (running = false), opts.seconds * 1000);
  return Promise.all(Array.from({ length: opts.connections }, client)).then(() => {
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;
    const sorted = Float64Array.from(latencies).sort();
    return {
      requests: latencies.length,
      non2xx,
      seconds,
      rps: latencies.length / seconds,
      latency_ms: {
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
        max: sorted.at(-1) ?? 0,
      },
    };
  });
}
