import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { adminHeaders, httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';

const rules = readFileSync(new URL('../deploy/alerts.yml', import.meta.url), 'utf8');

describe('deploy/alerts.yml', () => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer('pglite');
  });
  afterAll(async () => s?.close());

  it("has the guide's alerts: budget warning and exceeded, error rate, p95 latency, pool exhausted", () => {
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts).toEqual([
      'HighLLMBudget',
      'LLMBudgetExceeded',
      'HighErrorRate',
      'SlowAPIResponse',
      'DatabaseConnectionPoolExhausted',
      'AppDatabasePoolWaiting',
    ]);
    expect(rules).toMatch(/> 0\.05/);
    expect(rules).toMatch(/histogram_quantile\(0\.95,[\s\S]*> 0\.5/);
  });

  it('every agi_tracker_* metric the rules use is exported by the app at /metrics', async () => {
    const used = new Set([...rules.matchAll(/\b(agi_tracker_[a-z_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')));
    expect([...used].sort()).toEqual([
      'agi_tracker_db_pool_connections',
      'agi_tracker_http_request_duration_seconds',
      'agi_tracker_llm_spend_usd',
    ]);
    const exported = (await httpRequest(`${s.url}/metrics`, { headers: adminHeaders() })).body;
    for (const name of used) expect(exported, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
  });
});
