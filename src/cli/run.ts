import { loadConfig, ConfigError, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { createContext, type AppContext } from '../app/context.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { AppError } from '../errors.js';

/** Loads config and logger; a bad configuration stops here with one line naming the variable. */
export function loadEnvironment(kind: 'server' | 'command' = 'command'): { config: Config; log: Logger } {
  try {
    const config = loadConfig();
    // One-shot commands log to stderr (warnings unless LOG_LEVEL says otherwise) so stdout stays machine-readable.
    const log =
      kind === 'server'
        ? createLogger(config.logLevel)
        : createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', process.stderr as never);
    return { config, log };
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`agi-tracker: ${message}\n`);
  process.exit(code);
}

/** Runs a one-shot CLI command with a context, closing it afterwards; known errors become one line. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const { config, log } = loadEnvironment();
  let ctx: AppContext | undefined;
  try {
    ctx = await createContext(config, log, { name: 'agi-tracker-cli' });
    return await fn(ctx);
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof AppError) fail(err.message);
    if (err instanceof Error && /ECONNREFUSED|ENOTFOUND|password authentication/.test(err.message)) fail(`database: ${err.message}`);
    throw err;
  } finally {
    await ctx?.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Graceful shutdown for long-running commands: on SIGTERM or SIGINT, runs the closers in order and
 * exits 0; if closing hangs, exits 1 after forceMs.
 */
export function closeOnSignals(log: Logger, what: string, closers: Array<() => Promise<unknown>>, forceMs: number): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, `${what} shutting down`);
    const force = setTimeout(() => process.exit(1), forceMs).unref();
    try {
      for (const close of closers) await close();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
