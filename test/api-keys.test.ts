import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { databaseKinds, TEST_ADMIN_KEY } from './helpers/databases.js';
import { adminHeaders, httpRequest, startHardenedServer, type HardenedServer } from './helpers/http.js';

describe.each(databaseKinds())('API keys and roles on %s', (kind) => {
  let s: HardenedServer;
  beforeAll(async () => {
    s = await startHardenedServer(kind, { RATE_LIMIT_PER_MINUTE: '100000' });
  });
  afterAll(async () => s?.close());

  const post = (body: unknown, headers = adminHeaders()) =>
    httpRequest(`${s.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('ADMIN_API_KEY from the environment is an admin key', async () => {
    const res = await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: adminHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().results.some((k: { role: string; name: string }) => k.role === 'admin' && k.name.includes('ADMIN_API_KEY'))).toBe(
      true,
    );
  });

  it('create returns the secret once; the database keeps a hash and a visible prefix, the list never shows the secret', async () => {
    const res = await post({ name: 'newsroom', role: 'reader', rate_limit_per_minute: 120 });
    expect(res.status).toBe(201);
    const created = res.json();
    expect(created.secret).toMatch(/^agt_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      name: 'newsroom',
      role: 'reader',
      rate_limit_per_minute: 120,
      prefix: created.secret.slice(0, 12),
      revoked_at: null,
    });
    const row = await s.t.ctx.database.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(12));
    const list = await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: adminHeaders() });
    expect(list.body).not.toContain(created.secret);
    expect(list.json().results.find((k: { id: number }) => k.id === created.id)).not.toHaveProperty('secret');
  });

  it('a bad create body is a 400 naming the field', async () => {
    const res = await post({ name: '', role: 'owner' });
    expect(res.status).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['name', 'role']);
  });

  it('no key is 401, a wrong key 403, a reader key on an admin route 403', async () => {
    const reader = (await post({ name: 'reader', role: 'reader' })).json();
    expect((await httpRequest(`${s.url}/v1/admin/api-keys`)).status).toBe(401);
    expect((await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: { 'x-api-key': `${TEST_ADMIN_KEY}x` } })).status).toBe(403);
    const asReader = await httpRequest(`${s.url}/v1/admin/api-keys`, { headers: { 'x-api-key': reader.secret } });
    expect(asReader.status).toBe(403);
    expect(asReader.json().detail).toMatch(/admin/);
  });

  it('a wrong key is refused on public routes too, a missing one is not', async () => {
    expect((await httpRequest(`${s.url}/health`)).status).toBe(200);
    const res = await httpRequest(`${s.url}/health`, { headers: { 'x-api-key': 'agt_not-a-real-key-0000000000000000000000000000' } });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('a key created by the API authenticates, records last_used_at, and stops working once revoked', async () => {
    const admin = (await post({ name: 'second admin', role: 'admin' })).json();
    expect(admin.last_used_at).toBeNull();
    expect((await httpRequest(`${s.url}/v1/admin/api-keys?limit=1`, { headers: { 'x-api-key': admin.secret } })).status).toBe(200);
    const row = await s.t.ctx.repos.apiKeys.findById(admin.id);
    expect(row?.last_used_at).toBeInstanceOf(Date);

    const revoked = await httpRequest(`${s.url}/v1/admin/api-keys/${admin.id}`, { method: 'DELETE', headers: adminHeaders() });
    expect(revoked.status).toBe(200);
    expect(revoked.json().revoked_at).not.toBeNull();
    expect((await httpRequest(`${s.url}/v1/admin/api-keys?limit=1`, { headers: { 'x-api-key': admin.secret } })).status).toBe(403);
    expect((await httpRequest(`${s.url}/v1/admin/api-keys/${admin.id}`, { method: 'DELETE', headers: adminHeaders() })).status).toBe(404);
    const withRevoked = await httpRequest(`${s.url}/v1/admin/api-keys?include_revoked=true&limit=100`, { headers: adminHeaders() });
    expect(withRevoked.json().results.map((k: { id: number }) => k.id)).toContain(admin.id);
    const active = await httpRequest(`${s.url}/v1/admin/api-keys?limit=100`, { headers: adminHeaders() });
    expect(active.json().results.map((k: { id: number }) => k.id)).not.toContain(admin.id);
  });

  it('create, list and revoke each write one audit row naming the acting key, request id, IP and user agent', async () => {
    const envKey = await s.t.ctx.database.db
      .selectFrom('api_keys')
      .select('id')
      .where('name', 'like', 'ADMIN_API_KEY%')
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    const headers = adminHeaders({ 'x-request-id': 'audit-create-1', 'user-agent': 'curl/8.0' });
    const created = (await post({ name: 'audited', role: 'reader' }, headers)).json();
    await httpRequest(`${s.url}/v1/admin/api-keys/${created.id}`, {
      method: 'DELETE',
      headers: adminHeaders({ 'x-request-id': 'audit-revoke-1' }),
    });
    const rows = await s.t.ctx.database.db
      .selectFrom('audit_logs')
      .selectAll()
      .where('request_id', 'in', ['audit-create-1', 'audit-revoke-1'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.action, r.resource_type, r.resource_id, r.success])).toEqual([
      ['create_api_key', 'api_key', String(created.id), true],
      ['revoke_api_key', 'api_key', String(created.id), true],
    ]);
    expect(rows[0]).toMatchObject({ api_key_id: envKey.id, ip_address: '127.0.0.1', user_agent: 'curl/8.0' });
    expect(JSON.stringify(rows)).not.toContain(created.secret);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_logs WHERE action = 'list_api_keys'`.execute(
      s.t.ctx.database.db,
    );
    expect(count.rows[0]!.n).toBeGreaterThan(0);
  });
});
