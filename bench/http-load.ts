import net from 'node:net';

export interface LoadResult {
  requests: number;
  non2xx: number;
  seconds: number;
  rps: number;
}

/**
 * A minimal keep-alive HTTP/1.1 load loop on raw sockets: `connections` clients, each sending the
 * next request as soon as the previous response is complete, for `seconds`. It parses only what it
 * must (status line, Content-Length), so on a 2-core machine the client costs far less CPU than the
 * server it measures.
 */
export function runLoad(opts: {
  port: number;
  path: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const extra = Object.entries(opts.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const request = Buffer.from(`GET ${opts.path} HTTP/1.1\r\nHost: 127.0.0.1:${opts.port}\r\n${extra}\r\n`);
  let requests = 0;
  let non2xx = 0;
  let running = true;
  const started = performance.now();

  const client = () =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect(opts.port, '127.0.0.1');
      socket.setNoDelay(true);
      let buf = Buffer.alloc(0);
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString('latin1');
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buf.length < end + 4 + length) return;
          buf = buf.subarray(end + 4 + length);
          requests++;
          if (head.charCodeAt(9) !== 50) non2xx++; // "HTTP/1.1 2xx"
          if (!running) {
            socket.end();
            return;
          }
          socket.write(request);
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });

  const timer = setTimeout(() => (running = false), opts.seconds * 1000);
  return Promise.all(Array.from({ length: opts.connections }, client)).then(() => {
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;
    return { requests, non2xx, seconds, rps: requests / seconds };
  });
}
