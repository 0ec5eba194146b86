import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRepository, ApiKeyRole } from '../db/repositories/api-key-repository.js';
import type { ApiKeyRow } from '../db/schema.js';

/** Keys look like `agt_<43 base64url chars>`; the first 12 characters are the visible, stored prefix. */
const KEY_PREFIX = 'agt_';
const PREFIX_LENGTH = 12;
export const ENV_ADMIN_KEY_NAME = 'ADMIN_API_KEY (environment)';

export interface ApiKeyPrincipal {
  id: number;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  rate_limit_per_minute: number | null;
}

export interface CreatedApiKey {
  key: ApiKeyPublic;
  /** The secret, shown once and never stored. */
  secret: string;
}

export interface ApiKeyPublic {
  id: number;
  name: string;
  prefix: string;
  role: ApiKeyRole;
  rate_limit_per_minute: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function hashSecret(secret: string): string {
  // Secrets are 256-bit random values, so a fast hash is enough: there is nothing to brute-force.
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The stored, visible prefix of a key. Generated keys show their first characters; the operator's
 * ADMIN_API_KEY may be any string, so its prefix is derived from its hash instead of revealing it.
 */
export function keyPrefix(secret: string): string {
  return secret.startsWith(KEY_PREFIX) ? secret.slice(0, PREFIX_LENGTH) : `env_${hashSecret(secret).slice(0, 8)}`;
}

export function presentApiKey(row: ApiKeyRow): ApiKeyPublic {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    rate_limit_per_minute: row.rate_limit_per_minute,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at ? row.last_used_at.toISOString() : null,
    revoked_at: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}

export class ApiKeyService {
  /** last_used_at is written at most once a minute per key, so reads stay cheap. */
  private readonly lastTouched = new Map<number, number>();

  constructor(private readonly repo: ApiKeyRepository) {}

  async create(input: { name: string; role: ApiKeyRole; rate_limit_per_minute?: number | null }): Promise<CreatedApiKey> {
    const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
    const row = await this.repo.insert({
      name: input.name,
      role: input.role,
      prefix: keyPrefix(secret),
      secret_hash: hashSecret(secret),
      rate_limit_per_minute: input.rate_limit_per_minute ?? null,
    });
    return { key: presentApiKey(row), secret };
  }

  /** Finds the active key for a presented secret, comparing hashes in constant time. */
  async authenticate(secret: string): Promise<ApiKeyPrincipal | undefined> {
    if (secret.length < 16 || secret.length > 256) return undefined;
    const row = await this.repo.findActiveByPrefix(keyPrefix(secret));
    const presented = Buffer.from(hashSecret(secret), 'hex');
    // Compare against a dummy when no row matched, so timing does not reveal whether a prefix exists.
    const stored = Buffer.from(row?.secret_hash ?? hashSecret('no such key'), 'hex');
    const equal = stored.length === presented.length && timingSafeEqual(stored, presented);
    if (!row || !equal) return undefined;
    const now = Date.now();
    if ((this.lastTouched.get(row.id) ?? 0) < now - 60_000) {
      this.lastTouched.set(row.id, now);
      await this.repo.touch(row.id, new Date(now));
    }
    return { id: row.id, name: row.name, prefix: row.prefix, role: row.role, rate_limit_per_minute: row.rate_limit_per_minute };
  }

  async list(opts: { limit: number; beforeId?: number; includeRevoked?: boolean }): Promise<ApiKeyPublic[]> {
    return (await this.repo.list(opts)).map(presentApiKey);
  }

  async revoke(id: number): Promise<ApiKeyPublic | undefined> {
    const row = await this.repo.revoke(id);
    return row ? presentApiKey(row) : undefined;
  }

  /**
   * Start-up: mirror ADMIN_API_KEY into the table (so audit rows can name it), revoking a previous
   * value; or, when no admin key exists at all, create one and return its secret to print once.
   */
  async bootstrap(envAdminKey: string | undefined): Promise<CreatedApiKey | undefined> {
    if (envAdminKey) {
      const existing = await this.repo.findActiveByName(ENV_ADMIN_KEY_NAME);
      const hash = hashSecret(envAdminKey);
      if (existing.some((r) => r.secret_hash === hash)) return undefined;
      for (const r of existing) await this.repo.revoke(r.id);
      await this.repo.insert({ name: ENV_ADMIN_KEY_NAME, role: 'admin', prefix: keyPrefix(envAdminKey), secret_hash: hash });
      return undefined;
    }
    if ((await this.repo.countActiveAdmins()) > 0) return undefined;
    return this.create({ name: 'bootstrap admin', role: 'admin' });
  }
}
