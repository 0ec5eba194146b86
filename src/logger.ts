import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The one logger. Secrets that could reach a log line through request objects are redacted.
 * Request-scoped children (with request_id) come from Fastify's request logger.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'agi-tracker' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie', '*.secret', '*.apiKey', '*.password'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
