import { z } from 'zod';

const optionalUrl = (protocols: RegExp) => z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: protocols }).optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const bool = z.preprocess((v) => {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') return v;
  const s = v.toLowerCase();
  if (['1', 'true', 'yes'].includes(s)) return true;
  if (['0', 'false', 'no'].includes(s)) return false;
  return v;
}, z.boolean().optional());

/**
 * Every environment variable the service reads (SPEC section 9). Parsed once at start-up;
 * nothing else reads process.env.
 */
const EnvSchema = z.object({
  ENVIRONMENT: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    )
    .default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(/^postgres(ql)?$/),
  DATABASE_DIRECT_URL: optionalUrl(/^postgres(ql)?$/),
  DATABASE_REPLICA_URL: optionalUrl(/^postgres(ql)?$/),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /** Named prepared statements for repeated SELECTs; false behind PgBouncer < 1.21 (or without max_prepared_statements). */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  REDIS_URL: optionalUrl(/^rediss?$/),
  CORS_ORIGINS: z.string().default('http://localhost:8000,http://localhost:5173'),
  /** false, true (trust every hop), a hop count, or a comma list of proxy addresses/CIDRs. */
  TRUST_PROXY: z.string().default('false'),
  ADMIN_API_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(24, 'must be at least 24 characters').optional()),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl(/^https?$/),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalUrl(/^https?$/),
  LLM_BUDGET_DAILY_USD: z.coerce.number().min(0).default(50),
  LLM_BUDGET_WARNING_USD: z.coerce.number().min(0).default(20),
  INGEST_SCHEDULE: z.string().default('0 */6 * * *'),
  INGEST_ENABLED: bool.default(true),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(/^https?$/),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  environment: Env['ENVIRONMENT'];
  production: boolean;
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  database: { url?: string; directUrl?: string; replicaUrl?: string; poolMax: number; preparedStatements: boolean };
  redisUrl?: string;
  corsOrigins: string[];
  trustProxy: boolean | number | string[];
  adminApiKey?: string;
  llm: {
    openaiApiKey?: string;
    openaiBaseUrl?: string;
    anthropicApiKey?: string;
    anthropicBaseUrl?: string;
    budgetDailyUsd: number;
    budgetWarningUsd: number;
  };
  ingest: { schedule: string; enabled: boolean };
  otelEndpoint?: string;
  rateLimitPerMinute: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function parseTrustProxy(raw: string): boolean | number | string[] {
  const s = raw.trim().toLowerCase();
  if (s === 'false' || s === '0' || s === '') return false;
  if (s === 'true') return true;
  if (/^\d+$/.test(s)) return Number(s);
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Parses the environment into the one typed config object; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const corsOrigins = e.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const production = e.ENVIRONMENT === 'production';
  if (production && (corsOrigins.length === 0 || corsOrigins.includes('*'))) {
    throw new ConfigError('invalid configuration: CORS_ORIGINS: production needs an explicit list of origins (no * and not empty)');
  }
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(`invalid configuration: CORS_ORIGINS: "${origin}" is not an origin like https://example.org`);
    }
  }
  if (e.LLM_BUDGET_WARNING_USD > e.LLM_BUDGET_DAILY_USD) {
    throw new ConfigError('invalid configuration: LLM_BUDGET_WARNING_USD: must not exceed LLM_BUDGET_DAILY_USD');
  }
  if (!isValidCron(e.INGEST_SCHEDULE)) {
    throw new ConfigError(`invalid configuration: INGEST_SCHEDULE: "${e.INGEST_SCHEDULE}" is not a five-field cron expression`);
  }
  return {
    environment: e.ENVIRONMENT,
    production,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    database: {
      url: e.DATABASE_URL,
      directUrl: e.DATABASE_DIRECT_URL ?? e.DATABASE_URL,
      replicaUrl: e.DATABASE_REPLICA_URL,
      poolMax: e.DATABASE_POOL_MAX,
      preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    },
    redisUrl: e.REDIS_URL,
    corsOrigins,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    adminApiKey: e.ADMIN_API_KEY,
    llm: {
      openaiApiKey: e.OPENAI_API_KEY,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      anthropicApiKey: e.ANTHROPIC_API_KEY,
      anthropicBaseUrl: e.ANTHROPIC_BASE_URL,
      budgetDailyUsd: e.LLM_BUDGET_DAILY_USD,
      budgetWarningUsd: e.LLM_BUDGET_WARNING_USD,
    },
    ingest: { schedule: e.INGEST_SCHEDULE, enabled: e.INGEST_ENABLED },
    otelEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
  };
}

/** Five-field cron: minute hour day-of-month month day-of-week, each `*`, numbers, ranges, lists, steps. */
export function isValidCron(expr: string): boolean {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return false;
  const limits: Array<[number, number]> = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 7],
  ];
  return fields.every((field, i) => {
    const [min, max] = limits[i]!;
    return field.split(',').every((part) => {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return false;
      const nums = [m[2], m[3]].filter((x): x is string => x !== undefined).map(Number);
      if (m[4] !== undefined && Number(m[4]) < 1) return false;
      return nums.every((n) => n >= min && n <= max);
    });
  });
}
