import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { databaseKinds } from './helpers/databases.js';
import { adminHeaders, httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';

const WRONG_KEY = 'agt_WrongKeyWrongKeyWrongKeyWrongKeyWrongKey123';

describe.each(databaseKinds())('audit log (P1-6) on %s', (kind) => {
  let s: HardenedServer;
  beforeAll(async () => {
    // 127.0.0.1 is a trusted proxy here, so X-Forwarded-For names the client.
    s = await startHardenedServer(kind, { RATE_LIMIT_PER_MINUTE: '100000', TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => s?.close());

  const rowsOf = (requestId: string) =>
    s.t.ctx.database.db.selectFrom('audit_logs').selectAll().where('request_id', '=', requestId).execute();

  it('an admin call with a wrong key writes exactly one auth_failed row: client IP and key prefix, never the secret', async () => {
    const res = await httpRequest(`${s.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: {
        'x-api-key': WRONG_KEY,
        'x-request-id': 'wrong-key-1',
        'x-forwarded-for': '203.0.113.7',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(res.status).toBe(403);
    const rows = await rowsOf('wrong-key-1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'auth_failed',
      success: false,
      api_key_id: null,
      ip_address: '203.0.113.7',
      resource_type: 'route',
      resource_id: 'POST /v1/admin/api-keys',
      details: { reason: 'invalid_key', key_prefix: WRONG_KEY.slice(0, 12) },
    });
    expect(JSON.stringify(rows[0])).not.toContain(WRONG_KEY.slice(12));
  });

  it('a missing key, a reader key and a HEAD request on admin routes each write exactly one row', async () => {
    const reader = await s.t.ctx.services.apiKeys.create({ name: 'reader', role: 'reader' });
    await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: { 'x-request-id': 'no-key-1' } });
    await httpRequest(`${s.url}/v1/admin/audit-logs`, { headers: { 'x-request-id': 'reader-1', 'x-api-key': reader.secret } });
    await httpRequest(`${s.url}/v1/admin/api-keys`, { method: 'HEAD', headers: { 'x-request-id': 'head-1', 'x-api-key': WRONG_KEY } });
    const [noKey, asReader, head] = await Promise.all([rowsOf('no-key-1'), rowsOf('reader-1'), rowsOf('head-1')]);
    expect(noKey.map((r) => [r.action, r.details.reason])).toEqual([['auth_failed', 'missing_key']]);
    expect(asReader.map((r) => [r.action, r.details.reason, r.api_key_id])).toEqual([['auth_failed', 'insufficient_role', reader.key.id]]);
    expect(head.map((r) => [r.action, r.details.reason])).toEqual([['auth_failed', 'invalid_key']]);
    expect(noKey[0]!.ip_address).toBe('127.0.0.1');
  });

  it('the database rejects UPDATE, DELETE and TRUNCATE on audit_logs', async () => {
    const db = s.t.ctx.database.db;
    await expect(sql`UPDATE audit_logs SET success = true`.execute(db)).rejects.toThrow(/append-only/);
    await expect(
      db.updateTable('audit_logs').set({ action: 'nothing happened' }).where('action', '=', 'auth_failed').execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_logs`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_logs`.execute(db)).rejects.toThrow(/append-only/);
    expect((await rowsOf('wrong-key-1'))[0]!.success).toBe(false);
  });

  it('GET /v1/admin/audit-logs filters by action, success, key, resource type and time, newest first', async () => {
    const get = async (query: string) => {
      const res = await httpRequest(`${s.url}/v1/admin/audit-logs?${query}`, { headers: adminHeaders() });
      expect(res.status, query).toBe(200);
      return res.json().results as {
        id: number;
        action: string;
        success: boolean;
        api_key_id: number | null;
        resource_type: string;
        timestamp: string;
      }[];
    };
    const failed = await get('action=auth_failed');
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(failed.every((r) => r.action === 'auth_failed' && !r.success)).toBe(true);
    expect(failed.map((r) => r.id)).toEqual([...failed.map((r) => r.id)].sort((a, b) => b - a));
    expect((await get('success=false')).every((r) => !r.success)).toBe(true);
    const listings = await get('resource_type=audit_log');
    expect(listings.length).toBeGreaterThan(0);
    const keyId = listings[0]!.api_key_id!;
    expect((await get(`api_key_id=${keyId}`)).every((r) => r.api_key_id === keyId)).toBe(true);
    const since = new Date(Date.now() + 60_000).toISOString();
    expect(await get(`since=${encodeURIComponent(since)}`)).toEqual([]);
    expect((await get('until=2000-01-01')).length).toBe(0);
    expect((await get('since=2000-01-01&action=auth_failed')).length).toBe(failed.length);
  });

  it('audit log pages walk every row once; bad filters are 400s', async () => {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `limit=2&action=auth_failed&cursor=${cursor}` : 'limit=2&action=auth_failed';
      const body: { results: { id: number }[]; next_cursor: string | null } = (
        await httpRequest(`${s.url}/v1/admin/audit-logs?${q}`, { headers: adminHeaders() })
      ).json();
      ids.push(...body.results.map((r) => r.id));
      cursor = body.next_cursor;
    } while (cursor);
    const all = await s.t.ctx.database.db
      .selectFrom('audit_logs')
      .select('id')
      .where('action', '=', 'auth_failed')
      .orderBy('id', 'desc')
      .execute();
    expect(ids).toEqual(all.map((r) => r.id));
    for (const bad of ['success=maybe', 'api_key_id=abc', 'since=yesterday', 'until=2025-13-45']) {
      const res = await httpRequest(`${s.url}/v1/admin/audit-logs?${bad}`, { headers: adminHeaders() });
      expect(res.status, bad).toBe(400);
      expect(res.json().errors[0].field).toBe(bad.split('=')[0]);
    }
  });
});
