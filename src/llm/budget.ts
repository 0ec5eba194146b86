import type { Redis } from '../redis.js';
import type { Logger } from '../logger.js';
import { BudgetExhaustedError, BudgetUnavailableError } from '../errors.js';
import type { DayTotals, LlmUsageRepository, Settlement, SpendKind } from '../db/repositories/llm-usage-repository.js';
import type { LlmMetrics } from './metrics.js';
import { microsToUsd, usdToMicros } from './prices.js';

/** Exactly the fields of the seed guide's `GET /v1/admin/llm-budget`. */
export interface BudgetStatus {
  date: string;
  llm_spend_usd: number;
  embedding_spend_usd: number;
  total_spend_usd: number;
  warning_threshold_usd: number;
  hard_limit_usd: number;
  at_warning: boolean;
  blocked: boolean;
}

export interface ReservationRequest {
  kind: SpendKind;
  provider: string;
  model: string;
  task: string;
  requestId?: string;
  /** The most this call can cost, in micro-dollars (input upper bound + max output tokens). */
  maxCostMicros: number;
}

export interface Reservation {
  ledgerId: number;
  day: string;
  kind: SpendKind;
  reservedMicros: number;
}

export interface BudgetOptions {
  repo: LlmUsageRepository;
  redis?: Redis;
  dailyLimitUsd: number;
  warningUsd: number;
  log: Logger;
  metrics: LlmMetrics;
  /** The reservation of the cheapest ordinary call: `blocked` means such a call would be refused now. */
  minimumCallMicros?: number;
  now?: () => Date;
}

/** A reservation not settled within this time belongs to a process that died; it is given back. */
export const RESERVATION_EXPIRY_MS = 10 * 60_000;
const KEY_TTL_SECONDS = 3 * 86_400;

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Redis keys of one day. `llm_budget:daily:<day>` is the seed guide's key: spend plus open reservations, in dollars. */
export function budgetKeys(day: string) {
  const base = `llm_budget:daily:${day}`;
  return {
    total: base,
    llm: `${base}:llm`,
    embedding: `${base}:embedding`,
    /** Hash of whole micro-dollars (llm, embedding, reserved) and the `init` marker: the source of truth. */
    state: `${base}:state`,
    /** Hash of open reservations: ledger id -> "micros:expiresAtMs". */
    reservations: `${base}:reservations`,
  };
}

// Shared tail of the scripts: mirror the micro-dollar state into the human-readable dollar keys.
const WRITE_DOLLARS = `
local llm = tonumber(redis.call('HGET', KEYS[1], 'llm') or '0')
local emb = tonumber(redis.call('HGET', KEYS[1], 'embedding') or '0')
local res = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
local ttl = tonumber(ARGV[#ARGV])
redis.call('SET', KEYS[2], string.format('%.6f', (llm + emb + res) / 1000000), 'EX', ttl)
redis.call('SET', KEYS[3], string.format('%.6f', llm / 1000000), 'EX', ttl)
redis.call('SET', KEYS[4], string.format('%.6f', emb / 1000000), 'EX', ttl)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[5], ttl)
`;

/**
 * KEYS: state, total, llm, embedding, reservations. ARGV: id, micros, limit micros, now ms, expires-at ms, ttl.
 * Returns {1, committed} when reserved, {0, committed} when it would exceed the limit, {-2, 0} when
 * the day's state is missing (Redis restarted or new day): the caller seeds it from the ledger.
 */
const RESERVE_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], 'init') == 0 then return {-2, 0} end
local now = tonumber(ARGV[4])
local open = redis.call('HGETALL', KEYS[5])
for i = 1, #open, 2 do
  local amount, expires = string.match(open[i + 1], '^(%d+):(%d+)$')
  if expires and tonumber(expires) < now then
    redis.call('HDEL', KEYS[5], open[i])
    redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(amount))
  end
end
local function committed()
  return tonumber(redis.call('HGET', KEYS[1], 'llm') or '0') + tonumber(redis.call('HGET', KEYS[1], 'embedding') or '0')
    + tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
end
local amount = tonumber(ARGV[2])
if committed() + amount > tonumber(ARGV[3]) then return {0, committed()} end
redis.call('HSET', KEYS[5], ARGV[1], ARGV[2] .. ':' .. ARGV[5])
redis.call('HINCRBY', KEYS[1], 'reserved', amount)
${WRITE_DOLLARS}
return {1, committed()}
`;

/** KEYS as above. ARGV: id, cost micros, kind, ttl. Releases the reservation (if still open) and adds the cost. */
const SETTLE_SCRIPT = `
local open = redis.call('HGET', KEYS[5], ARGV[1])
if open then
  local amount = string.match(open, '^(%d+):')
  redis.call('HDEL', KEYS[5], ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'reserved', -tonumber(amount))
end
redis.call('HINCRBY', KEYS[1], ARGV[3], tonumber(ARGV[2]))
${WRITE_DOLLARS}
return 1
`;

/**
 * KEYS as above. ARGV: llm micros, embedding micros, ttl. Seeds the day from the ledger's settled
 * spend unless another process already did. Open ledger reservations are not carried over: at the
 * start of a day they are other processes' calls that are about to reserve here themselves, and
 * counting them twice would let them through unchecked.
 */
const INIT_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], 'init') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'llm', ARGV[1], 'embedding', ARGV[2], 'reserved', 0, 'init', '1')
${WRITE_DOLLARS}
return 1
`;

type ScriptClient = Redis & {
  llmBudgetReserve(...args: Array<string | number>): Promise<[number, number]>;
  llmBudgetSettle(...args: Array<string | number>): Promise<number>;
  llmBudgetInit(...args: Array<string | number>): Promise<number>;
};

function keyList(day: string): string[] {
  const k = budgetKeys(day);
  return [k.state, k.total, k.llm, k.embedding, k.reservations];
}

/**
 * The one LLM budget (P0-5, P1-3). Every model and embedding call reserves its maximum cost here
 * before it is made, and settles the actual cost after. Reservation is atomic across processes:
 * a Redis Lua script when Redis is configured, otherwise a conditional UPDATE of the day's row in
 * Postgres. Either way the durable record is the `llm_usage` ledger. When the store cannot be
 * reached the call is refused (fail closed).
 */
export class LlmBudget {
  readonly mode: 'redis' | 'postgres';
  private readonly redis?: ScriptClient;
  private readonly limitMicros: number;
  private readonly warningMicros: number;
  private minimumCallMicros: number;
  private readonly now: () => Date;

  constructor(private readonly opts: BudgetOptions) {
    this.mode = opts.redis ? 'redis' : 'postgres';
    this.limitMicros = usdToMicros(opts.dailyLimitUsd);
    this.warningMicros = usdToMicros(opts.warningUsd);
    this.minimumCallMicros = Math.max(1, opts.minimumCallMicros ?? 1);
    this.now = opts.now ?? (() => new Date());
    if (opts.redis) {
      const redis = opts.redis as ScriptClient;
      // defineCommand loads each script once (EVALSHA, falling back to EVAL) and prefixes its keys.
      if (typeof redis.llmBudgetReserve !== 'function') {
        redis.defineCommand('llmBudgetReserve', { numberOfKeys: 5, lua: RESERVE_SCRIPT });
        redis.defineCommand('llmBudgetSettle', { numberOfKeys: 5, lua: SETTLE_SCRIPT });
        redis.defineCommand('llmBudgetInit', { numberOfKeys: 5, lua: INIT_SCRIPT });
      }
      this.redis = redis;
    }
  }

  /** The reservation of the cheapest ordinary call (chat), which defines `blocked` in the status. */
  setMinimumCallMicros(micros: number): void {
    this.minimumCallMicros = Math.max(1, Math.ceil(micros));
  }

  today(): string {
    return utcDay(this.now());
  }

  /**
   * Reserves `maxCostMicros` for one call, or throws BudgetExhaustedError (it would pass the hard
   * limit) or BudgetUnavailableError (the store did not answer). The ledger row exists from here on.
   */
  async reserve(req: ReservationRequest): Promise<Reservation> {
    const day = this.today();
    const entry = {
      day,
      kind: req.kind,
      provider: req.provider,
      model: req.model,
      task: req.task,
      requestId: req.requestId,
      reservedMicros: Math.max(0, Math.ceil(req.maxCostMicros)),
    };
    if (!this.redis) {
      let result;
      try {
        result = await this.opts.repo.reserveOnCounter(entry, this.limitMicros);
      } catch (err) {
        this.refused('unavailable', err);
      }
      if (!result.ok) this.refused('exhausted');
      return { ledgerId: result.id, day, kind: req.kind, reservedMicros: entry.reservedMicros };
    }

    let ledgerId: number;
    try {
      ledgerId = await this.opts.repo.insertReserved(entry);
    } catch (err) {
      this.refused('unavailable', err);
    }
    let outcome: [number, number];
    try {
      outcome = await this.redisReserve(day, ledgerId, entry.reservedMicros);
    } catch (err) {
      await this.opts.repo
        .settle(
          ledgerId,
          { status: 'failed', inputTokens: 0, outputTokens: 0, costMicros: 0, error: 'budget store unreachable' },
          { counter: false },
        )
        .catch(() => {});
      this.refused('unavailable', err);
    }
    if (outcome[0] !== 1) {
      // The call never happens: its ledger row goes as well (the ledger records calls, not refusals).
      await this.opts.repo.deleteReserved(ledgerId).catch(() => {});
      this.refused('exhausted');
    }
    return { ledgerId, day, kind: req.kind, reservedMicros: entry.reservedMicros };
  }

  /** Releases the reservation and records the actual cost (zero for a call that never reached the provider). */
  async settle(res: Reservation, s: Settlement): Promise<void> {
    if (this.redis) {
      try {
        await this.redis.llmBudgetSettle(
          ...keyList(res.day),
          String(res.ledgerId),
          Math.max(0, Math.ceil(s.costMicros)),
          res.kind,
          KEY_TTL_SECONDS,
        );
      } catch (err) {
        // The reservation stays counted in Redis until it expires (over-stating the day); the
        // actual cost then never reaches Redis's figure, but the ledger below still records it.
        this.opts.log.error({ err, ledgerId: res.ledgerId }, 'could not settle an LLM reservation in Redis; it will expire');
      }
    }
    try {
      await this.opts.repo.settle(res.ledgerId, s, { counter: !this.redis });
    } catch (err) {
      this.opts.log.error({ err, ledgerId: res.ledgerId }, 'could not settle an LLM ledger row; the sweeper will expire it');
    }
  }

  /** Today's figures in the seed guide's shape. Throws BudgetUnavailableError when the store does not answer. */
  async status(): Promise<BudgetStatus> {
    const day = this.today();
    let totals: DayTotals;
    try {
      totals = await this.totals(day);
    } catch (err) {
      throw new BudgetUnavailableError(`the LLM budget cannot be read right now: ${describe(err)}`);
    }
    const committed = this.observe(totals);
    const spent = totals.llm + totals.embedding;
    return {
      date: day,
      llm_spend_usd: microsToUsd(totals.llm),
      embedding_spend_usd: microsToUsd(totals.embedding),
      total_spend_usd: microsToUsd(spent),
      warning_threshold_usd: microsToUsd(this.warningMicros),
      hard_limit_usd: microsToUsd(this.limitMicros),
      // As the guide's alert reads it: the spend shown (settled) against the warning threshold.
      at_warning: spent >= this.warningMicros,
      blocked: committed + this.minimumCallMicros > this.limitMicros,
    };
  }

  /** Expires ledger reservations of processes that died mid-call (and frees them in Postgres mode). */
  async sweep(): Promise<number> {
    return this.opts.repo.expireStale(new Date(this.now().getTime() - RESERVATION_EXPIRY_MS), { counter: !this.redis });
  }

  private async totals(day: string): Promise<DayTotals> {
    if (!this.redis) return this.opts.repo.counterTotals(day);
    await waitUntilReady(this.redis);
    const [llm, embedding, reserved, init] = await this.redis.hmget(budgetKeys(day).state, 'llm', 'embedding', 'reserved', 'init');
    if (init === null) return this.opts.repo.ledgerTotals(day);
    return { llm: Number(llm ?? 0), embedding: Number(embedding ?? 0), reserved: Number(reserved ?? 0) };
  }

  private async redisReserve(day: string, id: number, micros: number): Promise<[number, number]> {
    const redis = this.redis!;
    await waitUntilReady(redis);
    const nowMs = this.now().getTime();
    const args = [...keyList(day), String(id), micros, this.limitMicros, nowMs, nowMs + RESERVATION_EXPIRY_MS, KEY_TTL_SECONDS];
    let outcome = await redis.llmBudgetReserve(...args);
    if (outcome[0] === -2) {
      // The day's state is missing (first call of the day, or Redis lost its data): seed it from the
      // durable ledger so a Redis restart can never reset the day's settled spend to zero. Calls in
      // flight during a data loss are not re-reserved; their cost is added when they settle.
      const totals = await this.opts.repo.ledgerTotals(day);
      await redis.llmBudgetInit(...keyList(day), totals.llm, totals.embedding, KEY_TTL_SECONDS);
      outcome = await redis.llmBudgetReserve(...args);
    }
    if (outcome[0] === -2) throw new Error('budget state could not be initialised');
    return [Number(outcome[0]), Number(outcome[1])];
  }

  /** Publishes the settled spend to the gauge; returns spend plus open reservations. */
  private observe(totals: DayTotals): number {
    this.opts.metrics.spendUsd.set(microsToUsd(totals.llm + totals.embedding));
    return totals.llm + totals.embedding + totals.reserved;
  }

  private refused(reason: 'exhausted' | 'unavailable', err?: unknown): never {
    this.opts.metrics.blockedCalls.inc({ reason });
    if (reason === 'exhausted') throw new BudgetExhaustedError();
    this.opts.log.warn({ err: describe(err) }, 'LLM budget store unreachable: refusing the model call (fail closed)');
    throw new BudgetUnavailableError();
  }
}

/**
 * Commands fail fast while Redis is not connected (no offline queue). Right after start-up the
 * connection may still be opening: wait for it briefly rather than refusing the first calls.
 */
async function waitUntilReady(redis: Redis, timeoutMs = 1_000): Promise<void> {
  if (redis.status !== 'connecting' && redis.status !== 'connect') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message.replace(/\b\w+:\/\/\S+/g, '[url]') : String(err);
}
