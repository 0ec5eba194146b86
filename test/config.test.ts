import { describe, expect, it } from 'vitest';
import { ConfigError, isValidCron, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('runs with no variables at all: embedded database, port 8000, development', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8000);
    expect(c.environment).toBe('development');
    expect(c.database.url).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.dataDir).toBe('./data');
    expect(c.llm.budgetDailyUsd).toBe(50);
    expect(c.llm.budgetWarningUsd).toBe(20);
  });

  it('a bad value stops start-up with one line naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/^invalid configuration: PORT: /);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/DATABASE_URL/);
    expect(() => loadConfig({ LLM_BUDGET_DAILY_USD: '-1' })).toThrowError(/LLM_BUDGET_DAILY_USD/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrowError(/LOG_LEVEL/);
    expect(() => loadConfig({ ADMIN_API_KEY: 'short' })).toThrowError(/ADMIN_API_KEY/);
    expect(() => loadConfig({ INGEST_SCHEDULE: 'every hour' })).toThrowError(/INGEST_SCHEDULE/);
    expect(() => loadConfig({ LLM_BUDGET_WARNING_USD: '60' })).toThrowError(/LLM_BUDGET_WARNING_USD/);
  });

  it('production refuses a wildcard or empty CORS list', () => {
    expect(() => loadConfig({ ENVIRONMENT: 'production', CORS_ORIGINS: '*' })).toThrowError(ConfigError);
    expect(() => loadConfig({ ENVIRONMENT: 'production', CORS_ORIGINS: '' })).toThrowError(/CORS_ORIGINS/);
    expect(loadConfig({ ENVIRONMENT: 'production', CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('a CORS entry that is not an origin is refused', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrowError(/CORS_ORIGINS/);
  });

  it('TRUST_PROXY accepts false, true, a hop count or a list of addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 127.0.0.1/8' }).trustProxy).toEqual(['10.0.0.1', '127.0.0.1/8']);
  });

  it('DATABASE_DIRECT_URL defaults to DATABASE_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h:6432/db' });
    expect(c.database.directUrl).toBe('postgres://u@h:6432/db');
  });

  it('cron expressions are checked field by field', () => {
    expect(isValidCron('0 */6 * * *')).toBe(true);
    expect(isValidCron('15 3 1-5 * 1,3')).toBe(true);
    expect(isValidCron('60 * * * *')).toBe(false);
    expect(isValidCron('* * *')).toBe(false);
    expect(isValidCron('*/0 * * * *')).toBe(false);
  });
});
